#include "engine/actionqueue.h"

#include "engine/marketcounters.h"

namespace md {

ActionQueue::ActionQueue(std::shared_ptr<MarketCounters> counters)
    : m_counters(std::move(counters)) {}

bool ActionQueue::push(Action&& action) {
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_sealed)
            return false;
        if (action.enqueuedNs == 0)
            action.enqueuedNs = steadyNowNs();
        m_actions.push_back(std::move(action));
        publishLocked();
        wake = m_consumerWaiting;
    }
    // A futex wake costs microseconds: only pay it when the executor is actually asleep.
    if (wake)
        m_ready.notify_one();
    return true;
}

std::optional<Action> ActionQueue::pop() {
    std::unique_lock lock(m_mutex);
    while (m_actions.empty() && !m_sealed) {
        m_consumerWaiting = true;
        m_ready.wait(lock);
        m_consumerWaiting = false;
    }
    if (m_actions.empty())
        return std::nullopt;
    Action action = std::move(m_actions.front());
    m_actions.pop_front();
    publishLocked();
    return action;
}

bool ActionQueue::popBatch(std::vector<Action>& out, std::size_t max) {
    std::unique_lock lock(m_mutex);
    while (m_actions.empty() && !m_sealed) {
        m_consumerWaiting = true;
        m_ready.wait(lock);
        m_consumerWaiting = false;
    }
    if (m_actions.empty())
        return false;
    const std::size_t n = std::min(max, m_actions.size());
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(std::move(m_actions.front()));
        m_actions.pop_front();
    }
    if (m_counters) {
        // In flight first, then the queue: a reader never sees the batch vanish from both.
        m_counters->inFlight.store(n, std::memory_order_relaxed);
        m_counters->inFlightOldestNs.store(out.front().enqueuedNs, std::memory_order_relaxed);
    }
    publishLocked();
    return true;
}

void ActionQueue::seal() {
    {
        std::lock_guard lock(m_mutex);
        m_sealed = true;
    }
    m_ready.notify_all();
}

bool ActionQueue::isSealed() const {
    std::lock_guard lock(m_mutex);
    return m_sealed;
}

std::size_t ActionQueue::depth() const {
    std::lock_guard lock(m_mutex);
    return m_actions.size();
}

std::vector<Action> ActionQueue::takeRemaining() {
    std::lock_guard lock(m_mutex);
    std::vector<Action> out(std::make_move_iterator(m_actions.begin()), std::make_move_iterator(m_actions.end()));
    m_actions.clear();
    m_sealed = true;
    publishLocked();
    return out;
}

void ActionQueue::publishLocked() {
    if (!m_counters)
        return;
    m_counters->queueDepth.store(m_actions.size(), std::memory_order_relaxed);
    m_counters->oldestQueuedNs.store(m_actions.empty() ? 0 : m_actions.front().enqueuedNs, std::memory_order_relaxed);
}

} // namespace md
