#pragma once

#include "binance/ordermessages.h"

#include <mutex>
#include <optional>

namespace md::binance {

/// What the producer learns about the symbol (exchange info's filters, the average price the percent
/// filters are judged against) and order entry needs for its checks before sending.
/// Thread: any (one mutex).
class LiveRules {
public:
    void setFilters(const SymbolFilters& filters) {
        std::lock_guard lock(m_mutex);
        m_filters = filters;
    }
    std::optional<SymbolFilters> filters() const {
        std::lock_guard lock(m_mutex);
        return m_filters;
    }
    void setAveragePrice(Decimal price) {
        std::lock_guard lock(m_mutex);
        m_averagePrice = price;
    }
    std::optional<Decimal> averagePrice() const {
        std::lock_guard lock(m_mutex);
        return m_averagePrice;
    }

private:
    mutable std::mutex m_mutex;
    std::optional<SymbolFilters> m_filters;
    std::optional<Decimal> m_averagePrice;
};

} // namespace md::binance
