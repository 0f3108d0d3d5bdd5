#pragma once

#include "common/clock.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace md::venue {

/// What one request costs against one quota ("weight" 4, "orders" 1).
struct RateCost {
    std::string key;
    std::int64_t amount = 1;
};

/// The request budget of one exchange host, shared by every market of the process that talks to
/// it (exchanges count limits per IP address, or per account, never per market). It holds quotas
/// per key — a limit per fixed window aligned to the clock, the way exchanges count them — and
/// answers, for a set of costs checked together, whether the request may go now or how long it
/// must wait. It slows down before the exchange refuses: a request that would take a quota past
/// `headroom` of its limit waits for the next window. What the exchange reports it has counted
/// (response headers, rate-limit fields) raises our count, never lowers it. A 429/418 pauses the
/// whole host until the time the exchange named.
/// Thread: any (one mutex; every call is short and never blocks on anything else).
class RateBudget {
public:
    RateBudget(std::string name, std::shared_ptr<const Clock> clock = Clock::system(), double headroom = 0.9);

    const std::string& name() const { return m_name; }
    /// Sets (or changes) a quota; the count of the current window is kept.
    void setQuota(const std::string& key, std::int64_t limit, std::int64_t intervalMs);
    bool hasQuota(const std::string& key) const;

    struct Grant {
        bool granted = false;
        std::int64_t waitMs = 0; // when not granted: how long until it could be
        std::string reason;      // when not granted: which quota (or the pause) holds it back
    };
    /// All or nothing: either every cost is counted and the request may go, or none is. Costs for
    /// keys without a quota are not limited.
    Grant tryAcquire(const std::vector<RateCost>& costs);
    /// Gives back what a request did not spend after all (it was not sent, or the exchange does not
    /// charge that outcome).
    void refund(const std::vector<RateCost>& costs);
    /// The exchange's own count for the current window of `key`.
    void observe(const std::string& key, std::int64_t used);
    /// 429/418: nothing may go to this host before `untilMs`.
    void pauseUntil(std::int64_t untilMs, const std::string& why);
    std::int64_t pausedUntilMs() const;
    std::string pauseReason() const;

    struct Usage {
        std::string key;
        std::int64_t used = 0;
        std::int64_t limit = 0;
        std::int64_t intervalMs = 0;
        std::int64_t windowEndsMs = 0;
    };
    std::vector<Usage> usage() const;
    std::uint64_t pauses() const;
    std::uint64_t waits() const; // requests told to wait (by the headroom or a pause)

private:
    struct Quota {
        std::int64_t limit = 0;
        std::int64_t intervalMs = 0;
        std::int64_t windowStartMs = 0;
        std::int64_t used = 0;
    };
    void roll(Quota& q, std::int64_t now) const;
    std::int64_t allowance(const Quota& q) const;

    std::string m_name;
    std::shared_ptr<const Clock> m_clock;
    double m_headroom;
    mutable std::mutex m_mutex;
    std::map<std::string, Quota> m_quotas;
    std::int64_t m_pausedUntilMs = 0;
    std::string m_pauseReason;
    std::uint64_t m_pauses = 0;
    std::uint64_t m_waits = 0;
};

/// One RateBudget per key (an exchange host), created on first use. A connector factory owns one,
/// so every market of that connector kind in the process shares the budgets.
/// Thread: any (one mutex).
class RateBudgetRegistry {
public:
    explicit RateBudgetRegistry(std::shared_ptr<const Clock> clock = Clock::system(), double headroom = 0.9);
    std::shared_ptr<RateBudget> budget(const std::string& key);

private:
    std::shared_ptr<const Clock> m_clock;
    double m_headroom;
    std::mutex m_mutex;
    std::map<std::string, std::shared_ptr<RateBudget>> m_budgets;
};

} // namespace md::venue
