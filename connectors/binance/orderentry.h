#pragma once

#include "binance/orderparser.h"
#include "binance/ordertracker.h"
#include "binance/restclient.h"

#include "domain/action.h"
#include "engine/connector.h"

#include <memory>
#include <optional>
#include <vector>

namespace md::binance {

/// Counters of the order side, read by the health inspector from any thread.
struct OrderEntryStats {
    std::atomic<std::uint64_t> placements{0};
    std::atomic<std::uint64_t> rejections{0};
    std::atomic<std::uint64_t> cancels{0};
    std::atomic<std::uint64_t> unknownOutcomes{0}; // 5xx/timeouts on a placement, resolved by a query
};

/// The executor side of a Binance market: one action at a time over signed REST.
/// A placement whose answer is a 5xx or never comes has an unknown outcome: the order is queried by
/// its client id (never placed again), and only an exchange that says it has no such order turns it
/// into a rejection. Binance's error bodies become OrderRejected with their code and text.
/// Thread: the market's executor thread (created there by the first action).
class OrderEntry {
public:
    OrderEntry(const Settings& settings, const MarketSpec& market, Credentials credentials,
               std::shared_ptr<RestGate> gate, std::shared_ptr<OrderTracker> tracker,
               std::shared_ptr<OrderEntryStats> stats, std::optional<Notional> minNotional);

    void execute(const Action& action);
    void setMinNotional(std::optional<Notional> value) { m_minNotional = value; }

    /// GET /api/v3/openOrders for the symbol; nullopt when the exchange cannot be asked.
    static std::optional<std::vector<OrderReport>> openOrders(RestClient& rest, const OrderParser& parser,
                                                              const std::string& symbol);

private:
    void place(const PlaceLimit& place);
    void cancel(ClientOrderId id, bool logUnknown);
    void cancelAll(CancelAll::Scope scope);
    /// Asks the exchange for the order's state and applies it; false when it could not be learnt.
    enum class QueryOutcome { Applied, NoSuchOrder, Failed };
    QueryOutcome query(const std::string& clientOrderId);

    const MarketSpec m_market;
    std::string m_log;
    RestClient m_rest;
    OrderParser m_parser;
    std::shared_ptr<OrderTracker> m_tracker;
    std::shared_ptr<OrderEntryStats> m_stats;
    std::optional<Notional> m_minNotional;
    bool m_clockChecked = false;
};

} // namespace md::binance
