#pragma once

#include "engine/journalsink.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace md {

/// One order as the journal last recorded it.
struct JournalOrder {
    std::string run;
    std::string market;
    ClientOrderId id = 0;
    std::string side;
    std::string price;
    std::string quantity;
    std::string filled;
    // queued, open, partially_filled, filled, cancelled, rejected, closed_by_reconcile, and for a placement
    // that was not executed: refused (by its queue), not_executed (taken back), outcome_unknown
    std::string status;
    std::string reason;
    std::int64_t createdMs = 0;
    std::int64_t updatedMs = 0;
};

/// The order journal in SQLite (QSQLITE, WAL, synchronous=FULL): every accepted action, every order
/// event, every shutdown report. record* only copies the entry into a buffer (one short lock); a
/// writer thread of its own commits the buffer in one transaction every few milliseconds, so the
/// event network never waits for the disk. flush() waits until what was recorded is durable.
/// Thread: record* from any thread; the database is only touched by the writer thread.
/// Errors: open() returns nullptr with a message for a corrupt or unwritable file; a failure while
/// running is kept (failed()/failure()) and flush() returns false.
class SqliteJournal : public JournalSink {
public:
    static std::unique_ptr<SqliteJournal> open(const QString& path, std::string& error);
    ~SqliteJournal() override;

    void recordAction(MarketId market, const std::string& marketName, const ActionKind& action) override;
    void recordOutcome(MarketId market, const std::string& marketName, const ActionKind& action, ActionOutcome outcome,
                       const std::string& reason) override;
    void recordEvent(const std::string& marketName, const TradingEvent& event) override;
    void recordShutdown(const ShutdownReport& report) override;
    using JournalSink::flush;
    bool flush(std::chrono::milliseconds timeout) override;

    bool healthy() const override { return !m_failed.load(); }
    std::string failure() const override;
    const std::string& runId() const { return m_run; }
    std::uint64_t writtenEntries() const { return m_written.load(); }

    /// Orders of earlier runs still open or unknown (status queued/open/partially_filled/outcome_unknown).
    static std::optional<std::vector<JournalOrder>> openOrders(const QString& path, std::string& error);
    /// Marks an earlier run's order as settled after reconciliation (e.g. not open on the exchange).
    static bool settle(const QString& path, const JournalOrder& order, const std::string& status,
                       const std::string& reason, std::string& error);
    /// The tag a run puts in its exchange client order ids (MarketSpec::orderTag), derived from its
    /// run id so that an order found on the exchange can be matched with the run that placed it.
    static std::string orderTag(const std::string& run);
    /// The default journal location for a configuration file (user data directory).
    static QString defaultPath(const QString& configPath);

private:
    struct Entry {
        std::int64_t timeMs = 0;
        std::string market;
        ClientOrderId id = 0;
        // place, cancel, cancel_all, placed, filled, cancelled, done, rejected, shutdown, and an action's
        // outcome: refused, not_executed, outcome_unknown (detail: "<action kind>: <reason>")
        std::string kind;
        std::string side;
        std::string price;
        std::string quantity;
        std::string detail; // reason or report text
    };

    SqliteJournal(QString path, std::string run);
    bool start(std::string& error);
    void append(Entry entry);
    void writerLoop();

    QString m_path;
    std::string m_run;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_progress;
    std::vector<Entry> m_pending;
    std::uint64_t m_enqueued = 0;
    std::uint64_t m_committed = 0;
    bool m_stop = false;
    bool m_ready = false;
    std::string m_startError;
    std::atomic<bool> m_failed{false};
    std::string m_failure;
    std::atomic<std::uint64_t> m_written{0};
    std::thread m_writer;
};

} // namespace md
