#pragma once

#include "domain/action.h"
#include "domain/events.h"
#include "engine/health.h"
#include "engine/journalsink.h"

#include <cstdint>
#include <optional>
#include <string>

namespace md {

/// One row-to-be of the journal, copied out of the caller's action or event so that the writer
/// thread owns it. Kinds: place, cancel, cancel_all (actions); placed, filled, cancelled, done,
/// rejected (order events); refused, not_executed, outcome_unknown (how an action that was not executed
/// ended; detail "<action kind>: <reason>"); shutdown (a close-out report, as JSON in `detail`);
/// strategy (a change to a running strategy, in `change`: its own table, strategy_changes).
/// Thread: a value; built on the recording thread, written on the journal's writer thread.
struct JournalRecord {
    JournalSeq seq = 0;
    std::int64_t timeMs = 0;   // wall clock, stored
    std::int64_t steadyNs = 0; // when it was recorded: how far behind the writer is
    std::string market;
    ClientOrderId id = 0;
    std::string kind;
    std::string side;
    std::string price;
    std::string quantity;
    std::string detail; // a rejection's reason, a cancel's scope, or the report
    std::string fee;    // filled: the fee of this fill, in feeAsset (empty: none)
    std::string feeAsset;
    OwnerId owner = 0;     // place: whose order (orders.owner; kManualOwner = the trader's)
    StrategyChange change; // strategy: what changed

    static JournalRecord fromAction(const std::string& market, const ActionKind& action);
    /// An action that will never be executed, or whose outcome is unknown.
    static JournalRecord fromOutcome(const std::string& market, const ActionKind& action, ActionOutcome outcome,
                                     const std::string& reason);
    /// nullopt for events that are not about our orders (books, trades, balances, status).
    static std::optional<JournalRecord> fromEvent(const std::string& market, const TradingEvent& event);
    /// The close-out as a JSON object (every text escaped: names and details are user and exchange text).
    static JournalRecord fromShutdown(const ShutdownReport& report);
    static JournalRecord fromStrategyChange(const StrategyChange& change);
};

} // namespace md
