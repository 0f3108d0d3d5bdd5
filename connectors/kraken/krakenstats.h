#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace md::kraken {

/// What the market-data side has seen, read by the health inspector from any thread.
struct MarketDataStats {
    std::atomic<std::uint64_t> frames{0};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> checksumFailures{0};
    std::atomic<std::uint64_t> resyncs{0};
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<std::uint64_t> snapshots{0};
    std::atomic<std::int64_t> lastFrameMs{0};
    std::atomic<std::int64_t> lastBookMs{0};
    std::atomic<std::int64_t> reconnectAtMs{0}; // 0: connected
};

/// What the authenticated side has seen, read by the health inspector from any thread.
struct PrivateStats {
    std::atomic<bool> up{false}; // executions subscribed and its snapshot received
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<std::uint64_t> tokensFetched{0};
    std::atomic<std::uint64_t> tokenFailures{0};
    std::atomic<std::int64_t> lastEventMs{0};
    std::atomic<std::int64_t> reconnectAtMs{0};
    std::atomic<std::uint64_t> lateAnswers{0};
    std::atomic<bool> deadManArmed{false};
    std::atomic<std::int64_t> deadManTriggerMs{0}; // Kraken's triggerTime, our clock
    std::atomic<std::uint64_t> deadManRefreshes{0};
    std::atomic<std::uint64_t> deadManFailures{0};
};

/// The exchange's trading state as the `status` channel and the pair's `instrument` status tell it.
/// Placements are refused locally while it is not "online" (or "post_only", where Kraken itself refuses
/// what would take liquidity). Thread: any (mutex).
class TradingState {
public:
    void setSystem(const std::string& s) {
        std::lock_guard lock(m_mutex);
        m_system = s;
    }
    void setPair(const std::string& s) {
        std::lock_guard lock(m_mutex);
        m_pair = s;
    }
    std::string system() const {
        std::lock_guard lock(m_mutex);
        return m_system;
    }
    std::string pair() const {
        std::lock_guard lock(m_mutex);
        return m_pair;
    }
    /// Why placements must not go now ("" when they may).
    std::string placementsHalted() const {
        std::lock_guard lock(m_mutex);
        if (m_system != "online" && m_system != "post_only" && !m_system.empty())
            return "Kraken system status is " + m_system;
        if (m_pair != "online" && m_pair != "post_only" && m_pair != "limit_only" && !m_pair.empty())
            return "the pair's status is " + m_pair;
        return {};
    }

private:
    mutable std::mutex m_mutex;
    std::string m_system; // "" before the first status message
    std::string m_pair;
};

} // namespace md::kraken
