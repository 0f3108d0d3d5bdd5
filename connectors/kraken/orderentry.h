#pragma once

#include "kraken/executionledger.h"
#include "kraken/krakensettings.h"
#include "kraken/krakenstats.h"
#include "kraken/requestchannel.h"

#include "common/decayingcounter.h"
#include "common/ordertracker.h"

#include "domain/action.h"
#include "engine/connector.h"

#include <atomic>
#include <map>
#include <memory>

namespace md::kraken {

/// Counters of the order side, read by the health inspector from any thread.
struct OrderEntryStats {
    std::atomic<std::uint64_t> placements{0};
    std::atomic<std::uint64_t> rejections{0};
    std::atomic<std::uint64_t> cancels{0};
    std::atomic<std::uint64_t> unknownOutcomes{0}; // add_order sent, no answer
    std::atomic<std::uint64_t> resolvedPlaced{0};  // ... then seen on the executions stream
    std::atomic<std::uint64_t> resolvedAbsent{0};  // ... then proven not placed after its deadline
    std::atomic<std::uint64_t> rateWaits{0};       // placements held back by the local rate counter
    std::atomic<std::uint64_t> rateHeld{0};        // ... refused locally instead: the wait would be long
    std::atomic<std::uint64_t> rateRefusals{0};    // "EOrder:Rate limit exceeded" from Kraken
    std::atomic<std::uint64_t> haltedRefusals{0};  // refused locally: maintenance / cancel_only
};

/// The executor side of a Kraken market: one action at a time as requests on the authenticated socket
/// (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/add_order, cancel_order, cancel_all).
/// A placement carries our client id (`cl_ord_id`, at most 18 characters of free text) and a `deadline`
/// after which Kraken's engine rejects it; it waits first while the local per-pair rate counter is
/// within the headroom of the tier's threshold. An answer that never comes is an unknown outcome:
/// never sent again, it is settled by the executions stream — placed as soon as Kraken reports the
/// client id; not placed only once the deadline has passed with the stream up and silent about it.
/// Thread: the market's executor thread (created there by the first action).
class OrderEntry {
public:
    OrderEntry(Settings settings, MarketSpec market, bool haveKeys, std::shared_ptr<RequestChannel> channel,
               std::shared_ptr<venue::OrderTracker> tracker, std::shared_ptr<ExecutionLedger> ledger,
               std::shared_ptr<TradingState> trading, std::shared_ptr<venue::DecayingCounter> rate,
               std::shared_ptr<OrderEntryStats> stats);

    void execute(const Action& action);
    /// The terminator's part of a clean stop: wait (bounded) for our cancels to be confirmed, then
    /// disable the dead man's switch.
    void finish();

    /// Kraken's decaying count for cancelling an order of this age (the rate-limit page's table).
    static double cancelPenalty(std::int64_t ageMs);

private:
    void place(const PlaceLimit& place);
    void cancel(ClientOrderId id);
    void cancelAll(CancelAll::Scope scope);
    void cancelByClientId(const std::string& clOrdId, std::int64_t ageMs);
    void resolveUnknown(ClientOrderId id, const std::string& clOrdId, std::int64_t deadlineMs);

    const Settings m_settings;
    const MarketSpec m_market;
    const bool m_haveKeys;
    std::string m_log;
    std::shared_ptr<RequestChannel> m_channel;
    std::shared_ptr<venue::OrderTracker> m_tracker;
    std::shared_ptr<ExecutionLedger> m_ledger;
    std::shared_ptr<TradingState> m_trading;
    std::shared_ptr<venue::DecayingCounter> m_rate;
    std::shared_ptr<OrderEntryStats> m_stats;
    std::map<ClientOrderId, std::int64_t> m_placedAtMs; // for the cancel penalty
};

} // namespace md::kraken
