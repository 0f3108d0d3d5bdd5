#pragma once

#include "simwire.h"

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <vector>

namespace md {

/// The simulated exchange's public book: a seeded random walk of the mid with `depth` levels a
/// side on the tick grid, quantity changes, and a trade flow that takes liquidity from the top.
/// Prices are in units of the price scale, quantities in units of the quantity scale.
/// Deterministic for a seed. Thread: owned by one thread at a time (the connector's lock).
class SimBookGenerator {
public:
    SimBookGenerator(std::uint64_t seed, std::int64_t midUnits, std::int64_t tickUnits, std::int64_t lotUnits,
                     int depth, int spreadTicks, double volatility, double meanReversion = 0);

    /// The whole book as a snapshot message.
    SimSnapshot snapshot();
    /// One step of market activity: a quantity change, a mid move (a few level changes) or a trade
    /// (the trade plus the level it took from). Appends to `out`.
    void step(std::vector<SimMessage>& out);
    /// Takes up to `quantity` from the opposite side at prices no worse than `limit` (our marketable
    /// order); returns (price, quantity) fills and appends the level changes to `out`.
    std::vector<std::pair<std::int64_t, std::int64_t>> take(Side aggressor, std::int64_t limit, std::int64_t quantity,
                                                            std::vector<SimMessage>& out);

    std::optional<std::int64_t> bestBid() const;
    std::optional<std::int64_t> bestAsk() const;
    std::size_t depth(Side side) const { return side == Side::Bid ? m_bids.size() : m_asks.size(); }
    std::uint64_t sequence() const { return m_seq; }

private:
    std::int64_t randomQuantity();
    void setLevel(Side side, std::int64_t price, std::int64_t quantity, std::vector<SimMessage>& out);
    void refill(std::vector<SimMessage>& out);

    std::mt19937_64 m_rng;
    std::int64_t m_tick;
    std::int64_t m_lot;
    int m_depth;
    int m_spreadTicks;
    double m_volatility;
    double m_meanReversion;
    std::int64_t m_midTicks;    // the mid in ticks (the best bid sits spread/2 below it)
    std::int64_t m_anchorTicks; // where it started: mean reversion pulls toward it
    std::map<std::int64_t, std::int64_t, std::greater<>> m_bids;
    std::map<std::int64_t, std::int64_t> m_asks;
    std::uint64_t m_seq = 0;
};

} // namespace md
