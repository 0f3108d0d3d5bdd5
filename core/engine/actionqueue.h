#pragma once

#include "domain/action.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace md {

struct MarketCounters;

/// Unbounded FIFO of one market's actions, from the event network to the market's executor.
/// push never blocks (one short lock; the executor is woken only if it sleeps); pop blocks the
/// executor until an action arrives or the queue is sealed and empty. seal() lets the executor
/// drain what is there and then stop; a sealed queue refuses new actions (the caller reports them).
/// Depth and the oldest action's enqueue time are mirrored into MarketCounters for health.
/// Thread: push/seal from the event network or engine thread, pop from the executor thread.
class ActionQueue {
public:
    explicit ActionQueue(std::shared_ptr<MarketCounters> counters = nullptr);

    /// False when sealed: the action was not queued.
    /// Moves the action in only when accepted: a refused one is left intact for the caller to report.
    bool push(Action&& action);
    std::optional<Action> pop();
    /// Blocks like pop, then moves up to `max` actions into `out` under one lock (the executor's
    /// fast path); false when sealed and empty. Actions taken count as in flight (MarketCounters).
    bool popBatch(std::vector<Action>& out, std::size_t max);
    void seal();
    bool isSealed() const;
    std::size_t depth() const;
    /// Removes and returns what was never executed (after the executor was abandoned).
    std::vector<Action> takeRemaining();

private:
    void publishLocked();

    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<Action> m_actions;
    bool m_sealed = false;
    bool m_consumerWaiting = false;
    std::shared_ptr<MarketCounters> m_counters;
};

} // namespace md
