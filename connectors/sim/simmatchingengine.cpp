#include "simmatchingengine.h"

namespace md {

SimMatchingEngine::SimMatchingEngine(Instrument instrument, std::map<std::string, Decimal> balances, FeeRates fees)
    : m_instrument(std::move(instrument))
    , m_priceScale(m_instrument.priceScale())
    , m_quantityScale(m_instrument.quantityScale())
    , m_fees(fees) {
    for (const auto& asset : {m_instrument.base, m_instrument.quote}) {
        auto it = balances.find(asset);
        m_balances[asset] = Balance{it != balances.end() ? it->second : Decimal(1'000'000, 0), Decimal()};
    }
}

SimMatchingEngine::Balance SimMatchingEngine::balance(const std::string& asset) const {
    auto it = m_balances.find(asset);
    return it == m_balances.end() ? Balance{} : it->second;
}

Decimal SimMatchingEngine::notional(std::int64_t price, std::int64_t quantity) const {
    return Decimal(price, m_priceScale) * Decimal(quantity, m_quantityScale);
}

void SimMatchingEngine::balanceEvent(const std::string& asset, std::vector<TradingEventPayload>& events) {
    const Balance& b = m_balances[asset];
    events.push_back(BalanceUpdated{asset, Quantity(b.free), Quantity(b.locked)});
}

void SimMatchingEngine::place(const PlaceLimit& order, SimBookGenerator& book, std::vector<TradingEventPayload>& events,
                              std::vector<SimMessage>& marketData) {
    auto reject = [&](std::string reason) { events.push_back(OrderRejected{order.id, std::move(reason)}); };
    if (m_orders.count(order.id))
        return reject("duplicate client order id");
    if (!order.quantity.isPositive() || !order.price.isPositive())
        return reject("price and quantity must be positive");
    const auto price = order.price.rescaled(m_priceScale);
    const auto quantity = order.quantity.rescaled(m_quantityScale);
    if (!price || !order.price.isMultipleOf(m_instrument.tick))
        return reject("price " + order.price.toString() + " is not on the tick " + m_instrument.tick.toString());
    if (!quantity || !order.quantity.isMultipleOf(m_instrument.step))
        return reject("quantity " + order.quantity.toString() + " is not on the step " + m_instrument.step.toString());
    // Post-only (a maker order): refused when it would trade on arrival, as Binance's LIMIT_MAKER and
    // Kraken's post_only are.
    if (order.postOnly) {
        const auto opposite = order.side == Side::Bid ? book.bestAsk() : book.bestBid();
        if (opposite && (order.side == Side::Bid ? *opposite <= price->units() : *opposite >= price->units()))
            return reject("post-only order would trade immediately");
    }
    // Funds are locked at the limit price: a buy locks quote, a sell locks base.
    const std::string& lockedAsset = order.side == Side::Bid ? m_instrument.quote : m_instrument.base;
    const Decimal need = order.side == Side::Bid ? notional(price->units(), quantity->units()) : quantity->decimal();
    Balance& funds = m_balances[lockedAsset];
    if (funds.free < need)
        return reject("insufficient balance: " + lockedAsset + " free " + funds.free.toTrimmedString() + ", needs " +
                      need.toTrimmedString());
    funds.free -= need;
    funds.locked += need;
    events.push_back(OrderPlaced{order.id, order.side, order.price, order.quantity});
    balanceEvent(lockedAsset, events);

    Resting resting{order.id, order.side, price->units(), quantity->units()};
    auto [it, inserted] = m_orders.emplace(order.id, resting);
    // The marketable part trades against the public book now, at the book's prices.
    const auto fills = book.take(order.side, resting.price, resting.remaining, marketData);
    for (const auto& [fillPrice, fillQty] : fills)
        fill(it->second, fillQty, fillPrice, false, events);
    if (it->second.remaining == 0)
        finish(order.id, events);
    else if (order.timeInForce == TimeInForce::Ioc)
        cancel(order.id, events); // immediate or cancel: what did not trade now does not rest
}

void SimMatchingEngine::fill(Resting& order, std::int64_t quantity, std::int64_t price, bool maker,
                             std::vector<TradingEventPayload>& events) {
    order.remaining -= quantity;
    const Decimal qty(quantity, m_quantityScale);
    Balance& base = m_balances[m_instrument.base];
    Balance& quote = m_balances[m_instrument.quote];
    const Decimal received = order.side == Side::Bid ? qty : notional(price, quantity);
    const Decimal rate = maker ? m_fees.maker : m_fees.taker;
    const Decimal fee = rate.isZero() ? Decimal() : (received * rate).rounded(kFeeScale, Rounding::Up);
    if (order.side == Side::Bid) {
        // Funds were locked at our limit; a better execution price gives the difference back.
        quote.locked -= notional(order.price, quantity);
        quote.free += notional(order.price - price, quantity);
        base.free += qty - fee;
    } else {
        base.locked -= qty;
        quote.free += received - fee;
    }
    const std::string& feeAsset = order.side == Side::Bid ? m_instrument.base : m_instrument.quote;
    events.push_back(OrderFilled{order.id, order.side, Price(price, m_priceScale), Quantity(qty), fee,
                                 fee.isZero() ? std::string() : feeAsset});
    balanceEvent(m_instrument.base, events);
    balanceEvent(m_instrument.quote, events);
}

void SimMatchingEngine::finish(ClientOrderId id, std::vector<TradingEventPayload>& events) {
    m_orders.erase(id);
    events.push_back(OrderDone{id});
}

bool SimMatchingEngine::cancel(ClientOrderId id, std::vector<TradingEventPayload>& events) {
    auto it = m_orders.find(id);
    if (it == m_orders.end())
        return false;
    const Resting& o = it->second;
    const std::string& asset = o.side == Side::Bid ? m_instrument.quote : m_instrument.base;
    const Decimal release =
        o.side == Side::Bid ? notional(o.price, o.remaining) : Decimal(o.remaining, m_quantityScale);
    m_balances[asset].locked -= release;
    m_balances[asset].free += release;
    m_orders.erase(it);
    events.push_back(OrderCancelled{id});
    balanceEvent(asset, events);
    return true;
}

void SimMatchingEngine::cancelAll(std::vector<TradingEventPayload>& events) {
    std::vector<ClientOrderId> ids;
    for (const auto& [id, o] : m_orders)
        ids.push_back(id);
    for (auto id : ids)
        cancel(id, events);
}

void SimMatchingEngine::onTrade(const SimTrade& trade, std::vector<TradingEventPayload>& events) {
    // A buy aggressor lifts asks at or below its price; a sell aggressor hits bids at or above it.
    std::int64_t left = trade.quantity;
    std::vector<ClientOrderId> done;
    for (auto& [id, o] : m_orders) {
        if (left == 0)
            break;
        const bool hit = trade.aggressor == Side::Bid ? (o.side == Side::Ask && o.price <= trade.price)
                                                      : (o.side == Side::Bid && o.price >= trade.price);
        if (!hit)
            continue;
        const std::int64_t q = std::min(left, o.remaining);
        fill(o, q, o.price, true, events);
        left -= q;
        if (o.remaining == 0)
            done.push_back(id);
    }
    for (auto id : done)
        finish(id, events);
}

std::vector<OpenOrderInfo> SimMatchingEngine::openOrderList() const {
    std::vector<OpenOrderInfo> out;
    for (const auto& [id, o] : m_orders)
        out.push_back({id,
                       "SIM-" + std::to_string(id),
                       o.side,
                       Price(o.price, m_priceScale),
                       Quantity(o.remaining, m_quantityScale),
                       Quantity(0, m_quantityScale),
                       {}});
    return out;
}

void SimMatchingEngine::onBookMoved(std::optional<std::int64_t> bestBid, std::optional<std::int64_t> bestAsk,
                                    std::vector<TradingEventPayload>& events) {
    std::vector<ClientOrderId> done;
    for (auto& [id, o] : m_orders) {
        const bool crossed = o.side == Side::Bid ? (bestAsk && *bestAsk <= o.price) : (bestBid && *bestBid >= o.price);
        if (!crossed)
            continue;
        fill(o, o.remaining, o.price, true, events);
        done.push_back(id);
    }
    for (auto id : done)
        finish(id, events);
}

} // namespace md
