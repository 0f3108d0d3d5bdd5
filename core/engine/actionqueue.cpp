#include "engine/actionqueue.h"

#include "engine/marketcounters.h"

#include <thread>

namespace md {

ActionQueue::ActionQueue(std::shared_ptr<MarketCounters> counters)
    : m_counters(std::move(counters))
    , m_depth(m_counters ? &m_counters->queueDepth : &m_ownDepth) {}

bool ActionQueue::push(Action&& action) {
    if (action.enqueuedNs == 0)
        action.enqueuedNs = steadyNowNs();
    const std::int64_t enqueuedNs = action.enqueuedNs;
    // Counted before it becomes visible, so the executor never takes more than the depth shows.
    // Into an empty queue it is the oldest: stamped before the executor can see (and take) it, so
    // the executor's own stamp for what follows it always lands later.
    const std::uint64_t before = m_depth->fetch_add(1, std::memory_order_acq_rel);
    if (before == 0 && m_counters)
        m_counters->oldestQueuedNs.store(enqueuedNs, std::memory_order_relaxed);
    if (!m_actions.push(std::move(action))) {
        m_depth->fetch_sub(1, std::memory_order_acq_rel);
        return false;
    }
    wakeConsumer();
    return true;
}

void ActionQueue::wakeConsumer() {
    // A futex wake costs microseconds: only pay it when the executor is actually asleep. The seq_cst
    // load pairs with the executor's seq_cst store before its last look (see MpscQueue).
    if (m_consumerSleeping.load(std::memory_order_seq_cst) && m_consumerSleeping.exchange(0)) {
        m_consumerSleeping.notify_one();
    }
}

void ActionQueue::waitForWork() {
    for (int spins = 0;; ++spins) {
        {
            std::lock_guard lock(m_consumerMutex);
            if (m_actions.peek() || m_actions.isSealed())
                return;
            m_consumerSleeping.store(1, std::memory_order_seq_cst);
            if (m_actions.hasPendingOrSealed()) {
                // Sealed meanwhile, or claimed but still being written (its producer is a few
                // instructions from done): look again rather than sleep.
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

std::size_t ActionQueue::takeLocked(std::vector<Action>& out, std::size_t max, bool inFlight) {
    const std::size_t first = out.size();
    Action action;
    while (out.size() - first < max && m_actions.tryPop(action))
        out.push_back(std::move(action));
    const std::size_t n = out.size() - first;
    if (n == 0)
        return 0;
    if (m_counters) {
        // In flight first, then the queue: a reader never sees the batch vanish from both. The next
        // oldest is stored before the depth drops, so a push that finds the queue empty stamps last.
        // (A push counted but not yet visible leaves 0 here for a moment; the executor takes it next.)
        if (inFlight) {
            m_counters->inFlight.store(n, std::memory_order_relaxed);
            m_counters->inFlightOldestNs.store(out[first].enqueuedNs, std::memory_order_relaxed);
        }
        const Action* next = m_actions.peek();
        m_counters->oldestQueuedNs.store(next ? next->enqueuedNs : 0, std::memory_order_relaxed);
    }
    m_depth->fetch_sub(n, std::memory_order_acq_rel);
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
    for (;;) {
        waitForWork();
        std::lock_guard lock(m_consumerMutex);
        if (takeLocked(out, max, true) > 0)
            return true;
        if (m_actions.drained())
            return false;
        // Sealed with a push still landing, or woken spuriously: look again.
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
    return m_depth->load(std::memory_order_acquire);
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
