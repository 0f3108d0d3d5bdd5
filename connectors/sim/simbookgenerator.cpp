#include "simbookgenerator.h"

#include <algorithm>

namespace md {

SimBookGenerator::SimBookGenerator(std::uint64_t seed, std::int64_t midUnits, std::int64_t tickUnits,
                                   std::int64_t lotUnits, int depth, int spreadTicks, double volatility,
                                   double meanReversion)
    : m_rng(seed)
    , m_tick(std::max<std::int64_t>(1, tickUnits))
    , m_lot(std::max<std::int64_t>(1, lotUnits))
    , m_depth(depth)
    , m_spreadTicks(std::max(1, spreadTicks))
    , m_volatility(volatility)
    , m_meanReversion(meanReversion)
    , m_midTicks(std::max<std::int64_t>(m_spreadTicks + depth + 1, midUnits / m_tick))
    , m_anchorTicks(m_midTicks) {
    std::vector<SimMessage> ignored;
    refill(ignored);
}

std::int64_t SimBookGenerator::randomQuantity() {
    // Mostly small levels with an occasional large one, like real books.
    std::uniform_int_distribution<int> lots(1, 400);
    const int n = lots(m_rng);
    return m_lot * (n > 390 ? n * 5 : n);
}

void SimBookGenerator::setLevel(Side side, std::int64_t price, std::int64_t quantity, std::vector<SimMessage>& out) {
    if (side == Side::Bid) {
        if (quantity > 0)
            m_bids[price] = quantity;
        else
            m_bids.erase(price);
    } else {
        if (quantity > 0)
            m_asks[price] = quantity;
        else
            m_asks.erase(price);
    }
    out.push_back(SimDepth{++m_seq, side, price, quantity});
}

void SimBookGenerator::refill(std::vector<SimMessage>& out) {
    // The grid the book should cover around the current mid; levels off it go, missing ones come.
    const std::int64_t bestBid = (m_midTicks - m_spreadTicks / 2) * m_tick;
    const std::int64_t bestAsk = bestBid + m_spreadTicks * m_tick;
    const std::int64_t lowestBid = bestBid - (m_depth - 1) * m_tick;
    const std::int64_t highestAsk = bestAsk + (m_depth - 1) * m_tick;
    std::vector<std::int64_t> drop;
    for (const auto& [p, q] : m_bids)
        if (p > bestBid || p < lowestBid)
            drop.push_back(p);
    for (auto p : drop)
        setLevel(Side::Bid, p, 0, out);
    drop.clear();
    for (const auto& [p, q] : m_asks)
        if (p < bestAsk || p > highestAsk)
            drop.push_back(p);
    for (auto p : drop)
        setLevel(Side::Ask, p, 0, out);
    for (std::int64_t p = bestBid; p >= lowestBid && p > 0; p -= m_tick)
        if (!m_bids.count(p))
            setLevel(Side::Bid, p, randomQuantity(), out);
    for (std::int64_t p = bestAsk; p <= highestAsk; p += m_tick)
        if (!m_asks.count(p))
            setLevel(Side::Ask, p, randomQuantity(), out);
}

SimSnapshot SimBookGenerator::snapshot() {
    SimSnapshot s;
    s.seq = m_seq;
    s.bids.assign(m_bids.begin(), m_bids.end());
    s.asks.assign(m_asks.begin(), m_asks.end());
    return s;
}

void SimBookGenerator::step(std::vector<SimMessage>& out) {
    std::uniform_real_distribution<double> u(0, 1);
    const double roll = u(m_rng);
    if (roll < m_volatility) {
        // Down with probability 1/2, shifted by the reversion toward the anchor (one draw either way, so
        // a seed gives the same walk with or without it when the mid sits at the anchor).
        const double down = 0.5 + (m_midTicks > m_anchorTicks   ? 0.5
                                   : m_midTicks < m_anchorTicks ? -0.5
                                                                : 0.0) *
                                      m_meanReversion;
        m_midTicks += u(m_rng) < down ? -1 : 1;
        m_midTicks = std::max<std::int64_t>(m_midTicks, m_spreadTicks + m_depth + 1);
        refill(out);
    } else if (roll < m_volatility + 0.15 && !m_bids.empty() && !m_asks.empty()) {
        // A trade against the top of one side.
        const Side aggressor = u(m_rng) < 0.5 ? Side::Bid : Side::Ask;
        const std::int64_t price = aggressor == Side::Bid ? m_asks.begin()->first : m_bids.begin()->first;
        const std::int64_t available = aggressor == Side::Bid ? m_asks.begin()->second : m_bids.begin()->second;
        std::uniform_int_distribution<std::int64_t> size(1, std::max<std::int64_t>(1, available / m_lot));
        const std::int64_t quantity = std::min(available, size(m_rng) * m_lot);
        out.push_back(SimTrade{++m_seq, aggressor, price, quantity});
        const Side taken = opposite(aggressor);
        const std::int64_t left = available - quantity;
        // An emptied level is replenished at once, so the book keeps its depth.
        setLevel(taken, price, left > 0 ? left : randomQuantity(), out);
    } else {
        // A quantity change somewhere in the top of the book.
        const Side side = u(m_rng) < 0.5 ? Side::Bid : Side::Ask;
        std::uniform_int_distribution<int> level(0, std::min(m_depth, 10) - 1);
        const int index = level(m_rng);
        std::int64_t price = 0;
        if (side == Side::Bid && !m_bids.empty())
            price = std::next(m_bids.begin(), std::min<std::size_t>(index, m_bids.size() - 1))->first;
        else if (side == Side::Ask && !m_asks.empty())
            price = std::next(m_asks.begin(), std::min<std::size_t>(index, m_asks.size() - 1))->first;
        if (price > 0)
            setLevel(side, price, randomQuantity(), out);
    }
}

std::vector<std::pair<std::int64_t, std::int64_t>>
SimBookGenerator::take(Side aggressor, std::int64_t limit, std::int64_t quantity, std::vector<SimMessage>& out) {
    std::vector<std::pair<std::int64_t, std::int64_t>> fills;
    while (quantity > 0) {
        std::optional<std::pair<std::int64_t, std::int64_t>> top;
        if (aggressor == Side::Bid && !m_asks.empty() && m_asks.begin()->first <= limit)
            top = *m_asks.begin();
        if (aggressor == Side::Ask && !m_bids.empty() && m_bids.begin()->first >= limit)
            top = *m_bids.begin();
        if (!top)
            break;
        const std::int64_t q = std::min(quantity, top->second);
        fills.emplace_back(top->first, q);
        quantity -= q;
        setLevel(opposite(aggressor), top->first, top->second - q, out);
    }
    return fills;
}

std::optional<std::int64_t> SimBookGenerator::bestBid() const {
    return m_bids.empty() ? std::nullopt : std::optional(m_bids.begin()->first);
}

std::optional<std::int64_t> SimBookGenerator::bestAsk() const {
    return m_asks.empty() ? std::nullopt : std::optional(m_asks.begin()->first);
}

} // namespace md
