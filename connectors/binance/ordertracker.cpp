#include "binance/ordertracker.h"

#include "logging/logging.h"

#include <charconv>
#include <string_view>

namespace md::binance {

namespace {
constexpr std::string_view kPrefix = "md-";
} // namespace

OrderTracker::OrderTracker(Emit emit, int priceScale, std::string runTag, std::string logName)
    : m_emit(std::move(emit))
    , m_priceScale(priceScale)
    , m_runTag(std::move(runTag))
    , m_logName(std::move(logName)) {}

std::size_t OrderTracker::inconsistentReports() const {
    std::lock_guard lock(m_mutex);
    return m_inconsistent;
}

std::string OrderTracker::exchangeClientId(ClientOrderId id) const {
    std::string out(kPrefix);
    if (!m_runTag.empty())
        out += m_runTag + "-";
    return out + std::to_string(id);
}

std::optional<OrderTracker::ParsedClientId> OrderTracker::parseClientId(const std::string& clientOrderId) {
    if (clientOrderId.size() <= kPrefix.size() || clientOrderId.compare(0, kPrefix.size(), kPrefix) != 0)
        return std::nullopt;
    std::string_view rest(clientOrderId);
    rest.remove_prefix(kPrefix.size());
    ParsedClientId parsed;
    if (const auto dash = rest.find('-'); dash != std::string_view::npos) {
        parsed.runTag = std::string(rest.substr(0, dash));
        rest.remove_prefix(dash + 1);
        if (parsed.runTag.empty())
            return std::nullopt;
        for (char c : parsed.runTag)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
                return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), parsed.id);
    if (ec != std::errc() || ptr != rest.data() + rest.size() || parsed.id == 0)
        return std::nullopt;
    return parsed;
}

std::optional<ClientOrderId> OrderTracker::ourId(const std::string& clientOrderId) const {
    const auto parsed = parseClientId(clientOrderId);
    if (!parsed || parsed->runTag != m_runTag)
        return std::nullopt;
    return parsed->id;
}

void OrderTracker::expect(const PlaceLimit& place) {
    std::lock_guard lock(m_mutex);
    m_orders[place.id] = Order{place.side,     place.price, place.quantity, Quantity(0, place.quantity.scale()),
                               Notional(0, 0), false,       false};
}

Price OrderTracker::fillPrice(const Order& order, const OrderReport& report, Quantity delta) const {
    // One new fill: the report names its price. Several at once (a REST answer, or reports merged
    // late): their average from the cumulative quote quantity, rounded to the instrument's scale.
    if (report.lastQuantity == delta && report.lastPrice.decimal().isPositive())
        return report.lastPrice;
    const Decimal quote = (report.executedQuote - order.executedQuote).decimal();
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

bool OrderTracker::apply(const OrderReport& report) {
    const auto id = ourId(report.clientOrderId);
    if (!id)
        return false;
    std::lock_guard lock(m_mutex);
    auto it = m_orders.find(*id);
    if (it == m_orders.end())
        return false;
    Order& order = it->second;
    order.unknown = false;
    if (!order.placed && (report.status == "REJECTED" || report.status == "EXPIRED") &&
        !report.executed.decimal().isPositive()) {
        m_emit(OrderRejected{*id, "Binance " + report.status +
                                      (report.rejectReason.empty() ? "" : ": " + report.rejectReason)},
               report.eventTimeMs);
        m_orders.erase(it);
        return true;
    }
    if (!order.placed) {
        order.placed = true;
        m_emit(OrderPlaced{*id, order.side, order.price, order.quantity}, report.eventTimeMs);
    }
    // More executed than ordered cannot happen on Binance; a report that says so is corrupt. The
    // strategy's exposure rests on fills never exceeding the order, so it hears at most the rest,
    // at the order's own price, and the report is counted as inconsistent.
    Quantity executed = report.executed;
    const bool overfilled = order.quantity < executed;
    if (overfilled) {
        executed = order.quantity;
        ++m_inconsistent;
        if (!m_logName.empty())
            logging::get(m_logName)->error("report for {} claims {} executed of {} ordered: capped",
                                           report.clientOrderId, report.executed.toString(), order.quantity.toString());
    }
    if (executed > order.executed) {
        const Quantity delta = executed - order.executed;
        const Price price = overfilled ? order.price : fillPrice(order, report, delta);
        // The commission belongs to the report's last execution: told only when the new quantity is
        // that execution alone (a REST answer merging several fills carries none).
        const bool oneFill = report.lastQuantity == delta && !report.commissionAsset.empty();
        m_emit(OrderFilled{*id, order.side, price, delta, oneFill ? report.commission : Decimal(),
                           oneFill ? report.commissionAsset : std::string()},
               report.eventTimeMs);
        order.executed = executed;
        order.executedQuote = report.executedQuote;
    }
    if (report.status == "FILLED") {
        m_emit(OrderDone{*id}, report.eventTimeMs);
        m_orders.erase(it);
    } else if (report.status == "CANCELED" || report.status == "EXPIRED" || report.status == "EXPIRED_IN_MATCH" ||
               report.status == "REJECTED") {
        m_emit(OrderCancelled{*id}, report.eventTimeMs);
        m_orders.erase(it);
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

bool OrderTracker::isTracked(ClientOrderId id) const {
    std::lock_guard lock(m_mutex);
    return m_orders.count(id) != 0;
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

} // namespace md::binance
