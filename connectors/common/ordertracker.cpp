#include "common/ordertracker.h"

#include "logging/logging.h"

namespace md::venue {

namespace {
constexpr std::size_t kEndedMemory = 65536;
} // namespace

OrderTracker::OrderTracker(Emit emit, int priceScale, ClientIdCodec ids, std::string logName)
    : m_emit(std::move(emit))
    , m_priceScale(priceScale)
    , m_ids(std::move(ids))
    , m_logName(std::move(logName)) {}

void OrderTracker::log(const std::string& text) const {
    if (!m_logName.empty())
        logging::get(m_logName)->warn("{}", text);
}

void OrderTracker::remember(ClientOrderId id) {
    if (!m_ended.insert(id).second)
        return;
    m_endedOrder.push_back(id);
    while (m_endedOrder.size() > kEndedMemory) {
        m_ended.erase(m_endedOrder.front());
        m_endedOrder.pop_front();
    }
}

void OrderTracker::expect(const PlaceLimit& place) {
    std::lock_guard lock(m_mutex);
    m_ended.erase(place.id);
    m_orders[place.id] = Order{place.side,     place.price, place.quantity, Quantity(0, place.quantity.scale()),
                               Notional(0, 0), false,       false};
}

Price OrderTracker::fillPrice(const Order& order, const OrderUpdate& update, Quantity delta) const {
    // One new fill: the report names its price. Several at once (an answer, or reports merged
    // late): their average from the cumulative quote quantity, rounded to the instrument's scale.
    if (update.lastQuantity == delta && update.lastPrice.isPositive())
        return update.lastPrice;
    const Decimal quote = (update.executedQuote - order.executedQuote).decimal();
    const Decimal qty = delta.decimal();
    if (!quote.isPositive() || !qty.isPositive())
        return order.price;
    // price units at m_priceScale = quoteUnits * 10^(ps + qs - quoteScale) / qtyUnits
    __int128 numerator = quote.units();
    int exponent = m_priceScale + qty.scale() - quote.scale();
    __int128 denominator = qty.units();
    for (; exponent > 0; --exponent)
        numerator *= 10;
    for (; exponent < 0; ++exponent)
        denominator *= 10;
    const __int128 units = (numerator + denominator / 2) / denominator;
    return Price(static_cast<std::int64_t>(units), m_priceScale);
}

bool OrderTracker::apply(const OrderUpdate& u) {
    const auto id = m_ids.ours(u.clientOrderId);
    if (!id)
        return false;
    std::lock_guard lock(m_mutex);
    auto it = m_orders.find(*id);
    if (it == m_orders.end()) {
        if (m_ended.count(*id))
            return false; // news about an order whose end we already reported
        // This run's order, unknown to us: it landed after we had concluded it was not placed.
        // Adopted, so that it is shown, its fills count, and it is cancelled at shutdown.
        if (isFinal(u.state) && !u.executed.isPositive()) {
            remember(*id);
            return true; // it never rested nor traded: nothing to tell anyone
        }
        it = m_orders
                 .emplace(*id, Order{u.side, u.price, u.quantity, Quantity(0, u.quantity.scale()), Notional(0, 0),
                                     false, false})
                 .first;
        ++m_adopted;
        log("order " + u.clientOrderId + " landed after it was given up as not placed: adopted (" +
            std::string(nameOf(u.state)) + ")");
    }
    Order& order = it->second;
    order.unknown = false;
    if (!order.placed && (u.state == OrderState::Rejected || u.state == OrderState::Expired) &&
        !u.executed.isPositive()) {
        m_emit(OrderRejected{*id, u.reason.empty() ? std::string(nameOf(u.state)) : u.reason}, u.eventTimeMs);
        m_orders.erase(it);
        remember(*id);
        return true;
    }
    if (!order.placed) {
        order.placed = true;
        m_emit(OrderPlaced{*id, order.side, order.price, order.quantity}, u.eventTimeMs);
    }
    // More executed than ordered cannot happen; a report that says so is corrupt. The strategy's
    // exposure rests on fills never exceeding the order, so it hears at most the rest, at the
    // order's own price, and the report is counted as inconsistent.
    Quantity executed = u.executed;
    const bool overfilled = order.quantity < executed;
    if (overfilled) {
        executed = order.quantity;
        ++m_inconsistent;
        log("report for " + u.clientOrderId + " claims " + u.executed.toString() + " executed of " +
            order.quantity.toString() + " ordered: capped");
    }
    if (executed > order.executed) {
        const Quantity delta = executed - order.executed;
        const Price price = overfilled ? order.price : fillPrice(order, u, delta);
        // The fee belongs to the last fill: it is told only when this report's new quantity is that
        // fill alone (several fills merged into one delta have no fee we could split honestly).
        bool oneFill = u.lastQuantity == delta && !u.lastFeeAsset.empty();
        if (oneFill && !AssetCode::fits(u.lastFeeAsset)) { // OrderFilled keeps a short code inline
            ++m_inconsistent;
            log("report for " + u.clientOrderId + ": fee asset '" + u.lastFeeAsset + "' is too long to carry: fee of " +
                u.lastFee.toTrimmedString() + " not counted");
            oneFill = false;
        }
        m_emit(OrderFilled{*id, order.side, price, delta, oneFill ? u.lastFee : Decimal(),
                           oneFill ? AssetCode(u.lastFeeAsset) : AssetCode()},
               u.eventTimeMs);
        order.executed = executed;
        order.executedQuote = u.executedQuote;
    }
    if (u.state == OrderState::Filled) {
        m_emit(OrderDone{*id}, u.eventTimeMs);
        m_orders.erase(it);
        remember(*id);
    } else if (isFinal(u.state)) {
        m_emit(OrderCancelled{*id}, u.eventTimeMs);
        m_orders.erase(it);
        remember(*id);
    }
    return true;
}

void OrderTracker::reject(ClientOrderId id, const std::string& reason) {
    std::lock_guard lock(m_mutex);
    auto it = m_orders.find(id);
    if (it == m_orders.end() || it->second.placed)
        return;
    m_emit(OrderRejected{id, reason}, 0);
    m_orders.erase(it);
}

void OrderTracker::markUnknown(ClientOrderId id) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_orders.find(id); it != m_orders.end() && !it->second.placed)
        it->second.unknown = true;
}

void OrderTracker::concludeNotPlaced(ClientOrderId id, const std::string& reason) {
    std::lock_guard lock(m_mutex);
    auto it = m_orders.find(id);
    if (it == m_orders.end() || it->second.placed)
        return;
    m_emit(OrderRejected{id, reason}, 0);
    m_orders.erase(it); // not remembered as ended: a report that proves it placed is adopted
}

void OrderTracker::settle(ClientOrderId id, const std::string& reason) {
    std::lock_guard lock(m_mutex);
    auto it = m_orders.find(id);
    if (it == m_orders.end())
        return;
    if (it->second.placed)
        m_emit(OrderCancelled{id}, 0);
    else
        m_emit(OrderRejected{id, reason}, 0);
    log("order " + m_ids.encode(id) + " settled: " + reason);
    ++m_settled;
    m_orders.erase(it);
    remember(id);
}

bool OrderTracker::isTracked(ClientOrderId id) const {
    std::lock_guard lock(m_mutex);
    return m_orders.count(id) != 0;
}

bool OrderTracker::isPlaced(ClientOrderId id) const {
    std::lock_guard lock(m_mutex);
    auto it = m_orders.find(id);
    return it != m_orders.end() && it->second.placed;
}

std::vector<ClientOrderId> OrderTracker::tracked() const {
    std::lock_guard lock(m_mutex);
    std::vector<ClientOrderId> ids;
    for (const auto& [id, order] : m_orders)
        ids.push_back(id);
    return ids;
}

std::size_t OrderTracker::unknownCount() const {
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto& [id, order] : m_orders)
        n += order.unknown ? 1 : 0;
    return n;
}

std::size_t OrderTracker::inconsistentReports() const {
    std::lock_guard lock(m_mutex);
    return m_inconsistent;
}

std::size_t OrderTracker::adopted() const {
    std::lock_guard lock(m_mutex);
    return m_adopted;
}

std::size_t OrderTracker::settled() const {
    std::lock_guard lock(m_mutex);
    return m_settled;
}

} // namespace md::venue
