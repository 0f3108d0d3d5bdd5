#pragma once

#include "common/ratebudget.h"

#include <QByteArray>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace md::binance {

/// Binance's rate limits on the shared RateBudget of one host: which quotas exist (exchangeInfo's
/// `rateLimits`: REQUEST_WEIGHT, RAW_REQUESTS, ORDERS, each per interval), what a request costs
/// against them, and what Binance says it has counted — the `X-MBX-USED-WEIGHT-(n)(letter)` and
/// `X-MBX-ORDER-COUNT-(n)(letter)` headers of REST answers (rest-api.md "LIMITS") and the
/// `rateLimits` array of WebSocket API answers (web-socket-api.md "Rate limits").
/// Thread: any (the quota keys behind a mutex; the budget is itself thread-safe).
class RateLimits {
public:
    explicit RateLimits(std::shared_ptr<venue::RateBudget> budget);

    struct Limit {
        std::string type;     // REQUEST_WEIGHT, RAW_REQUESTS, ORDERS
        std::string interval; // SECOND, MINUTE, HOUR, DAY
        int intervalNum = 1;
        std::int64_t limit = 0;
    };
    void configure(const std::vector<Limit>& limits);
    /// The costs of one request: its weight, one raw request, and `orders` placements.
    std::vector<venue::RateCost> costs(int weight, int orders) const;
    std::vector<venue::RateCost> weightOnly(int weight) const;
    /// One response header (any name; those that are not Binance's counters are ignored).
    void observeHeader(const QByteArray& name, const QByteArray& value);
    void observe(const std::string& type, const std::string& interval, int intervalNum, std::int64_t count);

    venue::RateBudget& budget() { return *m_budget; }
    const venue::RateBudget& budget() const { return *m_budget; }
    /// "REQUEST_WEIGHT/60s": the key of a quota in the budget.
    static std::string key(const std::string& type, std::int64_t intervalMs);
    static std::int64_t intervalMs(const std::string& interval, int intervalNum);

private:
    std::shared_ptr<venue::RateBudget> m_budget;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_weightKeys;
    std::vector<std::string> m_rawKeys;
    std::vector<std::string> m_orderKeys;
};

} // namespace md::binance
