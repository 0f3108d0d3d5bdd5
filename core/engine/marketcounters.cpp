#include "engine/marketcounters.h"

#include "engine/actionqueue.h"

#include <chrono>

namespace md {

std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t wallNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void MarketCounters::recordTickToAction(std::int64_t nanoseconds) {
    if (nanoseconds < 0)
        nanoseconds = 0;
    const double us = static_cast<double>(nanoseconds) / 1000.0;
    std::size_t bucket = 0;
    while (bucket < kLatencyBucketsUs.size() && us > kLatencyBucketsUs[bucket])
        ++bucket;
    auto bump = [](std::atomic<std::uint64_t>& a, std::uint64_t by) {
        a.store(a.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
    };
    bump(latencyBuckets[bucket], 1);
    bump(latencyCount, 1);
    bump(latencySumNs, static_cast<std::uint64_t>(nanoseconds));
}

LatencyHistogram MarketCounters::latency() const {
    LatencyHistogram h;
    for (std::size_t i = 0; i < latencyBuckets.size(); ++i)
        h.counts[i] = latencyBuckets[i].load(std::memory_order_relaxed);
    h.total = latencyCount.load(std::memory_order_relaxed);
    h.sumUs = static_cast<double>(latencySumNs.load(std::memory_order_relaxed)) / 1000.0;
    return h;
}

void MarketCounters::setStateReason(std::string reason) {
    std::lock_guard lock(m_textMutex);
    m_stateReason = std::move(reason);
}

std::string MarketCounters::stateReason() const {
    std::lock_guard lock(m_textMutex);
    return m_stateReason;
}

void MarketCounters::setLastError(std::string error) {
    std::lock_guard lock(m_textMutex);
    m_lastError = std::move(error);
}

std::string MarketCounters::lastError() const {
    std::lock_guard lock(m_textMutex);
    return m_lastError;
}

void MarketCounters::setBreakerReason(std::string reason) {
    std::lock_guard lock(m_textMutex);
    m_breakerReason = std::move(reason);
}

std::string MarketCounters::breakerReason() const {
    std::lock_guard lock(m_textMutex);
    return m_breakerReason;
}

void MarketCounters::setInspector(Inspector inspector) {
    std::lock_guard lock(m_textMutex);
    m_inspector = std::move(inspector);
}

Inspector MarketCounters::inspector() const {
    std::lock_guard lock(m_textMutex);
    return m_inspector;
}

void MarketCounters::setQueue(std::shared_ptr<const ActionQueue> queue) {
    std::lock_guard lock(m_textMutex);
    m_queue = std::move(queue);
}

std::shared_ptr<const ActionQueue> MarketCounters::queue() const {
    std::lock_guard lock(m_textMutex);
    return m_queue.lock();
}

std::uint64_t MarketCounters::queueDepth() const {
    const auto q = queue();
    return q ? q->depth() : 0;
}

std::int64_t MarketCounters::oldestPendingNs() const {
    // The executor's current batch is older than anything still queued.
    if (inFlight.load(std::memory_order_relaxed))
        if (const std::int64_t flying = inFlightOldestNs.load(std::memory_order_relaxed))
            return flying;
    const auto q = queue();
    return q ? q->oldestQueuedNs() : 0;
}

} // namespace md
