#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

namespace md::venue {

/// The reconnect delay of one connection: exponential from `initialMs` to `maxMs`, with ±20 %
/// jitter so that many clients do not come back in step. The owner decides when a connection was
/// healthy enough to reset() it — never merely because it opened, or a server that accepts and
/// drops at once would get a storm. Also used as the pause between queries of an unknown outcome.
/// Thread: the thread of the client that owns it.
class ReconnectBackoff {
public:
    ReconnectBackoff(int initialMs, int maxMs, std::uint64_t seed = std::random_device{}())
        : m_initialMs(initialMs)
        , m_maxMs(maxMs)
        , m_rng(seed) {}

    /// The delay before the next attempt; each call counts one attempt.
    int next() {
        const double base = std::min<double>(m_maxMs, m_initialMs * std::pow(2.0, std::min(m_attempt, 30)));
        std::uniform_real_distribution<double> jitter(0.8, 1.2);
        ++m_attempt;
        return std::max(1, static_cast<int>(base * jitter(m_rng)));
    }
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    int m_initialMs;
    int m_maxMs;
    int m_attempt = 0;
    std::mt19937_64 m_rng;
};

} // namespace md::venue
