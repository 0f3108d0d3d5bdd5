#include "binance/ratelimits.h"

namespace md::binance {

RateLimits::RateLimits(std::shared_ptr<venue::RateBudget> budget)
    : m_budget(std::move(budget)) {
    // Binance Spot's documented defaults until exchangeInfo says otherwise (rest-api.md: 6000
    // weight per minute; web-socket-api.md examples: 50 orders per 10 s, 160000 per day).
    configure({{"REQUEST_WEIGHT", "MINUTE", 1, 6000}, {"ORDERS", "SECOND", 10, 50}, {"ORDERS", "DAY", 1, 160000}});
}

std::int64_t RateLimits::intervalMs(const std::string& interval, int intervalNum) {
    std::int64_t unit = 0;
    if (interval == "SECOND" || interval == "S")
        unit = 1000;
    else if (interval == "MINUTE" || interval == "M")
        unit = 60'000;
    else if (interval == "HOUR" || interval == "H")
        unit = 3'600'000;
    else if (interval == "DAY" || interval == "D")
        unit = 86'400'000;
    return unit * std::max(1, intervalNum);
}

std::string RateLimits::key(const std::string& type, std::int64_t intervalMs) {
    return type + "/" + std::to_string(intervalMs / 1000) + "s";
}

void RateLimits::configure(const std::vector<Limit>& limits) {
    std::lock_guard lock(m_mutex);
    m_weightKeys.clear();
    m_rawKeys.clear();
    m_orderKeys.clear();
    for (const Limit& l : limits) {
        const std::int64_t ms = intervalMs(l.interval, l.intervalNum);
        if (ms <= 0 || l.limit <= 0)
            continue;
        const std::string k = key(l.type, ms);
        m_budget->setQuota(k, l.limit, ms);
        if (l.type == "REQUEST_WEIGHT")
            m_weightKeys.push_back(k);
        else if (l.type == "RAW_REQUESTS")
            m_rawKeys.push_back(k);
        else if (l.type == "ORDERS")
            m_orderKeys.push_back(k);
    }
}

std::vector<venue::RateCost> RateLimits::costs(int weight, int orders) const {
    std::lock_guard lock(m_mutex);
    std::vector<venue::RateCost> out;
    for (const auto& k : m_weightKeys)
        out.push_back({k, weight});
    for (const auto& k : m_rawKeys)
        out.push_back({k, 1});
    if (orders > 0)
        for (const auto& k : m_orderKeys)
            out.push_back({k, orders});
    return out;
}

std::vector<venue::RateCost> RateLimits::weightOnly(int weight) const {
    std::lock_guard lock(m_mutex);
    std::vector<venue::RateCost> out;
    for (const auto& k : m_weightKeys)
        out.push_back({k, weight});
    return out;
}

void RateLimits::observeHeader(const QByteArray& name, const QByteArray& value) {
    // X-MBX-USED-WEIGHT-1M, X-MBX-ORDER-COUNT-10S, X-MBX-ORDER-COUNT-1D
    const QByteArray upper = name.toUpper();
    std::string type;
    QByteArray suffix;
    if (upper.startsWith("X-MBX-USED-WEIGHT-")) {
        type = "REQUEST_WEIGHT";
        suffix = upper.mid(18);
    } else if (upper.startsWith("X-MBX-ORDER-COUNT-")) {
        type = "ORDERS";
        suffix = upper.mid(18);
    } else {
        return;
    }
    if (suffix.size() < 2)
        return;
    bool ok = false;
    const int num = suffix.left(suffix.size() - 1).toInt(&ok);
    const std::int64_t count = value.trimmed().toLongLong();
    if (!ok)
        return;
    observe(type, std::string(1, suffix.back()), num, count);
}

void RateLimits::observe(const std::string& type, const std::string& interval, int intervalNum, std::int64_t count) {
    const std::int64_t ms = intervalMs(interval, intervalNum);
    if (ms > 0)
        m_budget->observe(key(type, ms), count);
}

} // namespace md::binance
