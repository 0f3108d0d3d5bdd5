#pragma once

#include <algorithm>
#include <cmath>
#include <random>

namespace md::binance {

/// The reconnect delay of one connection: exponential from `initialMs` to `maxMs`, with ±20 %
/// jitter so that many clients do not come back in step. The owner decides when a connection was
/// healthy enough to reset() it — never merely because it opened, or a server that accepts and
/// drops at once would get a storm.
/// Thread: the thread of the client that owns it.
class ReconnectBackoff {
public:
    ReconnectBackoff(int initialMs, int maxMs)
        : m_initialMs(initialMs)
        , m_maxMs(maxMs) {}

    /// The delay before the next attempt; each call counts one attempt.
    int next() {
        const double base = std::min<double>(m_maxMs, m_initialMs * std::pow(2.0, m_attempt));
        std::uniform_real_distribution<double> jitter(0.8, 1.2);
        ++m_attempt;
        return static_cast<int>(base * jitter(m_rng));
    }
    void reset() { m_attempt = 0; }
    int attempts() const { return m_attempt; }

private:
    int m_initialMs;
    int m_maxMs;
    int m_attempt = 0;
    std::mt19937 m_rng{std::random_device{}()};
};

} // namespace md::binance
