#pragma once

#include "domain/action.h"
#include "engine/mpscqueue.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace md {

/// Unbounded FIFO of one run of one market's actions, from the event network (and the engine) to the
/// market's executor, and the ledger of what became of each: executed, not executed, or outcome
/// unknown — each action in exactly one of them, whoever ends the run.
///
/// push never blocks and takes no lock (a lock-free MpscQueue; the executor is woken only if it
/// sleeps). The executor takes one action at a time: claim() (blocks until one arrives), begin()
/// just before it reaches the connector, finish() once the connector returned. revoke() — the engine
/// at a kill, the executor itself after an exception, the watchdog at exit — takes back everything
/// not executed: what is still queued and a claimed action that has not begun are "not executed"
/// (and can never begin afterwards: begin() fails), the action between begin() and finish() is
/// "outcome unknown" (the connector has it; finish() then fails and counts nothing). The claim word
/// holds the executor's phase, the revoked bit and the executed count together, so a race between
/// the executor and a revoke always ends with the action counted once.
///
/// closeToPlacements() (the market's stop has begun) refuses placements from then on while cancels
/// still pass; seal() refuses everything and lets the executor drain what was accepted.
/// drop() lets the executor refuse the action it claimed without executing it (the write-ahead barrier:
/// the journal failed or fell behind): counted not executed, the executor goes on with the next.
/// Depth and the oldest action's enqueue time are computed when asked (health, 10 times a second)
/// rather than kept in a counter every push would write (perf, bench_engine).
/// Thread: push/closeToPlacements/seal from the event network or the engine thread; claim, begin and
/// finish from the executor thread; revoke and the figures from any thread.
class ActionQueue {
public:
    enum class Push { Queued, Sealed, PlacementsClosed };
    struct Tally {
        std::uint64_t executed = 0;
        std::uint64_t notExecuted = 0;
        std::uint64_t unknown = 0;
        Tally& operator+=(const Tally& o) {
            executed += o.executed;
            notExecuted += o.notExecuted;
            unknown += o.unknown;
            return *this;
        }
    };
    /// What a revoke took back: never executed, and the one whose outcome is unknown.
    struct Revoked {
        std::vector<Action> notExecuted;
        std::optional<Action> unknown;
        bool first = false; // false: an earlier revoke had taken everything already
    };

    /// Moves the action in only when accepted: a refused one is left intact for the caller to report.
    Push push(Action&& action);
    /// The market's stop has begun: placements are refused from now on, cancels still pass.
    void closeToPlacements();
    bool acceptsPlacements() const;
    void seal();
    bool isSealed() const;

    /// Executor: blocks until an action is there and claims it (a copy in `out`); false when the
    /// queue is sealed and drained, or revoked.
    bool claim(Action& out);
    /// Executor: the claimed action goes to the connector now. False when it was revoked meanwhile:
    /// it is reported not executed and must not be executed.
    bool begin();
    /// Executor: the connector returned; counted executed. False when a revoke reported it as
    /// outcome unknown meanwhile (then nothing is counted here).
    bool finish();
    /// Executor: the claimed action will not be executed (refused before the connector); counted not
    /// executed. False when a revoke took it back meanwhile (the revoke counted it).
    bool drop();
    bool isRevoked() const;
    /// Takes back everything not executed and seals; the later calls return nothing (first = false).
    Revoked revoke();
    /// Called once, by the first revoke, on the revoking thread: wakes whatever the executor waits for
    /// between claim() and begin() (the journal barrier). Set it before the queue is shared.
    void setRevokeListener(std::function<void()> listener) { m_revokeListener = std::move(listener); }

    Tally tally() const;
    /// Actions waiting: queued, plus the one claimed or executing.
    std::size_t depth() const;
    /// Enqueue time of the oldest action waiting (claimed or executing first), 0 when none.
    std::int64_t oldestPendingNs() const;
    /// The executor is inside the connector with an action.
    bool isExecuting() const;

private:
    // The claim word: the executor's phase in the low bits, the revoked bit, the executed count above.
    static constexpr std::uint64_t kIdle = 0;
    static constexpr std::uint64_t kClaimed = 1;
    static constexpr std::uint64_t kExecuting = 2;
    static constexpr std::uint64_t kPhase = 3;
    static constexpr std::uint64_t kRevoked = 4;
    static constexpr int kCountShift = 3;

    void wakeConsumer();

    MpscQueue<Action> m_actions;
    alignas(64) mutable std::mutex m_consumerMutex;
    Action m_current;                      // the claimed action (under m_consumerMutex)
    std::atomic<std::uint64_t> m_taken{0}; // taken out of m_actions, written under m_consumerMutex
    alignas(64) std::atomic<std::uint64_t> m_claim{0};
    std::atomic<std::int64_t> m_currentEnqueuedNs{0};
    std::atomic<std::uint64_t> m_notExecuted{0}; // written once, by the first revoke
    std::atomic<std::uint64_t> m_unknown{0};
    std::atomic<std::uint64_t> m_dropped{0}; // written by the executor only
    std::function<void()> m_revokeListener;
    alignas(64) std::atomic<std::uint32_t> m_consumerSleeping{0};
};

} // namespace md
