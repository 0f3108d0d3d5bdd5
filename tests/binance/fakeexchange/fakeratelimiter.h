#pragma once

#include <QByteArray>

#include <cstdint>
#include <optional>

namespace md::test {

/// The fake exchange's rate limits, per IP (everything on loopback is one IP) as Binance counts
/// them (rest-api.md "LIMITS", web-socket-api.md "Rate limits"): request weight and order count in
/// fixed windows; a request that goes over gets 429 with how long to wait; a client that keeps
/// sending during that wait is banned — 418 — for a while.
/// Thread: the fake exchange's thread.
class FakeRateLimiter {
public:
    struct Verdict {
        int status = 200; // 200, 429 or 418
        int code = 0;     // -1003 (weight, ban) or -1015 (orders)
        QByteArray message;
        std::int64_t retryAfterMs = 0; // when it may retry (epoch ms)
    };

    void configure(int weightLimit, int weightIntervalSeconds, int orderLimit, int orderIntervalSeconds);
    int weightLimit() const { return m_weightLimit; }
    int weightIntervalSeconds() const { return m_weightInterval; }
    int orderLimit() const { return m_orderLimit; }
    int orderIntervalSeconds() const { return m_orderInterval; }

    /// Counts a request of `weight` (and, for a placement, one order) and says whether it may be served.
    Verdict admit(int weight, bool placement, std::int64_t nowMs);
    /// The exchange charges nothing for a successful placement or cancel (CHANGELOG 2026-03-27).
    void refundWeight(int weight);
    /// A placement that failed does not count as an order.
    void refundOrder();
    /// Forces the budget over the limit (another program on the same IP spent it).
    void exhaust(std::int64_t nowMs);

    int usedWeight(std::int64_t nowMs);
    int usedOrders(std::int64_t nowMs);
    int tooManyRequests() const { return m_429s; }
    int bans() const { return m_418s; }
    int requestsDuringCooldown() const { return m_duringCooldown; }

private:
    void roll(std::int64_t nowMs);

    int m_weightLimit = 6000;
    int m_weightInterval = 60;
    int m_orderLimit = 100;
    int m_orderInterval = 10;
    std::int64_t m_weightWindow = -1;
    std::int64_t m_orderWindow = -1;
    int m_weight = 0;
    int m_orders = 0;
    std::int64_t m_cooldownUntil = 0;
    std::int64_t m_bannedUntil = 0;
    int m_duringCooldown = 0;
    int m_429s = 0;
    int m_418s = 0;
};

} // namespace md::test
