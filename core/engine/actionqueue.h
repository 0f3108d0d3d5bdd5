#pragma once

#include "domain/action.h"
#include "engine/mpscqueue.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace md {

struct MarketCounters;

/// Unbounded FIFO of one market's actions, from the event network to the market's executor.
/// push never blocks and takes no lock (a lock-free MpscQueue; the executor is woken only if it
/// sleeps); pop blocks the executor until an action arrives or the queue is sealed and empty.
/// seal() lets the executor drain what is there and then stop; a sealed queue refuses new actions
/// (the caller reports them), and an action accepted before the seal is always drained.
/// Depth and the oldest action's enqueue time are computed when asked (health, 10 times a second)
/// rather than kept in a counter every push and every take would write: that shared counter cost
/// more than the rest of the hand-off together (perf, bench_engine).
/// Thread: push/seal from the event network or engine thread; pop/popBatch from the executor
/// thread; takeRemaining from the engine thread once the executor is abandoned; depth and
/// oldestQueuedNs from any thread. The consumer side is serialised by a lock taken once per batch,
/// since an abandoned executor may wake up later.
class ActionQueue {
public:
    explicit ActionQueue(std::shared_ptr<MarketCounters> counters = nullptr);

    /// False when sealed: the action was not queued.
    /// Moves the action in only when accepted: a refused one is left intact for the caller to report.
    bool push(Action&& action);
    std::optional<Action> pop();
    /// Blocks like pop, then moves up to `max` actions into `out` (the executor's fast path); false
    /// when sealed and empty. Actions taken count as in flight (MarketCounters).
    bool popBatch(std::vector<Action>& out, std::size_t max);
    void seal();
    bool isSealed() const;
    /// Actions queued and not taken by the executor yet.
    std::size_t depth() const;
    /// Enqueue time of the oldest action still queued, 0 when none.
    std::int64_t oldestQueuedNs() const;
    /// Removes and returns what was never executed (after the executor was abandoned); seals.
    std::vector<Action> takeRemaining();

private:
    /// Moves up to `max` ready actions into `out`; consumer lock held. The executor's batches
    /// become in flight; what takeRemaining collects does not.
    std::size_t takeLocked(std::vector<Action>& out, std::size_t max, bool inFlight);
    void wakeConsumer();

    MpscQueue<Action> m_actions;
    std::shared_ptr<MarketCounters> m_counters;
    alignas(64) mutable std::mutex m_consumerMutex;
    std::atomic<std::uint64_t> m_taken{0}; // written under m_consumerMutex
    alignas(64) std::atomic<std::uint32_t> m_consumerSleeping{0};
};

} // namespace md
