#pragma once

#include "common/clock.h"

#include <cstdint>
#include <memory>
#include <mutex>

namespace md::venue {

/// A rate counter that rises by each transaction's cost and decays continuously, refused by the venue
/// past a threshold — Kraken's per-pair order-rate counter (https://docs.kraken.com/exchange/guides/
/// general/ratelimits), a leaky bucket in general. Kept locally so that we slow down before the venue
/// refuses: a transaction waits while it would take the counter within `headroom` of the threshold.
/// What the venue says about its own count (a refusal, a reported counter) raises ours, never lowers it.
/// Thread: any (one mutex; every call is short).
class DecayingCounter {
public:
    DecayingCounter(double threshold, double decayPerSecond, double headroom,
                    std::shared_ptr<const Clock> clock = Clock::system());

    /// How long a transaction of `cost` must wait before it fits under threshold - headroom (0: now).
    std::int64_t waitMs(double cost) const;
    /// Counts a transaction (whether or not it waited).
    void add(double cost);
    /// The venue counted at least `value` (or refused us: pass the threshold).
    void observe(double value);
    double value() const;
    double threshold() const { return m_threshold; }
    /// threshold - headroom - value: what may still be spent now.
    double headroomLeft() const;

private:
    double decayed(std::int64_t now) const;

    double m_threshold;
    double m_decayPerSecond;
    double m_headroom;
    std::shared_ptr<const Clock> m_clock;
    mutable std::mutex m_mutex;
    double m_value = 0;
    std::int64_t m_atMs = 0;
};

} // namespace md::venue
