#include "engine/marketcounters.h"

#include "engine/latencyrecorder.h"

namespace md {

void MarketCounters::beginRun(std::shared_ptr<ActionQueue> queue, std::shared_ptr<const LatencyRecorder> latency) {
    std::lock_guard lock(m_runMutex);
    m_queue = std::move(queue);
    m_latency = std::move(latency);
}

ActionQueue::Tally MarketCounters::endRun() {
    std::lock_guard lock(m_runMutex);
    ActionQueue::Tally run;
    if (m_queue)
        run = m_queue->tally();
    m_endedRuns += run;
    if (m_latency)
        m_endedLatency += m_latency->snapshot();
    m_queue.reset();
    m_latency.reset();
    return run;
}

ActionQueue::Revoked MarketCounters::revokeRun() {
    std::shared_ptr<ActionQueue> queue;
    {
        std::lock_guard lock(m_runMutex);
        queue = m_queue;
    }
    return queue ? queue->revoke() : ActionQueue::Revoked{};
}

MarketCounters::Actions MarketCounters::actions() const {
    std::lock_guard lock(m_runMutex);
    Actions a;
    a.tally = m_endedRuns;
    if (m_queue) {
        a.tally += m_queue->tally();
        a.pending = m_queue->depth();
        a.oldestPendingNs = m_queue->oldestPendingNs();
    }
    return a;
}

LatencyHistogram MarketCounters::latency() const {
    std::lock_guard lock(m_runMutex);
    LatencyHistogram h = m_endedLatency;
    if (m_latency)
        h += m_latency->snapshot();
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

void MarketCounters::setLastRejection(std::string reason) {
    std::lock_guard lock(m_textMutex);
    m_lastRejection = std::move(reason);
}

std::string MarketCounters::lastRejection() const {
    std::lock_guard lock(m_textMutex);
    return m_lastRejection;
}

void MarketCounters::setInspector(Inspector inspector) {
    std::lock_guard lock(m_textMutex);
    m_inspector = std::move(inspector);
}

Inspector MarketCounters::inspector() const {
    std::lock_guard lock(m_textMutex);
    return m_inspector;
}

} // namespace md
