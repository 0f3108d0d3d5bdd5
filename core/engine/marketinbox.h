#pragma once

#include "domain/events.h"
#include "engine/mpscqueue.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace spdlog {
class logger;
}

namespace md {

struct MarketCounters;

/// Where one market's events wait for the event network: a lock-free MpscQueue the producer and
/// executor threads push into and the event network drains. The network is woken (one queued
/// invocation) only on the idle -> busy edge: after draining, it arms the inbox and looks once more;
/// the first push that finds the inbox armed disarms it and posts the wake-up. A burst of events
/// therefore costs one wake-up, and a busy network none.
/// Once closed (market stopped or its threads abandoned) events are refused, dropped and counted,
/// and no wake-up reaches the network any more.
/// Thread: push/report from any thread; consume/armWake from the event-network thread.
class MarketInbox {
public:
    using Wake = std::function<void()>;

    MarketInbox(MarketId market, std::shared_ptr<MarketCounters> counters, Wake wake,
                std::shared_ptr<spdlog::logger> logger);

    void push(TradingEventPayload&& payload, std::int64_t exchangeTimeMs);
    void reportParseError(std::string_view detail);
    void reportStatus(MarketState state, std::string_view reason);

    /// Hands up to `max` waiting events, oldest first, to `handle(TradingEvent&)`; returns how many.
    template <class Handle> std::size_t consume(Handle&& handle, std::size_t max) {
        std::size_t n = 0;
        while (n < max && m_events.tryPop(m_current)) {
            ++n;
            handle(m_current);
        }
        return n;
    }
    /// Moves every ready event into `out` (appended); returns how many. Consumer only.
    std::size_t takeAll(std::vector<TradingEvent>& out) {
        return consume([&](TradingEvent& event) { out.push_back(std::move(event)); }, SIZE_MAX);
    }
    /// Asks for a wake-up on the next push. False when events arrived meanwhile and this call took
    /// the wake-up back: the caller must drain again (no producer will wake it for those).
    bool armWake();
    /// Events claimed and not consumed yet (some possibly still being written).
    bool hasPending() const { return m_events.hasPending(); }
    void close();
    bool isOpen() const;
    MarketId market() const { return m_market; }

private:
    void wakeNetwork();

    const MarketId m_market;
    std::shared_ptr<MarketCounters> m_counters;
    std::shared_ptr<spdlog::logger> m_logger;
    MpscQueue<TradingEvent> m_events;
    TradingEvent m_current; // the event being handled (consumer only)
    alignas(64) std::atomic<bool> m_armed{true};
    // The rare paths: the wake-up itself (so close() can promise none follows it) and parse-error logging.
    std::mutex m_wakeMutex;
    Wake m_wake;
    bool m_closed = false;
    std::mutex m_logMutex;
    std::int64_t m_lastParseErrorLogNs = 0;
    std::uint64_t m_parseErrorsSinceLog = 0;
};

} // namespace md
