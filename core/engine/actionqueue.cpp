#include "engine/actionqueue.h"

#include "engine/marketcounters.h"

#include <thread>

namespace md {

ActionQueue::ActionQueue(std::shared_ptr<MarketCounters> counters)
    : m_counters(std::move(counters)) {}

bool ActionQueue::push(Action&& action) {
    if (action.enqueuedNs == 0)
        action.enqueuedNs = steadyNowNs();
    if (!m_actions.push(std::move(action)))
        return false;
    wakeConsumer();
    return true;
}

void ActionQueue::wakeConsumer() {
    // A futex wake costs microseconds: only pay it when the executor is actually asleep. The seq_cst
    // load pairs with the executor's seq_cst store before its last look (see MpscQueue).
    if (m_consumerSleeping.load(std::memory_order_seq_cst) && m_consumerSleeping.exchange(0))
        m_consumerSleeping.notify_one();
}

std::size_t ActionQueue::takeLocked(std::vector<Action>& out, std::size_t max, bool inFlight) {
    const std::size_t first = out.size();
    Action action;
    while (out.size() - first < max && m_actions.tryPop(action))
        out.push_back(std::move(action));
    const std::size_t n = out.size() - first;
    if (n == 0)
        return 0;
    // In flight first, then the queue: a reader never sees the batch vanish from both.
    if (inFlight && m_counters) {
        m_counters->inFlight.store(n, std::memory_order_relaxed);
        m_counters->inFlightOldestNs.store(out[first].enqueuedNs, std::memory_order_relaxed);
    }
    m_taken.store(m_taken.load(std::memory_order_relaxed) + n, std::memory_order_release);
    return n;
}

std::optional<Action> ActionQueue::pop() {
    std::vector<Action> one;
    if (!popBatch(one, 1))
        return std::nullopt;
    if (m_counters)
        m_counters->inFlight.store(0, std::memory_order_relaxed);
    return std::move(one.front());
}

bool ActionQueue::popBatch(std::vector<Action>& out, std::size_t max) {
    for (int spins = 0;; ++spins) {
        {
            std::lock_guard lock(m_consumerMutex);
            if (takeLocked(out, max, true) > 0)
                return true;
            if (m_actions.drained())
                return false;
            m_consumerSleeping.store(1, std::memory_order_seq_cst);
            if (m_actions.hasPendingOrSealed()) {
                // Sealed with a push still landing, or claimed but still being written (its producer
                // is a few instructions from done): look again rather than sleep.
                m_consumerSleeping.store(0, std::memory_order_relaxed);
                if (spins > 16)
                    std::this_thread::yield();
                continue;
            }
        }
        m_consumerSleeping.wait(1, std::memory_order_acquire);
        m_consumerSleeping.store(0, std::memory_order_relaxed);
    }
}

void ActionQueue::seal() {
    m_actions.seal();
    m_consumerSleeping.store(0, std::memory_order_seq_cst);
    m_consumerSleeping.notify_all();
}

bool ActionQueue::isSealed() const {
    return m_actions.isSealed();
}

std::size_t ActionQueue::depth() const {
    // Taken first: everything taken was claimed before, so the difference never goes negative.
    const std::uint64_t taken = m_taken.load(std::memory_order_acquire);
    const std::uint64_t pushed = m_actions.pushed();
    return pushed > taken ? pushed - taken : 0;
}

std::int64_t ActionQueue::oldestQueuedNs() const {
    std::lock_guard lock(m_consumerMutex);
    const Action* oldest = m_actions.peek();
    return oldest ? oldest->enqueuedNs : 0;
}

std::vector<Action> ActionQueue::takeRemaining() {
    m_actions.seal();
    std::vector<Action> out;
    {
        std::lock_guard lock(m_consumerMutex);
        // Pushes that claimed a position before the seal land within a few instructions.
        while (!m_actions.drained()) {
            if (takeLocked(out, SIZE_MAX, false) == 0)
                std::this_thread::yield();
        }
    }
    m_consumerSleeping.store(0, std::memory_order_seq_cst);
    m_consumerSleeping.notify_all();
    return out;
}

} // namespace md
