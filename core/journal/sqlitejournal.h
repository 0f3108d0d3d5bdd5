#pragma once

#include "engine/journalsink.h"
#include "journal/journalrecord.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

class QSqlDatabase;

namespace md {

class JournalLock;
class JournalStatements;

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

/// One fill as the journal holds it (`fillsSince`): exact decimals as text, the fee in its asset.
struct JournalFill {
    std::string run;
    std::string market;
    std::int64_t timeMs = 0;
    std::string side; // "bid" / "ask"
    std::string price;
    std::string quantity;
    std::string fee; // empty when none
    std::string feeAsset;
};

/// One change to a running strategy as the journal holds it (`strategyChanges`).
struct JournalStrategyChange {
    std::string run;
    std::int64_t timeMs = 0;
    StrategyChange change;
};

struct JournalOptions {
    JournalSync sync = JournalSync::Normal;
};

/// The order journal in SQLite (QSQLITE, WAL): every accepted action, every order event, every
/// shutdown report. record* copies the entry into a buffer under one short lock and hands out its
/// sequence number; a writer thread of its own commits what is buffered in one transaction, every
/// few milliseconds or at once when an executor waits for a placement's record (group commit: all
/// placements waiting at that moment share one commit). flush() waits until what was recorded is
/// durable. The journal holds its JournalLock (one process per journal) for as long as it lives.
/// Thread: record* from any thread; the database is only touched by the writer thread.
/// Errors: open() returns nullptr with a message for a journal in use, corrupt, or that cannot be
/// written (a real write is made before it returns); a failure while running is kept
/// (failed()/failure()), reported once to the failure listener, and wakes every waiter.
class SqliteJournal : public JournalSink {
public:
    static std::unique_ptr<SqliteJournal> open(const QString& path, const JournalOptions& options, std::string& error);
    static std::unique_ptr<SqliteJournal> open(const QString& path, std::string& error) {
        return open(path, JournalOptions{}, error);
    }
    ~SqliteJournal() override;

    using JournalSink::recordAction;
    JournalSeq recordAction(MarketId market, const std::string& marketName, const ActionKind& action,
                            OwnerId owner) override;
    void recordOutcome(MarketId market, const std::string& marketName, const ActionKind& action, ActionOutcome outcome,
                       const std::string& reason) override;
    void recordEvent(const std::string& marketName, const TradingEvent& event) override;
    void recordShutdown(const ShutdownReport& report) override;
    void recordStrategyChange(const StrategyChange& change) override;
    using JournalSink::flush;
    bool flush(std::chrono::milliseconds timeout) override;
    CommitWait waitCommitted(JournalSeq seq, std::chrono::steady_clock::time_point deadline,
                             const std::atomic<bool>* interrupt) override;
    void interruptWaiters() override;
    bool healthy() const override { return !m_failed.load(); }
    std::string failure() const override;
    JournalHealth health() const override;
    void setFailureListener(std::function<void(const std::string&)> listener) override;

    const std::string& runId() const { return m_run; }
    std::uint64_t writtenEntries() const { return m_written.load(); }
    /// Transactions committed so far (group commit: fewer than the records they hold).
    std::uint64_t commits() const { return m_commits.load(); }
    /// The PID of a process that had held this journal and died without releasing it (0: none).
    long staleLockHolder() const;
    /// Lets the next process start without being told of a stale lock (the clean exit path).
    void releaseLock();

    /// Orders of earlier runs still open or unknown (status queued/open/partially_filled/outcome_unknown).
    static std::optional<std::vector<JournalOrder>> openOrders(const QString& path, std::string& error);
    /// Every fill recorded at or after `sinceMs` (wall clock), oldest first, of every run. Empty when
    /// the file does not exist; nullopt with `error` when it cannot be read.
    static std::optional<std::vector<JournalFill>> fillsSince(const QString& path, std::int64_t sinceMs,
                                                              std::string& error);
    /// The changes made to running strategies in the latest run that made any, oldest first (empty for
    /// a journal without any, or written before they were journaled); nullopt with `error` when it
    /// cannot be read.
    static std::optional<std::vector<JournalStrategyChange>> latestStrategyChanges(const QString& path,
                                                                                   std::string& error);
    /// Marks an earlier run's order as settled after reconciliation (e.g. not open on the exchange).
    static bool settle(const QString& path, const JournalOrder& order, const std::string& status,
                       const std::string& reason, std::string& error);
    /// The tag a run puts in its exchange client order ids (MarketSpec::orderTag), derived from its
    /// run id so that an order found on the exchange can be matched with the run that placed it.
    static std::string orderTag(const std::string& run);
    /// The default journal location for a configuration file (user data directory).
    static QString defaultPath(const QString& configPath);

private:
    SqliteJournal(QString path, std::string run, JournalOptions options, std::unique_ptr<JournalLock> lock);
    bool start(std::string& error);
    JournalSeq append(JournalRecord record);
    void writerLoop();
    /// Commits one group; false (and the journal failed) when the database refused it.
    bool commit(QSqlDatabase& db, JournalStatements& statements, const std::vector<JournalRecord>& batch);
    void fail(const std::string& reason);

    QString m_path;
    std::string m_run;
    JournalOptions m_options;
    std::unique_ptr<JournalLock> m_lock;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;     // the writer: records to commit now, or stop
    std::condition_variable m_progress; // waiters: a commit happened, or the journal failed
    std::vector<JournalRecord> m_pending;
    JournalSeq m_recorded = 0;           // last sequence handed out
    std::int64_t m_inFlightOldestNs = 0; // the group being committed, 0 when none
    bool m_commitWanted = false;         // someone waits: commit without waiting for the clock
    bool m_stop = false;
    bool m_ready = false;
    bool m_writerGone = false;
    std::string m_startError;
    std::string m_failure;
    std::function<void(const std::string&)> m_failureListener;

    std::atomic<JournalSeq> m_committed{0}; // read without the lock on the executor's fast path
    std::atomic<bool> m_failed{false};
    std::atomic<std::uint64_t> m_written{0};
    std::atomic<std::uint64_t> m_commits{0};
    std::thread m_writer;
};

} // namespace md
