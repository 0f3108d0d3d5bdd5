#include "orderbook.h"

#include <algorithm>

namespace md {

OrderBook::OrderBook(int priceScale, int quantityScale)
    : m_priceScale(priceScale)
    , m_quantityScale(quantityScale) {}

void OrderBook::clear() {
    m_bids.clear();
    m_asks.clear();
    m_lastUpdateId = 0;
}

bool OrderBook::widen(int priceScale, int quantityScale) {
    priceScale = std::max(priceScale, m_priceScale);
    quantityScale = std::max(quantityScale, m_quantityScale);
    if (priceScale == m_priceScale && quantityScale == m_quantityScale)
        return true;
    auto scaled = [](std::int64_t units, int from, int to) -> std::optional<std::int64_t> {
        auto d = Decimal(units, from).rescaled(to);
        return d ? std::optional<std::int64_t>(d->units()) : std::nullopt;
    };
    auto convert = [&](std::vector<RawLevel>& side) {
        std::vector<RawLevel> out;
        out.reserve(side.size());
        for (const auto& l : side) {
            auto p = scaled(l.price, m_priceScale, priceScale);
            auto q = scaled(l.quantity, m_quantityScale, quantityScale);
            if (!p || !q)
                return false;
            out.push_back({*p, *q});
        }
        side = std::move(out);
        return true;
    };
    std::vector<RawLevel> bids = m_bids, asks = m_asks;
    if (!convert(bids) || !convert(asks))
        return false;
    m_bids = std::move(bids);
    m_asks = std::move(asks);
    m_priceScale = priceScale;
    m_quantityScale = quantityScale;
    return true;
}

bool OrderBook::applySnapshot(const std::vector<BookLevel>& bids, const std::vector<BookLevel>& asks,
                              std::uint64_t updateId) {
    int priceScale = m_priceScale, quantityScale = m_quantityScale;
    for (const auto* side : {&bids, &asks})
        for (const auto& l : *side) {
            priceScale = std::max(priceScale, l.price.scale());
            quantityScale = std::max(quantityScale, l.quantity.scale());
        }
    // Finer levels widen the book (never narrow it: a level once finer may come back).
    if (!widen(priceScale, quantityScale))
        return false;
    std::vector<RawLevel> newBids;
    std::vector<RawLevel> newAsks;
    newBids.reserve(bids.size());
    newAsks.reserve(asks.size());
    auto convert = [this](const std::vector<BookLevel>& in, std::vector<RawLevel>& out) {
        for (const auto& l : in) {
            auto p = l.price.rescaled(m_priceScale);
            auto q = l.quantity.rescaled(m_quantityScale);
            if (!p || !q)
                return false;
            if (q->units() > 0)
                out.push_back({p->units(), q->units()});
        }
        return true;
    };
    if (!convert(bids, newBids) || !convert(asks, newAsks))
        return false;
    std::sort(newBids.begin(), newBids.end(), [](const RawLevel& a, const RawLevel& b) { return a.price > b.price; });
    std::sort(newAsks.begin(), newAsks.end(), [](const RawLevel& a, const RawLevel& b) { return a.price < b.price; });
    m_bids = std::move(newBids);
    m_asks = std::move(newAsks);
    m_lastUpdateId = updateId;
    return true;
}

bool OrderBook::applyChange(const BookChange& change) {
    if ((change.price.scale() > m_priceScale || change.quantity.scale() > m_quantityScale) &&
        !widen(change.price.scale(), change.quantity.scale()))
        return false;
    auto p = change.price.rescaled(m_priceScale);
    auto q = change.quantity.rescaled(m_quantityScale);
    if (!p || !q || q->isNegative())
        return false;
    applyRaw(change.side, p->units(), q->units());
    return true;
}

void OrderBook::applyRaw(Side side, std::int64_t priceUnits, std::int64_t quantityUnits) {
    auto& levels = side == Side::Bid ? m_bids : m_asks;
    // Updates cluster at the top of the book, so a short linear scan from the front wins over a
    // binary search for the first few levels; fall back to lower_bound beyond that.
    auto before = [side](const RawLevel& l, std::int64_t price) {
        return side == Side::Bid ? l.price > price : l.price < price;
    };
    auto it = levels.begin();
    const auto scanEnd = levels.size() > 8 ? levels.begin() + 8 : levels.end();
    while (it != scanEnd && before(*it, priceUnits))
        ++it;
    if (it == scanEnd && scanEnd != levels.end())
        it = std::lower_bound(it, levels.end(), priceUnits, before);
    const bool found = it != levels.end() && it->price == priceUnits;
    if (quantityUnits <= 0) {
        if (found)
            levels.erase(it);
        return;
    }
    if (found)
        it->quantity = quantityUnits;
    else
        levels.insert(it, RawLevel{priceUnits, quantityUnits});
}

std::optional<BookLevel> OrderBook::bestBid() const {
    return level(Side::Bid, 0);
}
std::optional<BookLevel> OrderBook::bestAsk() const {
    return level(Side::Ask, 0);
}

std::optional<BookLevel> OrderBook::level(Side side, std::size_t index) const {
    const auto& levels = rawSide(side);
    if (index >= levels.size())
        return std::nullopt;
    return toLevel(levels[index]);
}

std::optional<Price> OrderBook::mid() const {
    if (m_bids.empty() || m_asks.empty())
        return std::nullopt;
    // One more digit keeps the mid exact for any pair of ticks.
    std::int64_t twice = m_bids.front().price + m_asks.front().price;
    return Price(twice * 5, m_priceScale + 1);
}

bool OrderBook::isCrossed() const {
    return !m_bids.empty() && !m_asks.empty() && m_bids.front().price >= m_asks.front().price;
}

Quantity OrderBook::quantityAt(Side side, Price price) const {
    auto p = price.rescaled(m_priceScale);
    if (!p)
        return Quantity(0, m_quantityScale);
    for (const auto& l : rawSide(side))
        if (l.price == p->units())
            return Quantity(l.quantity, m_quantityScale);
    return Quantity(0, m_quantityScale);
}

std::vector<BookLevel> OrderBook::top(Side side, std::size_t count) const {
    const auto& levels = rawSide(side);
    std::vector<BookLevel> out;
    out.reserve(std::min(count, levels.size()));
    for (std::size_t i = 0; i < levels.size() && i < count; ++i)
        out.push_back(toLevel(levels[i]));
    return out;
}

} // namespace md
