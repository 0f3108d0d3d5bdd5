#include "journal/sqlitejournal.h"

#include "domain/clock.h"
#include "journal/journallock.h"
#include "journal/journalschema.h"
#include "journal/journalstatements.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace md {
namespace {

// Without a waiter, what is recorded is committed on this clock (order events, cancels); a waiting
// placement asks for a commit at once.
constexpr auto kCommitInterval = std::chrono::milliseconds(20);

std::string sqlError(const QSqlError& e) {
    return e.text().toStdString();
}

/// Runs `read` on a connection of its own to an existing journal (opened, read, closed and removed
/// again); nullopt with `error` when the file cannot be opened as a journal or `read` fails.
template <class Result, class Read>
std::optional<Result> readJournal(const QString& path, const char* name, std::string& error, Read read) {
    const QString connection = QString("%1-%2").arg(name).arg(reinterpret_cast<quintptr>(&error));
    std::optional<Result> result;
    if (journalschema::openExisting(connection, path, error)) {
        QSqlDatabase db = QSqlDatabase::database(connection);
        result = read(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

} // namespace

QString SqliteJournal::defaultPath(const QString& configPath) {
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const QByteArray hash =
        QCryptographicHash::hash(QFileInfo(configPath).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(12);
    return dir + "/journal-" + QFileInfo(configPath).completeBaseName() + "-" + hash + ".sqlite";
}

std::string SqliteJournal::orderTag(const std::string& run) {
    // Base 36 of the run's start in milliseconds: 8 characters, so "md-<tag>-<n>" stays well inside
    // Binance's 36-character client order id.
    const std::string digits = run.substr(0, run.find('-'));
    std::uint64_t ms = 0;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return {};
        ms = ms * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (digits.empty())
        return {};
    std::string tag;
    do {
        const int d = static_cast<int>(ms % 36);
        tag.insert(tag.begin(), static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10));
        ms /= 36;
    } while (ms > 0);
    return tag;
}

std::unique_ptr<SqliteJournal> SqliteJournal::open(const QString& path, const JournalOptions& options,
                                                   std::string& error) {
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        error = "cannot create the journal directory " + info.absolutePath().toStdString();
        return nullptr;
    }
    // SQLite would open a file it may not write read-only without a word: say it now. (root passes
    // this check whatever the mode; the write made at open catches the rest: a full disk, say.)
    if (info.exists() ? ::access(QFile::encodeName(path).constData(), W_OK) != 0
                      : ::access(QFile::encodeName(info.absolutePath()).constData(), W_OK) != 0) {
        error = "journal " + path.toStdString() + " is not writable by this user: " + std::strerror(errno);
        return nullptr;
    }
    // Then the lock: a second process must not touch the file at all, not even to create it.
    auto lock = JournalLock::acquire(info.absoluteFilePath(), error);
    if (!lock)
        return nullptr;
    // A new journal is created readable by its owner only: it is the trading history. SQLite gives
    // its -wal and -shm files the database file's mode.
    if (!info.exists()) {
        const int fd = ::open(QFile::encodeName(path).constData(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd >= 0)
            ::close(fd);
    }
    const std::string run = fmt::format("{}-{}", wallNowMs(), ::getpid());
    std::unique_ptr<SqliteJournal> journal(new SqliteJournal(path, run, options, std::move(lock)));
    if (!journal->start(error))
        return nullptr;
    return journal;
}

SqliteJournal::SqliteJournal(QString path, std::string run, JournalOptions options, std::unique_ptr<JournalLock> lock)
    : m_path(std::move(path))
    , m_run(std::move(run))
    , m_options(options)
    , m_lock(std::move(lock)) {}

bool SqliteJournal::start(std::string& error) {
    m_writer = std::thread([this] { writerLoop(); });
    std::unique_lock lock(m_mutex);
    m_progress.wait(lock, [this] { return m_ready || !m_startError.empty(); });
    if (!m_startError.empty()) {
        error = m_startError;
        lock.unlock();
        m_writer.join();
        return false;
    }
    return true;
}

SqliteJournal::~SqliteJournal() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_writer.joinable())
        m_writer.join();
}

long SqliteJournal::staleLockHolder() const {
    return m_lock ? m_lock->previousHolder() : 0;
}

void SqliteJournal::releaseLock() {
    m_lock.reset();
}

JournalSeq SqliteJournal::append(JournalRecord record) {
    if (m_failed.load(std::memory_order_relaxed))
        return 0; // nothing is written any more: the caller must not count on it
    std::lock_guard lock(m_mutex);
    record.seq = ++m_recorded;
    m_pending.push_back(std::move(record));
    // No notify: the writer commits on its own clock unless an executor waits for this record, so
    // the event network never pays for a wake-up.
    return m_recorded;
}

JournalSeq SqliteJournal::recordAction(MarketId, const std::string& marketName, const ActionKind& action,
                                       OwnerId owner) {
    JournalRecord r = JournalRecord::fromAction(marketName, action);
    r.owner = owner;
    return append(std::move(r));
}

void SqliteJournal::recordOutcome(MarketId, const std::string& marketName, const ActionKind& action,
                                  ActionOutcome outcome, const std::string& reason) {
    append(JournalRecord::fromOutcome(marketName, action, outcome, reason));
}

void SqliteJournal::recordEvent(const std::string& marketName, const TradingEvent& event) {
    if (auto record = JournalRecord::fromEvent(marketName, event))
        append(std::move(*record));
}

void SqliteJournal::recordShutdown(const ShutdownReport& report) {
    append(JournalRecord::fromShutdown(report));
}

void SqliteJournal::recordStrategyChange(const StrategyChange& change) {
    append(JournalRecord::fromStrategyChange(change));
}

bool SqliteJournal::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    const JournalSeq target = m_recorded;
    m_commitWanted = true;
    m_wake.notify_all();
    auto done = [&] { return m_committed.load() >= target || m_failed.load() || m_writerGone; };
    if (timeout == std::chrono::milliseconds::max())
        m_progress.wait(lock, done);
    else
        m_progress.wait_for(lock, timeout, done); // a disk that hangs must not hold the exit path
    return !m_failed.load() && m_committed.load() >= target;
}

CommitWait SqliteJournal::waitCommitted(JournalSeq seq, std::chrono::steady_clock::time_point deadline,
                                        const std::atomic<bool>* interrupt) {
    // Fast path: a group commit that covered this record already happened (bursts of placements).
    if (m_committed.load(std::memory_order_acquire) >= seq)
        return CommitWait::Committed;
    std::unique_lock lock(m_mutex);
    if (!m_commitWanted) {
        m_commitWanted = true;
        m_wake.notify_one();
    }
    m_progress.wait_until(lock, deadline, [&] {
        return m_committed.load() >= seq || m_failed.load() || m_writerGone || (interrupt && interrupt->load());
    });
    if (m_committed.load() >= seq)
        return CommitWait::Committed;
    if (m_failed.load() || m_writerGone)
        return CommitWait::Failed;
    if (interrupt && interrupt->load())
        return CommitWait::Interrupted;
    return CommitWait::TimedOut;
}

void SqliteJournal::interruptWaiters() {
    // Under the lock: a waiter between its predicate and its sleep cannot miss the wake-up.
    std::lock_guard lock(m_mutex);
    m_progress.notify_all();
}

std::string SqliteJournal::failure() const {
    std::lock_guard lock(m_mutex);
    return m_failure;
}

JournalHealth SqliteJournal::health() const {
    JournalHealth h;
    const std::int64_t now = steadyNowNs();
    std::lock_guard lock(m_mutex);
    h.healthy = !m_failed.load();
    h.failure = m_failure;
    h.recorded = m_recorded;
    h.committed = m_committed.load();
    h.sync = m_options.sync;
    std::int64_t oldest = m_inFlightOldestNs;
    if (oldest == 0 && !m_pending.empty())
        oldest = m_pending.front().steadyNs;
    h.oldestUncommittedSeconds = oldest > 0 ? (now - oldest) / 1e9 : 0;
    return h;
}

void SqliteJournal::setFailureListener(std::function<void(const std::string&)> listener) {
    std::lock_guard lock(m_mutex);
    m_failureListener = std::move(listener);
}

void SqliteJournal::fail(const std::string& reason) {
    std::function<void(const std::string&)> listener;
    {
        std::lock_guard lock(m_mutex);
        if (m_failed.load())
            return;
        m_failure = reason;
        m_failed.store(true);
        listener = m_failureListener;
    }
    // The engine first (it posts the halt), then every placement waiting for its record learns it
    // will not come: nobody sees the failure before the halt is on its way.
    if (listener)
        listener(reason);
    m_progress.notify_all();
}

bool SqliteJournal::commit(QSqlDatabase& db, JournalStatements& statements, const std::vector<JournalRecord>& batch) {
    try {
        if (!db.transaction())
            throw std::runtime_error(sqlError(db.lastError()));
        for (const auto& record : batch)
            statements.write(record);
        if (!db.commit())
            throw std::runtime_error(sqlError(db.lastError()));
    } catch (const std::exception& e) {
        db.rollback();
        fail(std::string("journal write failed: ") + e.what());
        return false;
    }
    m_written.fetch_add(batch.size());
    m_commits.fetch_add(1);
    return true;
}

void SqliteJournal::writerLoop() {
    pthread_setname_np(pthread_self(), "journal-writer");
    const QString connection = QString::fromStdString("journal-writer-" + m_run);
    {
        std::string error;
        const bool ok = journalschema::openForRun(connection, m_path, m_options.sync, m_run, error);
        std::lock_guard lock(m_mutex);
        if (!ok) {
            m_startError = error;
            m_progress.notify_all();
            QSqlDatabase::removeDatabase(connection);
            return;
        }
        m_ready = true;
    }
    m_progress.notify_all();
    {
        QSqlDatabase db = QSqlDatabase::database(connection);
        JournalStatements statements(db, QString::fromStdString(m_run));
        std::vector<JournalRecord> batch;
        for (;;) {
            JournalSeq upTo = 0;
            bool stop = false;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait_for(lock, kCommitInterval,
                                [this] { return m_stop || (m_commitWanted && !m_pending.empty()); });
                m_commitWanted = false;
                batch.swap(m_pending);
                upTo = m_recorded;
                stop = m_stop;
                m_inFlightOldestNs = batch.empty() ? 0 : batch.front().steadyNs;
            }
            const bool ok = batch.empty() || m_failed.load() ? !m_failed.load() : commit(db, statements, batch);
            batch.clear();
            {
                std::lock_guard lock(m_mutex);
                if (ok)
                    m_committed.store(upTo, std::memory_order_release);
                m_inFlightOldestNs = 0;
            }
            m_progress.notify_all();
            if (stop)
                break;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    {
        std::lock_guard lock(m_mutex);
        m_writerGone = true;
    }
    m_progress.notify_all();
}

std::optional<std::vector<JournalOrder>> SqliteJournal::openOrders(const QString& path, std::string& error) {
    if (!QFileInfo::exists(path))
        return std::vector<JournalOrder>{};
    return readJournal<std::vector<JournalOrder>>(path, "journal-reader", error, [&](QSqlDatabase& db) {
        std::optional<std::vector<JournalOrder>> result;
        QSqlQuery q(db);
        if (!q.exec("SELECT run, market, client_id, side, price, quantity, filled, status, reason, created_ms, "
                    "updated_ms FROM orders WHERE status IN ('queued','open','partially_filled','outcome_unknown') "
                    "ORDER BY created_ms, market, client_id")) {
            error = sqlError(q.lastError());
            return result;
        }
        std::vector<JournalOrder> orders;
        while (q.next()) {
            JournalOrder o;
            o.run = q.value(0).toString().toStdString();
            o.market = q.value(1).toString().toStdString();
            o.id = static_cast<ClientOrderId>(q.value(2).toLongLong());
            o.side = q.value(3).toString().toStdString();
            o.price = q.value(4).toString().toStdString();
            o.quantity = q.value(5).toString().toStdString();
            o.filled = q.value(6).toString().toStdString();
            o.status = q.value(7).toString().toStdString();
            o.reason = q.value(8).toString().toStdString();
            o.createdMs = q.value(9).toLongLong();
            o.updatedMs = q.value(10).toLongLong();
            orders.push_back(std::move(o));
        }
        result = std::move(orders);
        return result;
    });
}

std::optional<std::vector<JournalFill>> SqliteJournal::fillsSince(const QString& path, std::int64_t sinceMs,
                                                                  std::string& error) {
    if (!QFileInfo::exists(path))
        return std::vector<JournalFill>{};
    return readJournal<std::vector<JournalFill>>(path, "journal-fills", error, [&](QSqlDatabase& db) {
        std::optional<std::vector<JournalFill>> result;
        QSqlQuery q(db);
        // A journal no run of this version has opened yet has no fee columns: its fills have no fee.
        bool hasFee = false;
        if (q.exec("PRAGMA table_info(events)"))
            while (q.next())
                hasFee = hasFee || q.value(1).toString() == QLatin1String("fee_asset");
        q.prepare(QString("SELECT run, market, time_ms, side, price, quantity, %1 FROM events "
                          "WHERE kind='filled' AND time_ms>=? ORDER BY seq")
                      .arg(hasFee ? "fee, fee_asset" : "NULL, NULL"));
        q.addBindValue(qlonglong(sinceMs));
        if (!q.exec()) {
            error = sqlError(q.lastError());
            return result;
        }
        std::vector<JournalFill> fills;
        while (q.next())
            fills.push_back({q.value(0).toString().toStdString(), q.value(1).toString().toStdString(),
                             q.value(2).toLongLong(), q.value(3).toString().toStdString(),
                             q.value(4).toString().toStdString(), q.value(5).toString().toStdString(),
                             q.value(6).toString().toStdString(), q.value(7).toString().toStdString()});
        result = std::move(fills);
        return result;
    });
}

std::optional<std::vector<JournalStrategyChange>> SqliteJournal::latestStrategyChanges(const QString& path,
                                                                                       std::string& error) {
    if (!QFileInfo::exists(path))
        return std::vector<JournalStrategyChange>{};
    return readJournal<std::vector<JournalStrategyChange>>(path, "journal-strategies", error, [&](QSqlDatabase& db) {
        std::optional<std::vector<JournalStrategyChange>> result;
        QSqlQuery q(db);
        // A journal no run of this version has opened yet has no such table: no changes.
        const bool hasTable =
            q.exec("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='strategy_changes'") && q.next() &&
            q.value(0).toInt() == 1;
        if (!hasTable)
            return std::optional<std::vector<JournalStrategyChange>>(std::vector<JournalStrategyChange>{});
        if (!q.exec("SELECT run, time_ms, strategy, change, key, before, after, detail FROM strategy_changes "
                    "WHERE run=(SELECT run FROM strategy_changes ORDER BY seq DESC LIMIT 1) ORDER BY seq")) {
            error = sqlError(q.lastError());
            return result;
        }
        std::vector<JournalStrategyChange> changes;
        auto text = [&](int column) { return q.value(column).toString().toStdString(); };
        while (q.next())
            changes.push_back({text(0), q.value(1).toLongLong(),
                               StrategyChange{text(2), text(3), text(4), text(5), text(6), text(7)}});
        result = std::move(changes);
        return result;
    });
}

bool SqliteJournal::settle(const QString& path, const JournalOrder& order, const std::string& status,
                           const std::string& reason, std::string& error) {
    const QString connection = QString("journal-settle-%1").arg(reinterpret_cast<quintptr>(&error));
    bool ok = false;
    {
        if (!journalschema::openExisting(connection, path, error)) {
            QSqlDatabase::removeDatabase(connection);
            return false;
        }
        QSqlDatabase db = QSqlDatabase::database(connection);
        QSqlQuery q(db);
        q.prepare("UPDATE orders SET status=?, reason=?, updated_ms=? WHERE run=? AND market=? AND client_id=?");
        q.addBindValue(QString::fromStdString(status));
        q.addBindValue(QString::fromStdString(reason));
        q.addBindValue(qlonglong(wallNowMs()));
        q.addBindValue(QString::fromStdString(order.run));
        q.addBindValue(QString::fromStdString(order.market));
        q.addBindValue(qlonglong(order.id));
        ok = q.exec();
        if (!ok)
            error = sqlError(q.lastError());
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return ok;
}

} // namespace md
