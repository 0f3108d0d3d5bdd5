#pragma once

#include "domain/action.h"
#include "domain/events.h"
#include "engine/health.h"

namespace md {

/// Where the engine records what must survive a crash: every action accepted into a queue, every
/// order event, every shutdown report. Implementations must not block the caller on the disk
/// (the event network calls it): they copy and hand over to their own writer.
/// Thread: record* from the event-network thread; recordShutdown and flush from the engine's thread.
class JournalSink {
public:
    virtual ~JournalSink() = default;
    virtual void recordAction(MarketId market, const std::string& marketName, const ActionKind& action) = 0;
    virtual void recordEvent(const std::string& marketName, const TradingEvent& event) = 0;
    virtual void recordShutdown(const ShutdownReport& report) = 0;
    /// Blocks until everything recorded so far is durable; false when the journal cannot write.
    virtual bool flush() = 0;
    /// False once a write failed: the engine then halts trading rather than trade unjournaled.
    virtual bool healthy() const = 0;
    virtual std::string failure() const = 0;
};

} // namespace md
