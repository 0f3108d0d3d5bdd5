#include "engine/marketinbox.h"

#include "engine/eventsink.h"
#include "engine/marketcounters.h"

#include <spdlog/logger.h>

namespace md {

MarketInbox::MarketInbox(MarketId market, std::shared_ptr<MarketCounters> counters, Wake wake,
                         std::shared_ptr<spdlog::logger> logger)
    : m_market(market)
    , m_counters(std::move(counters))
    , m_logger(std::move(logger))
    , m_wake(std::move(wake)) {}

void MarketInbox::push(TradingEventPayload&& payload, std::int64_t exchangeTimeMs) {
    // Built in its slot: a variant moved once, not three times, on every producer's hot path.
    if (!m_events.emplace(m_market, steadyNowNs(), exchangeTimeMs, std::move(payload))) {
        m_counters->droppedLateEvents.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    // seq_cst after the queue's seq_cst claim: pairs with armWake's store-then-look (see MpscQueue).
    if (m_armed.load(std::memory_order_seq_cst) && m_armed.exchange(false, std::memory_order_seq_cst))
        wakeNetwork();
}

void MarketInbox::wakeNetwork() {
    std::lock_guard lock(m_wakeMutex);
    if (!m_closed && m_wake)
        m_wake();
}

bool MarketInbox::armWake() {
    m_armed.store(true, std::memory_order_seq_cst);
    if (!m_events.hasPending())
        return true;
    // Something landed (or is landing) after the drain. If a producer already took the wake-up it
    // has posted one; otherwise take it back and drain again.
    return !m_armed.exchange(false, std::memory_order_seq_cst);
}

void MarketInbox::reportParseError(std::string_view detail) {
    if (!isOpen()) {
        // A thread of an ended (or abandoned) run: its errors are not the running market's.
        m_counters->droppedLateEvents.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    m_counters->parseErrors.fetch_add(1, std::memory_order_relaxed);
    m_counters->setLastError("parse error: " + std::string(detail));
    // A garbage stream can produce thousands a second: log the first, then a count at most once a second.
    const std::int64_t now = steadyNowNs();
    std::lock_guard lock(m_logMutex);
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

void MarketInbox::close() {
    m_events.seal();
    std::lock_guard lock(m_wakeMutex);
    m_closed = true;
}

bool MarketInbox::isOpen() const {
    return !m_events.isSealed();
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
