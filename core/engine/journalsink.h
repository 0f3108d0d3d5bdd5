#pragma once

#include "domain/action.h"
#include "domain/events.h"
#include "engine/health.h"

#include <chrono>
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

/// Where the engine records what must survive a crash: every action accepted into a queue, every
/// order event, how every action that was not executed ended, every shutdown report.
/// Implementations must not block the caller on the disk (the event network calls it): they copy
/// and hand over to their own writer.
/// Thread: any (the event network, the engine's thread, the shutdown watchdog); implementations
/// serialise.
class JournalSink {
public:
    virtual ~JournalSink() = default;
    virtual void recordAction(MarketId market, const std::string& marketName, const ActionKind& action) = 0;
    /// An action recorded with recordAction that will never be executed, or whose outcome is unknown.
    virtual void recordOutcome(MarketId market, const std::string& marketName, const ActionKind& action,
                               ActionOutcome outcome, const std::string& reason) = 0;
    virtual void recordEvent(const std::string& marketName, const TradingEvent& event) = 0;
    virtual void recordShutdown(const ShutdownReport& report) = 0;
    /// Waits until everything recorded so far is durable, at most `timeout`; false when the journal
    /// cannot write or did not finish in time.
    virtual bool flush(std::chrono::milliseconds timeout) = 0;
    /// Waits as long as it takes (tests and tools; the exit path always gives a timeout).
    bool flush() { return flush(std::chrono::milliseconds::max()); }
    /// False once a write failed: the engine then halts trading rather than trade unjournaled.
    virtual bool healthy() const = 0;
    virtual std::string failure() const = 0;
};

} // namespace md
