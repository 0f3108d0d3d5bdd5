#pragma once

#include "decimal.h"
#include "orderowner.h"
#include "types.h"

#include <cstdint>
#include <string>
#include <variant>

namespace md {

/// Gtc rests until cancelled; Ioc trades what it can at once and cancels the rest (Binance
/// timeInForce=IOC, Kraken time_in_force=ioc, the sim likewise).
enum class TimeInForce : std::uint8_t { Gtc, Ioc };
constexpr std::string_view nameOf(TimeInForce t) {
    return t == TimeInForce::Ioc ? "IOC" : "GTC";
}

struct PlaceLimit {
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
    ClientOrderId id = 0;
    TimeInForce timeInForce = TimeInForce::Gtc;
    /// Refused by the venue rather than trade on arrival (Binance LIMIT_MAKER, Kraken post_only).
    bool postOnly = false;
};

struct CancelOrder {
    ClientOrderId id = 0;
};

/// Cancel orders of ours on the market. All: this run's and those earlier runs left open (the user's
/// halt, shutdown). ThisRun: an automatic halt (the stale-data breaker) leaves earlier runs' orders
/// to the user. EarlierRuns: the window's "cancel the orders an earlier run left open".
struct CancelAll {
    enum class Scope { All, ThisRun, EarlierRuns };
    Scope scope = Scope::All;
};

using ActionKind = std::variant<PlaceLimit, CancelOrder, CancelAll>;

/// The sequence number of an action's journal record (write-ahead); 0: not journaled.
using JournalSeq = std::uint64_t;

/// One instruction to one market's executor.
struct Action {
    ActionKind kind;
    std::int64_t causeReceivedNs = 0; // receive time of the event that led to it (tick-to-action)
    std::int64_t enqueuedNs = 0;      // set by the ActionQueue
    JournalSeq journalSeq = 0;        // its journal record: a placement runs only once this is committed
    OwnerId owner = 0;                // whose it is: a strategy (0..N-1) or kManualOwner (the trader)
};

std::string describe(const ActionKind& action);

} // namespace md
