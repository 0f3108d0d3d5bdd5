#pragma once

#include "binance/ordermessages.h"

#include "domain/action.h"
#include "domain/events.h"

#include <functional>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace md::binance {

/// Merges what two sources say about our orders — the executor's REST answers and the user data
/// stream's execution reports, in whatever order they arrive — into the events the strategy is
/// promised (DESIGN §1): per order Placed first, then Filled for each new piece of the cumulative
/// filled quantity, then exactly one Cancelled or Done, after which the mapping is dropped.
/// Our client order id travels to Binance as `newClientOrderId` = "md-<run tag>-<number>": the run
/// tag (MarketSpec::orderTag) keeps the numbers of different runs apart, since every run's strategy
/// counts from 1 and an earlier run's "md-1" may still be open on the exchange.
/// Thread: any (one mutex; events are fired under it so that two sources cannot reorder them).
class OrderTracker {
public:
    /// Where the events go (the market's EventSink in the connector).
    using Emit = std::function<void(TradingEventPayload, std::int64_t exchangeTimeMs)>;
    /// logName: the logger for inconsistent reports ("" logs nothing).
    OrderTracker(Emit emit, int priceScale, std::string runTag = {}, std::string logName = {});

    /// A client order id of MarketDesk's, of any run: its run tag ("" for the untagged form) and number.
    struct ParsedClientId {
        std::string runTag;
        ClientOrderId id = 0;
    };
    static std::optional<ParsedClientId> parseClientId(const std::string& clientOrderId);

    const std::string& runTag() const { return m_runTag; }
    std::string exchangeClientId(ClientOrderId id) const;
    /// Our number in a client order id of this run, nullopt for another run's or somebody else's order.
    std::optional<ClientOrderId> ourId(const std::string& clientOrderId) const;

    /// Registers a placement before it is sent, so a report that beats the REST answer is ours.
    void expect(const PlaceLimit& place);
    /// Applies a report; false when the order is not one this run placed (or it already ended).
    bool apply(const OrderReport& report);
    /// The placement was not accepted: OrderRejected, mapping dropped.
    void reject(ClientOrderId id, const std::string& reason);
    /// The placement's outcome is not known yet (5xx or timeout, and no answer to the query).
    void markUnknown(ClientOrderId id);

    bool isTracked(ClientOrderId id) const;
    std::vector<ClientOrderId> tracked() const;
    std::size_t unknownCount() const;
    /// Reports that contradicted themselves (more executed than ordered), capped and counted.
    std::size_t inconsistentReports() const;

private:
    struct Order {
        Side side = Side::Bid;
        Price price;
        Quantity quantity;
        Quantity executed;
        Notional executedQuote;
        bool placed = false;
        bool unknown = false;
    };
    Price fillPrice(const Order& order, const OrderReport& report, Quantity delta) const;

    Emit m_emit;
    int m_priceScale;
    std::string m_runTag;
    std::string m_logName;
    std::size_t m_inconsistent = 0;
    mutable std::mutex m_mutex;
    std::map<ClientOrderId, Order> m_orders;
};

} // namespace md::binance
