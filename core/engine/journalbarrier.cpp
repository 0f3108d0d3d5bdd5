#include "engine/journalbarrier.h"

#include "engine/journalsink.h"
#include "engine/marketcounters.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

namespace md {

JournalBarrier::JournalBarrier(std::shared_ptr<JournalSink> journal, std::chrono::nanoseconds maxWait, EventSink sink,
                               std::shared_ptr<spdlog::logger> log)
    : m_journal(std::move(journal))
    , m_maxWait(maxWait)
    , m_sink(std::move(sink))
    , m_log(std::move(log)) {}

JournalBarrier::Verdict JournalBarrier::admit(const Action& action) {
    if (m_abandoned.load())
        return Verdict::Abandoned;
    const auto* place = std::get_if<PlaceLimit>(&action.kind);
    if (!place || !m_journal)
        return Verdict::Go;
    if (action.journalSeq == 0) {
        refuse(place->id, "journal failed: placement not journaled, not sent (" + m_journal->failure() + ")");
        return Verdict::Refused;
    }
    m_waiting.store(true);
    const CommitWait result =
        m_journal->waitCommitted(action.journalSeq, std::chrono::steady_clock::now() + m_maxWait, &m_abandoned);
    m_waiting.store(false);
    switch (result) {
    case CommitWait::Committed:
        return m_abandoned.load() ? Verdict::Abandoned : Verdict::Go;
    case CommitWait::Interrupted:
        return Verdict::Abandoned;
    case CommitWait::Failed:
        refuse(place->id, "journal failed: placement not sent (" + m_journal->failure() + ")");
        return Verdict::Refused;
    case CommitWait::TimedOut:
        break;
    }
    refuse(place->id, fmt::format("journal behind: its record was not committed within {} ms; placement not sent",
                                  std::chrono::duration_cast<std::chrono::milliseconds>(m_maxWait).count()));
    return Verdict::Refused;
}

void JournalBarrier::abandon() {
    m_abandoned.store(true);
    if (m_journal)
        m_journal->interruptWaiters();
}

void JournalBarrier::refuse(ClientOrderId id, std::string reason) {
    const std::int64_t now = steadyNowNs();
    ++m_refusedSinceLog;
    if (m_log && now - m_lastLogNs >= 1'000'000'000) {
        m_log->warn("order #{} refused at the executor: {}{}", id, reason,
                    m_refusedSinceLog > 1 ? fmt::format(" ({} refused in the last second)", m_refusedSinceLog) : "");
        m_lastLogNs = now;
        m_refusedSinceLog = 0;
    }
    m_sink.fire(OrderRejected{id, std::move(reason)});
}

} // namespace md
