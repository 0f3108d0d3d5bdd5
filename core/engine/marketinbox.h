#pragma once

#include "domain/events.h"

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

/// Where one market's events wait for the event network. Producers append under a short lock;
/// the event network takes the whole batch at once (one swap). Only the push that makes the inbox
/// non-empty posts a wake-up to the network, so a burst of events costs one queued invocation.
/// Once closed (market stopped or its threads abandoned) events are dropped and counted.
/// Thread: push/report from any thread; takeAll from the event-network thread.
class MarketInbox {
public:
    using Wake = std::function<void()>;

    MarketInbox(MarketId market, std::shared_ptr<MarketCounters> counters, Wake wake,
                std::shared_ptr<spdlog::logger> logger);

    void push(TradingEventPayload payload, std::int64_t exchangeTimeMs);
    void reportParseError(std::string_view detail);
    void reportStatus(MarketState state, std::string_view reason);
    /// Moves every waiting event into `out` (appended); returns how many.
    std::size_t takeAll(std::vector<TradingEvent>& out);
    void close();
    bool isOpen() const;
    MarketId market() const { return m_market; }

private:
    const MarketId m_market;
    std::shared_ptr<MarketCounters> m_counters;
    Wake m_wake;
    std::shared_ptr<spdlog::logger> m_logger;
    mutable std::mutex m_mutex;
    std::vector<TradingEvent> m_events;
    bool m_closed = false;
    std::int64_t m_lastParseErrorLogNs = 0;
    std::uint64_t m_parseErrorsSinceLog = 0;
};

} // namespace md
