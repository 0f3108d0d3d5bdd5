#include "engine/marketinbox.h"

#include "engine/eventsink.h"
#include "engine/marketcounters.h"

#include <spdlog/logger.h>

namespace md {

MarketInbox::MarketInbox(MarketId market, std::shared_ptr<MarketCounters> counters, Wake wake,
                         std::shared_ptr<spdlog::logger> logger)
    : m_market(market)
    , m_counters(std::move(counters))
    , m_wake(std::move(wake))
    , m_logger(std::move(logger)) {}

void MarketInbox::push(TradingEventPayload payload, std::int64_t exchangeTimeMs) {
    const std::int64_t now = steadyNowNs();
    std::lock_guard lock(m_mutex);
    if (m_closed) {
        m_counters->droppedLateEvents.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const bool wasEmpty = m_events.empty();
    m_events.push_back(TradingEvent{m_market, now, exchangeTimeMs, std::move(payload)});
    // Woken under the lock so that close() guarantees no wake-up reaches a network being torn down.
    if (wasEmpty && m_wake)
        m_wake();
}

void MarketInbox::reportParseError(std::string_view detail) {
    m_counters->parseErrors.fetch_add(1, std::memory_order_relaxed);
    m_counters->setLastError("parse error: " + std::string(detail));
    // A garbage stream can produce thousands a second: log the first, then a count at most once a second.
    const std::int64_t now = steadyNowNs();
    std::lock_guard lock(m_mutex);
    ++m_parseErrorsSinceLog;
    if (now - m_lastParseErrorLogNs >= 1'000'000'000) {
        if (m_logger)
            m_logger->warn("malformed message skipped ({} since last report): {}", m_parseErrorsSinceLog, detail);
        m_parseErrorsSinceLog = 0;
        m_lastParseErrorLogNs = now;
    }
}

void MarketInbox::reportStatus(MarketState state, std::string_view reason) {
    push(MarketStatusChanged{state, std::string(reason)}, 0);
}

std::size_t MarketInbox::takeAll(std::vector<TradingEvent>& out) {
    std::lock_guard lock(m_mutex);
    const std::size_t n = m_events.size();
    if (n == 0)
        return 0;
    if (out.empty()) {
        out.swap(m_events); // keeps both buffers' capacity in circulation: no allocation per batch
    } else {
        out.insert(out.end(), std::make_move_iterator(m_events.begin()), std::make_move_iterator(m_events.end()));
        m_events.clear();
    }
    return n;
}

void MarketInbox::close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
}

bool MarketInbox::isOpen() const {
    std::lock_guard lock(m_mutex);
    return !m_closed;
}

// EventSink forwards to the inbox; a default-constructed sink is closed.
void EventSink::fire(TradingEventPayload payload, std::int64_t exchangeTimeMs) const {
    if (m_inbox)
        m_inbox->push(std::move(payload), exchangeTimeMs);
}

void EventSink::reportParseError(std::string_view detail) const {
    if (m_inbox)
        m_inbox->reportParseError(detail);
}

void EventSink::reportStatus(MarketState state, std::string_view reason) const {
    if (m_inbox)
        m_inbox->reportStatus(state, reason);
}

bool EventSink::isOpen() const {
    return m_inbox && m_inbox->isOpen();
}

} // namespace md
