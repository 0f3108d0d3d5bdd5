#include "journal/journalschema.h"

#include "domain/clock.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <unistd.h>

namespace md::journalschema {
namespace {

// Each entry takes a journal from version N-1 to N; only ever append, never edit a shipped step.
const std::vector<std::vector<const char*>> kMigrations = {
    // 1: orders, events, shutdowns (the first shipped schema, created without a version number).
    {"CREATE TABLE IF NOT EXISTS orders(run TEXT NOT NULL, market TEXT NOT NULL, client_id INTEGER NOT NULL, "
     "side TEXT, price TEXT, quantity TEXT, filled TEXT NOT NULL DEFAULT '0', status TEXT NOT NULL, reason TEXT, "
     "created_ms INTEGER, updated_ms INTEGER, PRIMARY KEY(run, market, client_id))",
     "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
     "market TEXT, client_id INTEGER, kind TEXT, side TEXT, price TEXT, quantity TEXT, detail TEXT)",
     "CREATE TABLE IF NOT EXISTS shutdowns(id INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
     "report TEXT)",
     "CREATE INDEX IF NOT EXISTS orders_status ON orders(status)"},
    // 2: one row per run (who, when, how durable), written at start as the proof that the file is writable.
    {"CREATE TABLE IF NOT EXISTS runs(run TEXT PRIMARY KEY, pid INTEGER, started_ms INTEGER, sync TEXT)"},
    // 3: every fill's fee and its asset (issue 15); older rows read as "no fee".
    {"ALTER TABLE events ADD COLUMN fee TEXT", "ALTER TABLE events ADD COLUMN fee_asset TEXT"},
    // 4: whose order it is (issue 15 part 4): 0..N-1 a strategy, 65535 the trader's manual order. Older rows: 0.
    {"ALTER TABLE orders ADD COLUMN owner INTEGER NOT NULL DEFAULT 0"},
    // 5: what the user changed in a running strategy (issue 17 part 5): a parameter (key, before, after as
    // JSON text) or its lifecycle (start, pause, resume, stop; halted when it threw), in the order applied.
    {"CREATE TABLE IF NOT EXISTS strategy_changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
     "strategy TEXT NOT NULL, change TEXT NOT NULL, key TEXT, before TEXT, after TEXT, detail TEXT)"},
};

std::string sqlError(const QSqlError& e) {
    return e.text().toStdString();
}

bool open(const QString& connection, const QString& path, std::string& error) {
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", connection);
    db.setDatabaseName(path);
    if (!db.open()) {
        error = "cannot open journal " + path.toStdString() + ": " + sqlError(db.lastError());
        return false;
    }
    QSqlQuery q(db);
    if (!q.exec("PRAGMA quick_check") || !q.next() || q.value(0).toString() != "ok") {
        error = "journal " + path.toStdString() + " is corrupt (" +
                (q.lastError().isValid() ? sqlError(q.lastError()) : q.value(0).toString().toStdString()) +
                "); move it aside to start a new one";
        return false;
    }
    q.exec("PRAGMA busy_timeout=2000");
    return true;
}

bool migrate(QSqlDatabase& db, const QString& path, std::string& error) {
    QSqlQuery q(db);
    if (!q.exec("PRAGMA user_version") || !q.next()) {
        error = "journal " + path.toStdString() + ": cannot read its schema version: " + sqlError(q.lastError());
        return false;
    }
    const int version = q.value(0).toInt();
    if (version > currentVersion()) {
        error = "journal " + path.toStdString() + " was written by a newer MarketDesk (schema " +
                std::to_string(version) + ", this one knows " + std::to_string(currentVersion()) + ")";
        return false;
    }
    for (int v = version; v < currentVersion(); ++v) {
        if (!db.transaction()) {
            error = "journal " + path.toStdString() + " is not writable: " + sqlError(db.lastError());
            return false;
        }
        bool ok = true;
        for (const char* statement : kMigrations[static_cast<std::size_t>(v)])
            ok = ok && q.exec(statement);
        ok = ok && q.exec(QString("PRAGMA user_version=%1").arg(v + 1));
        if (!ok || !db.commit()) {
            error = "journal " + path.toStdString() +
                    " is not writable: " + sqlError(q.lastError().isValid() ? q.lastError() : db.lastError());
            db.rollback();
            return false;
        }
    }
    return true;
}

} // namespace

int currentVersion() {
    return static_cast<int>(kMigrations.size());
}

bool openForRun(const QString& connection, const QString& path, JournalSync sync, const std::string& run,
                std::string& error) {
    if (!open(connection, path, error))
        return false;
    QSqlDatabase db = QSqlDatabase::database(connection);
    QSqlQuery q(db);
    if (!q.exec("PRAGMA journal_mode=WAL") || !q.next() || q.value(0).toString().toLower() != "wal") {
        error =
            "journal " + path.toStdString() + " is not writable: cannot switch to WAL mode: " + sqlError(q.lastError());
        return false;
    }
    // In WAL mode NORMAL writes each commit to the WAL (survives the process's death) and syncs at
    // checkpoints; FULL also syncs the WAL at every commit (survives a power loss).
    q.exec(sync == JournalSync::Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    if (!migrate(db, path, error))
        return false;
    // The proof: this run's row. SQLite opens a file it may not write read-only without a word, and a
    // full disk only shows at the first write; both must stop the start, not the first placement.
    q.prepare("INSERT INTO runs(run, pid, started_ms, sync) VALUES(?,?,?,?)");
    q.addBindValue(QString::fromStdString(run));
    q.addBindValue(static_cast<qlonglong>(::getpid()));
    q.addBindValue(static_cast<qlonglong>(wallNowMs()));
    q.addBindValue(sync == JournalSync::Full ? "full" : "normal");
    if (!q.exec()) {
        error = "journal " + path.toStdString() + " is not writable: " + sqlError(q.lastError());
        return false;
    }
    return true;
}

bool openExisting(const QString& connection, const QString& path, std::string& error) {
    if (!open(connection, path, error))
        return false;
    QSqlQuery q(QSqlDatabase::database(connection));
    if (!q.exec("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='orders'") || !q.next() ||
        q.value(0).toInt() != 1) {
        error = "journal " + path.toStdString() + " is not a MarketDesk journal (no orders table)";
        return false;
    }
    return true;
}

} // namespace md::journalschema
