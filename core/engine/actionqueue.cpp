#include "engine/actionqueue.h"

#include "domain/clock.h"

#include <thread>

namespace md {

ActionQueue::Push ActionQueue::push(Action&& action) {
    if (action.enqueuedNs == 0)
        action.enqueuedNs = steadyNowNs();
    const bool placement = std::holds_alternative<PlaceLimit>(action.kind);
    if (!(placement ? m_actions.pushUnlessClosed(std::move(action)) : m_actions.push(std::move(action))))
        return m_actions.isSealed() || !placement ? Push::Sealed : Push::PlacementsClosed;
    wakeConsumer();
    return Push::Queued;
}

void ActionQueue::closeToPlacements() {
    m_actions.close();
}

bool ActionQueue::acceptsPlacements() const {
    return !m_actions.isClosed();
}

void ActionQueue::wakeConsumer() {
    // A futex wake costs microseconds: only pay it when the executor is actually asleep. The seq_cst
    // load pairs with the executor's seq_cst store before its last look (see MpscQueue).
    if (m_consumerSleeping.load(std::memory_order_seq_cst) && m_consumerSleeping.exchange(0))
        m_consumerSleeping.notify_one();
}

bool ActionQueue::claim(Action& out) {
    for (int spins = 0;; ++spins) {
        {
            std::lock_guard lock(m_consumerMutex);
            if (m_claim.load(std::memory_order_acquire) & kRevoked)
                return false;
            if (m_actions.tryPop(m_current)) {
                m_taken.store(m_taken.load(std::memory_order_relaxed) + 1, std::memory_order_release);
                m_currentEnqueuedNs.store(m_current.enqueuedNs, std::memory_order_relaxed);
                // Idle -> claimed. Only this thread changes the phase outside the lock; a revoke holds it.
                m_claim.fetch_add(kClaimed, std::memory_order_acq_rel);
                out = m_current;
                return true;
            }
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

bool ActionQueue::begin() {
    std::uint64_t word = m_claim.load(std::memory_order_acquire);
    for (;;) {
        if (word & kRevoked)
            return false;
        if (m_claim.compare_exchange_weak(word, (word & ~kPhase) | kExecuting, std::memory_order_acq_rel,
                                          std::memory_order_acquire))
            return true;
    }
}

bool ActionQueue::finish() {
    std::uint64_t word = m_claim.load(std::memory_order_acquire);
    for (;;) {
        if (word & kRevoked)
            return false;
        const std::uint64_t executed = (word >> kCountShift) + 1;
        if (m_claim.compare_exchange_weak(word, executed << kCountShift, std::memory_order_acq_rel,
                                          std::memory_order_acquire)) {
            m_currentEnqueuedNs.store(0, std::memory_order_relaxed);
            return true;
        }
    }
}

bool ActionQueue::drop() {
    std::uint64_t word = m_claim.load(std::memory_order_acquire);
    for (;;) {
        if (word & kRevoked)
            return false;
        if (m_claim.compare_exchange_weak(word, word & ~kPhase, std::memory_order_acq_rel, std::memory_order_acquire)) {
            m_currentEnqueuedNs.store(0, std::memory_order_relaxed);
            // Single writer (this thread); a tally may miss it for a moment, never count it twice.
            m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 1, std::memory_order_release);
            return true;
        }
    }
}

bool ActionQueue::isRevoked() const {
    return m_claim.load(std::memory_order_acquire) & kRevoked;
}

ActionQueue::Revoked ActionQueue::revoke() {
    Revoked revoked;
    m_actions.seal();
    {
        std::lock_guard lock(m_consumerMutex);
        const std::uint64_t word = m_claim.fetch_or(kRevoked, std::memory_order_acq_rel);
        if (!(word & kRevoked)) {
            revoked.first = true;
            if ((word & kPhase) == kClaimed)
                revoked.notExecuted.push_back(m_current);
            else if ((word & kPhase) == kExecuting)
                revoked.unknown = m_current;
            // Pushes that claimed a position before the seal land within a few instructions.
            Action action;
            while (!m_actions.drained()) {
                if (m_actions.tryPop(action)) {
                    revoked.notExecuted.push_back(std::move(action));
                    m_taken.store(m_taken.load(std::memory_order_relaxed) + 1, std::memory_order_release);
                } else {
                    std::this_thread::yield();
                }
            }
            m_notExecuted.store(revoked.notExecuted.size(), std::memory_order_release);
            m_unknown.store(revoked.unknown ? 1 : 0, std::memory_order_release);
            m_currentEnqueuedNs.store(0, std::memory_order_relaxed);
        }
    }
    m_consumerSleeping.store(0, std::memory_order_seq_cst);
    m_consumerSleeping.notify_all();
    if (revoked.first && m_revokeListener)
        m_revokeListener();
    return revoked;
}

void ActionQueue::seal() {
    m_actions.seal();
    m_consumerSleeping.store(0, std::memory_order_seq_cst);
    m_consumerSleeping.notify_all();
}

bool ActionQueue::isSealed() const {
    return m_actions.isSealed();
}

ActionQueue::Tally ActionQueue::tally() const {
    Tally t;
    t.executed = m_claim.load(std::memory_order_acquire) >> kCountShift;
    t.notExecuted = m_notExecuted.load(std::memory_order_acquire) + m_dropped.load(std::memory_order_acquire);
    t.unknown = m_unknown.load(std::memory_order_acquire);
    return t;
}

std::size_t ActionQueue::depth() const {
    const std::uint64_t word = m_claim.load(std::memory_order_acquire);
    const std::uint64_t busy = !(word & kRevoked) && (word & kPhase) != kIdle ? 1 : 0;
    // Taken first: everything taken was claimed before, so the difference never goes negative.
    const std::uint64_t taken = m_taken.load(std::memory_order_acquire);
    const std::uint64_t pushed = m_actions.pushed();
    return (pushed > taken ? pushed - taken : 0) + busy;
}

std::int64_t ActionQueue::oldestPendingNs() const {
    const std::uint64_t word = m_claim.load(std::memory_order_acquire);
    if (!(word & kRevoked) && (word & kPhase) != kIdle)
        if (const std::int64_t current = m_currentEnqueuedNs.load(std::memory_order_relaxed))
            return current; // older than anything still queued
    std::lock_guard lock(m_consumerMutex);
    const Action* oldest = m_actions.peek();
    return oldest ? oldest->enqueuedNs : 0;
}

bool ActionQueue::isExecuting() const {
    const std::uint64_t word = m_claim.load(std::memory_order_acquire);
    return !(word & kRevoked) && (word & kPhase) == kExecuting;
}

} // namespace md
