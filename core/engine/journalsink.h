#pragma once

#include "domain/action.h"
#include "domain/events.h"
#include "engine/health.h"
#include "engine/strategysetup.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace md {

/// How an action the journal holds ended when it was not executed: refused by its queue (the
/// market stopping), taken back before it reached the connector (a kill, an executor failure), or
/// given to the connector, which never said how it ended (outcome unknown).
enum class ActionOutcome { Refused, NotExecuted, Unknown };
constexpr std::string_view nameOf(ActionOutcome o) {
    return o == ActionOutcome::Refused       ? "refused"
           : o == ActionOutcome::NotExecuted ? "not_executed"
                                             : "outcome_unknown";
}

/// How long a write-ahead record takes to be safe. Normal: committed to the journal's WAL file (in
/// the operating system's hands: survives SIGKILL and crashes of this process). Full: also fsync'ed
/// at every commit (survives a power loss; costs a disk flush per group of records).
enum class JournalSync { Normal, Full };

/// How the journal is doing, for health, metrics and the engine's breaker.
struct JournalHealth {
    bool healthy = true;
    std::string failure;                 // why it stopped writing, empty while healthy
    JournalSeq recorded = 0;             // last sequence number handed out
    JournalSeq committed = 0;            // every record up to this one is committed
    double oldestUncommittedSeconds = 0; // how far the writer is behind (0: nothing pending)
    JournalSync sync = JournalSync::Normal;
};

/// What a wait for a record's commit ended with.
enum class CommitWait { Committed, Failed, TimedOut, Interrupted };

/// Where the engine records what must survive a crash: every action accepted into a queue, every
/// order event, how every action that was not executed ended, every shutdown report. Recording
/// never waits for the disk (the event network calls it): records get increasing sequence numbers
/// and a writer of the implementation's own commits them in groups. The write-ahead rule is kept at
/// the executor, which waits for its placement's sequence number to be committed before the
/// connector sees it (JournalBarrier).
/// Thread: record* and flush from any thread (the event network, the engine's thread, the shutdown
/// watchdog; implementations serialise); waitCommitted from executor threads; health and
/// interruptWaiters from any thread.
class JournalSink {
public:
    virtual ~JournalSink() = default;
    /// The record's sequence number, or 0 when the journal has failed and took nothing.
    /// `owner`: whose action it is (a strategy's number or kManualOwner); placements keep it in their row.
    virtual JournalSeq recordAction(MarketId market, const std::string& marketName, const ActionKind& action,
                                    OwnerId owner) = 0;
    JournalSeq recordAction(MarketId market, const std::string& marketName, const ActionKind& action) {
        return recordAction(market, marketName, action, 0);
    }
    /// An action recorded with recordAction that will never be executed, or whose outcome is unknown.
    virtual void recordOutcome(MarketId market, const std::string& marketName, const ActionKind& action,
                               ActionOutcome outcome, const std::string& reason) = 0;
    virtual void recordEvent(const std::string& marketName, const TradingEvent& event) = 0;
    virtual void recordShutdown(const ShutdownReport& report) = 0;
    /// A change to a running strategy, in the order it was applied.
    virtual void recordStrategyChange(const StrategyChange& change) = 0;
    /// Waits until everything recorded so far is durable, at most `timeout`; false when the journal
    /// cannot write or did not finish in time.
    virtual bool flush(std::chrono::milliseconds timeout) = 0;
    /// Waits as long as it takes (tests and tools; the exit path always gives a timeout).
    bool flush() { return flush(std::chrono::milliseconds::max()); }
    /// Blocks until record `seq` and every one before it is committed (asking the writer to commit
    /// now: records waited for are committed together, not one flush each), the journal fails,
    /// `deadline` passes, or `*interrupt` becomes true (set it, then call interruptWaiters()).
    virtual CommitWait waitCommitted(JournalSeq seq, std::chrono::steady_clock::time_point deadline,
                                     const std::atomic<bool>* interrupt) = 0;
    /// Wakes every waitCommitted so it looks at its interrupt flag again.
    virtual void interruptWaiters() = 0;
    /// False once a write failed: the engine then halts trading rather than trade unjournaled.
    virtual bool healthy() const = 0;
    virtual std::string failure() const = 0;
    virtual JournalHealth health() const = 0;
    /// Called once, on the writer's thread, the moment a write fails (the engine halts at once).
    virtual void setFailureListener(std::function<void(const std::string&)> listener) = 0;
};

} // namespace md
