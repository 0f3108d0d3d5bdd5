#pragma once

#include "domain/action.h"
#include "engine/eventsink.h"

#include <atomic>
#include <chrono>
#include <memory>

namespace spdlog {
class logger;
}

namespace md {

class JournalSink;

/// The write-ahead rule, kept where an order leaves us: the executor asks admit() before it hands a
/// placement to its connector, and admit() returns only once the placement's journal record is
/// committed (journal group commit: placements waiting together share one commit). A placement
/// whose record is not committed within `maxWait` (the journal fell behind) or whose journal failed
/// is not sent: the strategy hears OrderRejected saying why, through the market's EventSink, and the
/// order's journal row ends as rejected. Cancels pass without waiting. abandon() (a kill) wakes a
/// waiting executor at once; from then on admit() answers Abandoned and the engine, not the
/// executor, accounts for the action.
/// Thread: admit() on the market's executor thread; abandon() and waiting() from any thread.
class JournalBarrier {
public:
    enum class Verdict { Go, Refused, Abandoned };

    JournalBarrier(std::shared_ptr<JournalSink> journal, std::chrono::nanoseconds maxWait, EventSink sink,
                   std::shared_ptr<spdlog::logger> log);

    Verdict admit(const Action& action);
    void abandon();
    bool abandoned() const { return m_abandoned.load(); }
    /// True while the executor waits for the journal (what a kill reports it was doing).
    bool waiting() const { return m_waiting.load(); }

private:
    void refuse(ClientOrderId id, std::string reason);

    std::shared_ptr<JournalSink> m_journal;
    std::chrono::nanoseconds m_maxWait;
    EventSink m_sink;
    std::shared_ptr<spdlog::logger> m_log;
    std::atomic<bool> m_abandoned{false};
    std::atomic<bool> m_waiting{false};
    std::int64_t m_lastLogNs = 0; // refusals are logged at most once a second (executor thread only)
    std::uint64_t m_refusedSinceLog = 0;
};

} // namespace md
