#pragma once

#include "engine/marketview.h"

#include <memory>
#include <mutex>
#include <vector>

namespace md {

/// The latest published MarketView of every market. The event network replaces a market's view
/// (a new immutable object); readers copy the shared_ptr under a short lock and read it at leisure.
/// Thread: any.
class ViewStore {
public:
    explicit ViewStore(std::size_t markets)
        : m_views(markets) {}

    void publish(MarketId market, std::shared_ptr<const MarketView> view) {
        std::lock_guard lock(m_mutex);
        if (market < m_views.size())
            m_views[market] = std::move(view);
    }
    std::shared_ptr<const MarketView> get(MarketId market) const {
        std::lock_guard lock(m_mutex);
        return market < m_views.size() ? m_views[market] : nullptr;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<const MarketView>> m_views;
};

} // namespace md
