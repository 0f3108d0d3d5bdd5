#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace md::binance {

/// Whether Binance still accepts this market's keys. A refused signature or key (-1022, -2014,
/// -2015; errors.md) will be refused again on every retry, so once refused the order stream stops
/// subscribing and order entry stops sending until the market is restarted with other keys; health
/// and the close-out show "credentials refused" with Binance's own words.
/// Thread: any.
class KeyStatus {
public:
    static bool isKeyRefusal(int code) { return code == -1022 || code == -2014 || code == -2015; }
    /// `words`: Binance's code and message, e.g. "Binance -2015: Invalid API-key, IP, or permissions for action."
    void refuse(const std::string& words) {
        std::lock_guard lock(m_mutex);
        if (!m_refusal.empty())
            return;
        m_refusal = "credentials refused: " + words;
        m_refused.store(true);
        if (m_listener)
            m_listener(m_refusal);
    }
    /// `listener(refusal)` runs once when the keys are refused — at once when they already are — on
    /// the thread that saw it, under this object's lock: it must only post (e.g. a queued call).
    /// An empty function removes it; after that call it never runs again.
    void setListener(std::function<void(const std::string&)> listener) {
        std::lock_guard lock(m_mutex);
        m_listener = std::move(listener);
        if (m_listener && !m_refusal.empty())
            m_listener(m_refusal);
    }
    bool refused() const { return m_refused.load(); }
    std::string refusal() const {
        std::lock_guard lock(m_mutex);
        return m_refusal;
    }

private:
    mutable std::mutex m_mutex;
    std::string m_refusal;
    std::function<void(const std::string&)> m_listener;
    std::atomic<bool> m_refused{false};
};

} // namespace md::binance
