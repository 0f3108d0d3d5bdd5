#pragma once

#include "common/clientidcodec.h"
#include "common/orderupdate.h"

#include "domain/action.h"
#include "domain/events.h"

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace md::venue {

/// Merges what several sources say about our orders — answers to our requests, the venue's order
/// stream, queries after a reconnect — in whatever order they arrive, into the events the strategy
/// is promised (DESIGN §1): per order Placed first, then Filled for each new piece of the
/// cumulative filled quantity, then exactly one Cancelled or Done, after which the mapping is dropped.
/// Every transition of an order has one method here:
/// - expect(): registered before the request goes, so a stream report that beats the answer is ours;
/// - apply(): a report; a report for this run's order that the tracker does not know (it landed
///   after we concluded it was not placed) is adopted — tracked, reported, cancellable — never dropped;
/// - reject(): the venue refused it, or it was never sent;
/// - markUnknown() / concludeNotPlaced(): sent, no answer; then proven not placed;
/// - settle(): the venue no longer has an order it once acknowledged (it forgot it).
/// Thread: any (one mutex; events are emitted under it so that two sources cannot reorder them).
class OrderTracker {
public:
    using Emit = std::function<void(TradingEventPayload, std::int64_t exchangeTimeMs)>;
    /// priceScale: the scale of average fill prices; logName: the logger ("" logs nothing).
    OrderTracker(Emit emit, int priceScale, ClientIdCodec ids, std::string logName = {});

    const ClientIdCodec& ids() const { return m_ids; }
    std::string exchangeClientId(ClientOrderId id) const { return m_ids.encode(id); }

    void expect(const PlaceLimit& place);
    /// False when the report is not about an order of this run (or about one already ended).
    bool apply(const OrderUpdate& update);
    void reject(ClientOrderId id, const std::string& reason);
    void markUnknown(ClientOrderId id);
    /// Asked until the request could no longer take effect: it was not placed. A report that
    /// proves otherwise later is adopted.
    void concludeNotPlaced(ClientOrderId id, const std::string& reason);
    /// The venue answers that it has no such order although it acknowledged it once (it restarted
    /// and forgot, or it ended while nobody listened and is archived): Cancelled, mapping dropped.
    void settle(ClientOrderId id, const std::string& reason);

    bool isTracked(ClientOrderId id) const;
    bool isPlaced(ClientOrderId id) const;
    std::vector<ClientOrderId> tracked() const;
    std::size_t unknownCount() const;
    std::size_t inconsistentReports() const; // reports claiming more executed than ordered (capped)
    std::size_t adopted() const;             // orders that landed late and were adopted
    std::size_t settled() const;             // orders the venue forgot, settled as cancelled

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
    Price fillPrice(const Order& order, const OrderUpdate& update, Quantity delta) const;
    void remember(ClientOrderId id);
    void log(const std::string& text) const;

    Emit m_emit;
    int m_priceScale;
    ClientIdCodec m_ids;
    std::string m_logName;
    mutable std::mutex m_mutex;
    std::map<ClientOrderId, Order> m_orders;
    // Orders whose end the venue itself reported: a repeated final report about them is not a
    // late landing. Bounded: the oldest are forgotten first.
    std::set<ClientOrderId> m_ended;
    std::deque<ClientOrderId> m_endedOrder;
    std::size_t m_inconsistent = 0;
    std::size_t m_adopted = 0;
    std::size_t m_settled = 0;
};

} // namespace md::venue
