#include "risk/riskgate.h"

#include <fmt/format.h>

#include <algorithm>

namespace md {

RiskGate::RiskGate(std::vector<Instrument> instruments, RiskLimits limits)
    : m_limits(std::move(limits)) {
    for (std::size_t id = 0; id < instruments.size(); ++id) {
        MarketRisk m;
        m.id = static_cast<MarketId>(id);
        m.instrument = std::move(instruments[id]);
        m.tokens = m_limits.orderBurst;
        m.ledger = PnlLedger(m.instrument);
        m_markets.push_back(std::move(m));
    }
}

Decimal RiskGate::position(const std::string& asset) const {
    Decimal total;
    for (const auto& m : m_markets)
        if (m.instrument.base == asset)
            total += m.ledger.position();
    return total;
}

std::optional<Refusal> RiskGate::check(MarketId market, const ActionKind& action, std::int64_t nowNs) {
    if (market >= m_markets.size())
        return Refusal{RejectionReason::InvalidOrder, "unknown market"};
    const auto* place = std::get_if<PlaceLimit>(&action);
    if (!place)
        return std::nullopt; // cancels always pass: they only ever reduce risk
    return checkPlacement(m_markets[market], *place, nowNs);
}

std::optional<Refusal> RiskGate::checkPlacement(MarketRisk& m, const PlaceLimit& p, std::int64_t nowNs) {
    const TradingState state = strictest(m_global, m.state);
    if (state == TradingState::Halted)
        return Refusal{RejectionReason::Halted, "trading halted: placements refused, cancels still pass"};
    if (!p.quantity.isPositive())
        return Refusal{RejectionReason::InvalidOrder, "order quantity must be positive"};
    const Decimal base = position(m.instrument.base);
    if (state == TradingState::ReduceOnly) {
        const Decimal signedQty = p.side == Side::Bid ? p.quantity.decimal() : -p.quantity.decimal();
        const Decimal after = base + signedQty;
        const auto magnitude = [](Decimal d) { return d.isNegative() ? -d : d; };
        if (base.isZero() || magnitude(after) >= magnitude(base) ||
            (after.isNegative() != base.isNegative() && !after.isZero()))
            return Refusal{RejectionReason::ReduceOnly,
                           fmt::format("reduce-only: {} {} would not reduce the {} position of {}", nameOf(p.side),
                                       p.quantity.toString(), m.instrument.base, base.toTrimmedString())};
    }
    if (static_cast<int>(m.open.size()) >= m_limits.maxOpenOrders)
        return Refusal{RejectionReason::MaxOpenOrders,
                       fmt::format("limit max_open_orders: {} open already", m.open.size())};
    const Notional notional = p.price * p.quantity;
    if (m_limits.maxOrderNotional && notional.decimal() > *m_limits.maxOrderNotional)
        return Refusal{RejectionReason::MaxOrderNotional,
                       fmt::format("limit max_order_notional: {} {} > {} {}", notional.decimal().toTrimmedString(),
                                   m.instrument.quote, m_limits.maxOrderNotional->toTrimmedString(),
                                   m.instrument.quote)};
    auto limit = m_limits.maxPosition.find(m.instrument.base);
    if (limit != m_limits.maxPosition.end()) {
        const Decimal worst = worstPosition(m, p, base);
        if (worst > limit->second)
            return Refusal{RejectionReason::MaxPosition,
                           fmt::format("limit max_position {}: could reach {} > {}", m.instrument.base,
                                       worst.toTrimmedString(), limit->second.toTrimmedString())};
    }
    // The market's own position: a desk that is flat overall (Mirror recoups every fill elsewhere) can
    // still run one venue dry of an asset.
    if (auto perMarket = m_limits.maxMarketPosition.find(m.id); perMarket != m_limits.maxMarketPosition.end()) {
        if (auto own = perMarket->second.find(m.instrument.base); own != perMarket->second.end()) {
            const Decimal worst = worstPosition(m, p, m.ledger.position());
            if (worst > own->second)
                return Refusal{RejectionReason::MaxPosition,
                               fmt::format("limit max_position {} on this market: could reach {} > {}",
                                           m.instrument.base, worst.toTrimmedString(), own->second.toTrimmedString())};
        }
    }
    // The bucket is charged last, so a refused order does not use up the rate.
    if (m.lastRefillNs == 0)
        m.lastRefillNs = nowNs;
    m.tokens = std::min(m_limits.orderBurst, m.tokens + (nowNs - m.lastRefillNs) / 1e9 * m_limits.maxOrdersPerSecond);
    m.lastRefillNs = nowNs;
    if (m.tokens < 1)
        return Refusal{RejectionReason::MaxOrdersPerSecond,
                       fmt::format("limit max_orders_per_second: {} per second (burst {})", m_limits.maxOrdersPerSecond,
                                   m_limits.orderBurst)};
    m.tokens -= 1;
    return std::nullopt;
}

Decimal RiskGate::worstPosition(const MarketRisk& m, const PlaceLimit& p, Decimal base) const {
    Decimal buys = p.side == Side::Bid ? p.quantity.decimal() : Decimal();
    Decimal sells = p.side == Side::Ask ? p.quantity.decimal() : Decimal();
    for (const auto& [id, o] : m.open)
        (o.side == Side::Bid ? buys : sells) += o.remaining.decimal();
    const Decimal up = base + buys;
    const Decimal down = base - sells;
    const Decimal downAbs = down.isNegative() ? -down : down;
    const Decimal upAbs = up.isNegative() ? -up : up;
    return upAbs > downAbs ? upAbs : downAbs;
}

void RiskGate::onQueued(MarketId market, const ActionKind& action) {
    if (const auto* p = std::get_if<PlaceLimit>(&action))
        m_markets.at(market).open[p->id] = OpenOrder{p->side, p->quantity};
}

void RiskGate::onEvent(const TradingEvent& event) {
    if (event.market >= m_markets.size())
        return;
    MarketRisk& m = m_markets[event.market];
    std::visit(Overloaded{[&](const OrderFilled& f) {
                              m.ledger.onFill(f.side, f.price, f.quantity, f.fee(), f.feeAsset());
                              auto it = m.open.find(f.id);
                              if (it != m.open.end())
                                  it->second.remaining -= f.quantity;
                          },
                          [&](const OrderCancelled& c) { m.open.erase(c.id); },
                          [&](const OrderDone& d) { m.open.erase(d.id); },
                          [&](const OrderRejected& r) { m.open.erase(r.id); }, [](const auto&) {}},
               event.payload);
}

} // namespace md
