#include "common/decayingcounter.h"

#include <algorithm>
#include <cmath>

namespace md::venue {

DecayingCounter::DecayingCounter(double threshold, double decayPerSecond, double headroom,
                                 std::shared_ptr<const Clock> clock)
    : m_threshold(threshold)
    , m_decayPerSecond(decayPerSecond)
    , m_headroom(headroom)
    , m_clock(std::move(clock)) {
    m_atMs = m_clock->nowMs();
}

double DecayingCounter::decayed(std::int64_t now) const {
    return std::max(0.0, m_value - m_decayPerSecond * static_cast<double>(now - m_atMs) / 1000.0);
}

std::int64_t DecayingCounter::waitMs(double cost) const {
    std::lock_guard lock(m_mutex);
    const double limit = m_threshold - m_headroom;
    const double excess = decayed(m_clock->nowMs()) + cost - limit;
    if (excess <= 0 || m_decayPerSecond <= 0)
        return excess <= 0 ? 0 : 1000;
    return static_cast<std::int64_t>(std::ceil(excess / m_decayPerSecond * 1000.0));
}

void DecayingCounter::add(double cost) {
    std::lock_guard lock(m_mutex);
    const std::int64_t now = m_clock->nowMs();
    m_value = decayed(now) + cost;
    m_atMs = now;
}

void DecayingCounter::observe(double value) {
    std::lock_guard lock(m_mutex);
    const std::int64_t now = m_clock->nowMs();
    m_value = std::max(decayed(now), value);
    m_atMs = now;
}

double DecayingCounter::value() const {
    std::lock_guard lock(m_mutex);
    return decayed(m_clock->nowMs());
}

double DecayingCounter::headroomLeft() const {
    return m_threshold - m_headroom - value();
}

} // namespace md::venue
