#include "fakeratelimiter.h"

#include <algorithm>

namespace md::test {

namespace {
// Binance bans "for repeatedly violating rate limits and/or failing to back off after receiving
// 429s"; a client still sending this many requests into a cooldown gets banned.
constexpr int kRequestsBeforeBan = 3;
} // namespace

void FakeRateLimiter::configure(int weightLimit, int weightIntervalSeconds, int orderLimit, int orderIntervalSeconds) {
    m_weightLimit = weightLimit;
    m_weightInterval = std::max(1, weightIntervalSeconds);
    m_orderLimit = orderLimit;
    m_orderInterval = std::max(1, orderIntervalSeconds);
    m_weightWindow = m_orderWindow = -1;
}

void FakeRateLimiter::roll(std::int64_t now) {
    const std::int64_t w = now / (m_weightInterval * 1000LL);
    if (w != m_weightWindow) {
        m_weightWindow = w;
        m_weight = 0;
    }
    const std::int64_t o = now / (m_orderInterval * 1000LL);
    if (o != m_orderWindow) {
        m_orderWindow = o;
        m_orders = 0;
    }
}

FakeRateLimiter::Verdict FakeRateLimiter::admit(int weight, bool placement, std::int64_t now) {
    roll(now);
    Verdict v;
    if (now < m_bannedUntil) {
        ++m_418s;
        v.status = 418;
        v.code = -1003;
        v.message = "Way too much request weight used; IP banned until " + QByteArray::number(m_bannedUntil) +
                    ". Please use WebSocket Streams for live updates to avoid bans.";
        v.retryAfterMs = m_bannedUntil;
        return v;
    }
    if (now < m_cooldownUntil) {
        // Told to wait and did not: counted, and a client that keeps at it is banned.
        if (++m_duringCooldown >= kRequestsBeforeBan) {
            m_bannedUntil = m_cooldownUntil + 2LL * m_weightInterval * 1000;
            ++m_418s;
            v.status = 418;
            v.code = -1003;
            v.message = "Way too much request weight used; IP banned until " + QByteArray::number(m_bannedUntil) + ".";
            v.retryAfterMs = m_bannedUntil;
            return v;
        }
    }
    m_weight += weight;
    if (m_weight > m_weightLimit) {
        ++m_429s;
        m_cooldownUntil = (m_weightWindow + 1) * m_weightInterval * 1000LL;
        v.status = 429;
        v.code = -1003;
        v.message = "Too much request weight used; current limit is " + QByteArray::number(m_weightLimit) +
                    " request weight per " + QByteArray::number(m_weightInterval) + " SECOND.";
        v.retryAfterMs = m_cooldownUntil;
        return v;
    }
    if (placement && ++m_orders > m_orderLimit) {
        ++m_429s;
        m_cooldownUntil = (m_orderWindow + 1) * m_orderInterval * 1000LL;
        v.status = 429;
        v.code = -1015;
        v.message = "Too many new orders; current limit is " + QByteArray::number(m_orderLimit) + " orders per " +
                    QByteArray::number(m_orderInterval) + " SECOND.";
        v.retryAfterMs = m_cooldownUntil;
        return v;
    }
    return v;
}

void FakeRateLimiter::refundWeight(int weight) {
    m_weight = std::max(0, m_weight - weight);
}

void FakeRateLimiter::refundOrder() {
    m_orders = std::max(0, m_orders - 1);
}

void FakeRateLimiter::exhaust(std::int64_t now) {
    roll(now);
    m_weight = m_weightLimit;
}

int FakeRateLimiter::usedWeight(std::int64_t now) {
    roll(now);
    return m_weight;
}

int FakeRateLimiter::usedOrders(std::int64_t now) {
    roll(now);
    return m_orders;
}

} // namespace md::test
