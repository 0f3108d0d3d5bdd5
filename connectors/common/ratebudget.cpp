#include "common/ratebudget.h"

#include <algorithm>
#include <cmath>

namespace md::venue {

RateBudget::RateBudget(std::string name, std::shared_ptr<const Clock> clock, double headroom)
    : m_name(std::move(name))
    , m_clock(std::move(clock))
    , m_headroom(std::clamp(headroom, 0.1, 1.0)) {}

void RateBudget::roll(Quota& q, std::int64_t now) const {
    // Windows start at multiples of the interval since the epoch: a 1-minute window at every
    // minute, a day at 00:00 UTC — how exchanges count (and reset) them.
    const std::int64_t start = now - (now % q.intervalMs);
    if (start != q.windowStartMs) {
        q.windowStartMs = start;
        q.used = 0;
    }
}

std::int64_t RateBudget::allowance(const Quota& q) const {
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(static_cast<double>(q.limit) * m_headroom)));
}

void RateBudget::setQuota(const std::string& key, std::int64_t limit, std::int64_t intervalMs) {
    if (limit <= 0 || intervalMs <= 0)
        return;
    std::lock_guard lock(m_mutex);
    Quota& q = m_quotas[key];
    q.limit = limit;
    q.intervalMs = intervalMs;
}

bool RateBudget::hasQuota(const std::string& key) const {
    std::lock_guard lock(m_mutex);
    return m_quotas.count(key) != 0;
}

RateBudget::Grant RateBudget::tryAcquire(const std::vector<RateCost>& costs) {
    const std::int64_t now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    Grant grant;
    if (now < m_pausedUntilMs) {
        ++m_waits;
        grant.waitMs = m_pausedUntilMs - now;
        grant.reason = m_pauseReason;
        return grant;
    }
    for (const RateCost& cost : costs) {
        auto it = m_quotas.find(cost.key);
        if (it == m_quotas.end() || cost.amount <= 0)
            continue;
        Quota& q = it->second;
        roll(q, now);
        if (q.used + cost.amount > allowance(q)) {
            const std::int64_t wait = q.windowStartMs + q.intervalMs - now;
            if (wait > grant.waitMs) {
                grant.waitMs = wait;
                grant.reason = cost.key + " " + std::to_string(q.used) + " of " + std::to_string(q.limit) +
                               " used in this " + std::to_string(q.intervalMs / 1000) + " s window";
            }
        }
    }
    if (grant.waitMs > 0) {
        ++m_waits;
        return grant;
    }
    for (const RateCost& cost : costs)
        if (auto it = m_quotas.find(cost.key); it != m_quotas.end() && cost.amount > 0)
            it->second.used += cost.amount;
    grant.granted = true;
    return grant;
}

void RateBudget::refund(const std::vector<RateCost>& costs) {
    const std::int64_t now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    for (const RateCost& cost : costs) {
        auto it = m_quotas.find(cost.key);
        if (it == m_quotas.end())
            continue;
        roll(it->second, now);
        it->second.used = std::max<std::int64_t>(0, it->second.used - cost.amount);
    }
}

void RateBudget::observe(const std::string& key, std::int64_t used) {
    const std::int64_t now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    auto it = m_quotas.find(key);
    if (it == m_quotas.end())
        return;
    roll(it->second, now);
    it->second.used = std::max(it->second.used, used);
}

void RateBudget::pauseUntil(std::int64_t untilMs, const std::string& why) {
    std::lock_guard lock(m_mutex);
    if (untilMs <= m_pausedUntilMs)
        return;
    m_pausedUntilMs = untilMs;
    m_pauseReason = why;
    ++m_pauses;
}

std::int64_t RateBudget::pausedUntilMs() const {
    std::lock_guard lock(m_mutex);
    return m_pausedUntilMs;
}

std::string RateBudget::pauseReason() const {
    std::lock_guard lock(m_mutex);
    return m_pauseReason;
}

std::vector<RateBudget::Usage> RateBudget::usage() const {
    const std::int64_t now = m_clock->nowMs();
    std::lock_guard lock(m_mutex);
    std::vector<Usage> out;
    for (const auto& [key, q] : m_quotas) {
        Quota copy = q;
        roll(copy, now);
        out.push_back({key, copy.used, copy.limit, copy.intervalMs, copy.windowStartMs + copy.intervalMs});
    }
    return out;
}

std::uint64_t RateBudget::pauses() const {
    std::lock_guard lock(m_mutex);
    return m_pauses;
}

std::uint64_t RateBudget::waits() const {
    std::lock_guard lock(m_mutex);
    return m_waits;
}

RateBudgetRegistry::RateBudgetRegistry(std::shared_ptr<const Clock> clock, double headroom)
    : m_clock(std::move(clock))
    , m_headroom(headroom) {}

std::shared_ptr<RateBudget> RateBudgetRegistry::budget(const std::string& key) {
    std::lock_guard lock(m_mutex);
    auto& slot = m_budgets[key];
    if (!slot)
        slot = std::make_shared<RateBudget>(key, m_clock, m_headroom);
    return slot;
}

} // namespace md::venue
