#include "journal/sqlitejournal.h"

#include "domain/clock.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>

#include <fmt/format.h>

#include <chrono>
#include <fcntl.h>
#include <map>
#include <unistd.h>

namespace md {
namespace {

constexpr auto kCommitInterval = std::chrono::milliseconds(20);

const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS orders(run TEXT NOT NULL, market TEXT NOT NULL, client_id INTEGER NOT NULL, "
    "side TEXT, price TEXT, quantity TEXT, filled TEXT NOT NULL DEFAULT '0', status TEXT NOT NULL, reason TEXT, "
    "created_ms INTEGER, updated_ms INTEGER, PRIMARY KEY(run, market, client_id))",
    "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
    "market TEXT, client_id INTEGER, kind TEXT, side TEXT, price TEXT, quantity TEXT, detail TEXT)",
    "CREATE TABLE IF NOT EXISTS shutdowns(id INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
    "report TEXT)",
    "CREATE INDEX IF NOT EXISTS orders_status ON orders(status)",
};

std::string sqlError(const QSqlError& e) {
    return e.text().toStdString();
}

// Opens a connection on the calling thread and checks the file is a healthy, writable journal.
bool openConnection(const QString& name, const QString& path, std::string& error) {
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", name);
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
    if (!q.exec("PRAGMA journal_mode=WAL") || !q.next() || q.value(0).toString().toLower() != "wal") {
        error = "journal " + path.toStdString() + ": cannot switch to WAL mode: " + sqlError(q.lastError());
        return false;
    }
    q.exec("PRAGMA synchronous=FULL");
    q.exec("PRAGMA busy_timeout=2000");
    for (const char* statement : kSchema) {
        if (!q.exec(statement)) {
            error = "journal " + path.toStdString() + " is not writable: " + sqlError(q.lastError());
            return false;
        }
    }
    return true;
}

std::string side(Side s) {
    return std::string(nameOf(s));
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

std::unique_ptr<SqliteJournal> SqliteJournal::open(const QString& path, std::string& error) {
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        error = "cannot create the journal directory " + info.absolutePath().toStdString();
        return nullptr;
    }
    // A new journal is created readable by its owner only: it is the trading history. SQLite gives
    // its -wal and -shm files the database file's mode.
    if (!info.exists()) {
        const int fd = ::open(QFile::encodeName(path).constData(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
        if (fd >= 0)
            ::close(fd);
    }
    const std::string run = fmt::format("{}-{}", wallNowMs(), ::getpid());
    std::unique_ptr<SqliteJournal> journal(new SqliteJournal(path, run));
    if (!journal->start(error))
        return nullptr;
    return journal;
}

SqliteJournal::SqliteJournal(QString path, std::string run)
    : m_path(std::move(path))
    , m_run(std::move(run)) {}

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

void SqliteJournal::append(Entry entry) {
    {
        std::lock_guard lock(m_mutex);
        m_pending.push_back(std::move(entry));
        ++m_enqueued;
    }
    // No notify: the writer commits on its own clock, so the caller never pays for a wake-up.
}

void SqliteJournal::recordAction(MarketId, const std::string& marketName, const ActionKind& action) {
    Entry e;
    e.timeMs = wallNowMs();
    e.market = marketName;
    std::visit(Overloaded{[&](const PlaceLimit& p) {
                              e.kind = "place";
                              e.id = p.id;
                              e.side = side(p.side);
                              e.price = p.price.toString();
                              e.quantity = p.quantity.toString();
                          },
                          [&](const CancelOrder& c) {
                              e.kind = "cancel";
                              e.id = c.id;
                          },
                          [&](const CancelAll& c) {
                              e.kind = "cancel_all";
                              if (c.scope == CancelAll::Scope::ThisRun)
                                  e.detail = "this run only";
                              else if (c.scope == CancelAll::Scope::EarlierRuns)
                                  e.detail = "earlier runs only";
                          }},
               action);
    append(std::move(e));
}

void SqliteJournal::recordOutcome(MarketId, const std::string& marketName, const ActionKind& action,
                                  ActionOutcome outcome, const std::string& reason) {
    Entry e;
    e.timeMs = wallNowMs();
    e.market = marketName;
    e.kind = std::string(nameOf(outcome));
    std::visit(Overloaded{[&](const PlaceLimit& p) {
                              e.id = p.id;
                              e.side = side(p.side);
                              e.price = p.price.toString();
                              e.quantity = p.quantity.toString();
                              e.detail = "place: " + reason;
                          },
                          [&](const CancelOrder& c) {
                              e.id = c.id;
                              e.detail = "cancel: " + reason;
                          },
                          [&](const CancelAll&) { e.detail = "cancel_all: " + reason; }},
               action);
    append(std::move(e));
}

void SqliteJournal::recordEvent(const std::string& marketName, const TradingEvent& event) {
    Entry e;
    e.timeMs = wallNowMs();
    e.market = marketName;
    bool keep = true;
    std::visit(Overloaded{[&](const OrderPlaced& p) {
                              e.kind = "placed";
                              e.id = p.id;
                              e.side = side(p.side);
                              e.price = p.price.toString();
                              e.quantity = p.quantity.toString();
                          },
                          [&](const OrderFilled& f) {
                              e.kind = "filled";
                              e.id = f.id;
                              e.side = side(f.side);
                              e.price = f.price.toString();
                              e.quantity = f.quantity.toString();
                          },
                          [&](const OrderCancelled& c) {
                              e.kind = "cancelled";
                              e.id = c.id;
                          },
                          [&](const OrderDone& d) {
                              e.kind = "done";
                              e.id = d.id;
                          },
                          [&](const OrderRejected& r) {
                              e.kind = "rejected";
                              e.id = r.id;
                              e.detail = r.reason;
                          },
                          [&](const auto&) { keep = false; }},
               event.payload);
    if (keep)
        append(std::move(e));
}

void SqliteJournal::recordShutdown(const ShutdownReport& report) {
    Entry e;
    e.timeMs = wallNowMs();
    e.kind = "shutdown";
    std::string text = fmt::format(
        "{{\"seconds\":{:.3f},\"strategy_answered\":\"{}\",\"needs_attention\":{},\"markets\":[", report.seconds,
        report.strategyAnswered       ? "in time"
        : report.strategyAnsweredLate ? "late"
                                      : "no",
        report.needsAttention() ? "true" : "false");
    for (std::size_t i = 0; i < report.markets.size(); ++i) {
        const auto& m = report.markets[i];
        std::string ids;
        for (auto id : m.openOrderIds)
            ids += (ids.empty() ? "" : ",") + std::to_string(id);
        std::string onExchange;
        for (const auto& o : m.openOnExchange)
            onExchange += fmt::format("{}{{\"client_id\":{},\"exchange_id\":\"{}\",\"side\":\"{}\",\"price\":\"{}\","
                                      "\"quantity\":\"{}\"}}",
                                      onExchange.empty() ? "" : ",", o.id, o.exchangeId, nameOf(o.side),
                                      o.price.toString(), o.quantity.toString());
        // Every order left behind, open or of unknown outcome, as the close-out shows it.
        std::string left;
        for (const auto& o : m.ordersLeft)
            left += fmt::format("{}{{\"client_id\":{},\"state\":\"{}\",\"side\":\"{}\",\"price\":\"{}\","
                                "\"quantity\":\"{}\",\"filled\":\"{}\"}}",
                                left.empty() ? "" : ",", o.id, o.status == OrderStatus::Pending ? "unknown" : "open",
                                nameOf(o.side), o.price.toString(), o.quantity.toString(), o.filled.toString());
        text += fmt::format("{}{{\"market\":\"{}\",\"clean\":{},\"executed\":{},\"not_executed\":{},"
                            "\"outcome_unknown\":{},\"orders_left_open\":{},\"open_ids\":[{}],\"orders_unknown\":{},"
                            "\"orders_left\":[{}],\"verified\":{},\"open_on_exchange\":[{}],\"detail\":\"{}\"}}",
                            i ? "," : "", m.name, m.clean ? "true" : "false", m.actionsExecuted, m.actionsNotExecuted,
                            m.actionsOutcomeUnknown,
                            m.ordersLeftOpen ? std::to_string(*m.ordersLeftOpen) : std::string("null"), ids,
                            m.ordersUnknown, left, m.verified ? "true" : "false", onExchange, m.detail);
    }
    std::string positions;
    for (const auto& p : report.positions)
        positions += fmt::format("{}\"{}\":\"{}\"", positions.empty() ? "" : ",", p.asset, p.net.toTrimmedString());
    e.detail = text + "],\"positions\":{" + positions + "}}";
    append(std::move(e));
}

bool SqliteJournal::flush(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    const std::uint64_t target = m_enqueued;
    m_wake.notify_all();
    auto done = [&] { return m_committed >= target || m_failed.load() || m_stop; };
    if (timeout == std::chrono::milliseconds::max())
        m_progress.wait(lock, done);
    else
        m_progress.wait_for(lock, timeout, done); // a disk that hangs must not hold the exit path
    return !m_failed.load() && m_committed >= target;
}

std::string SqliteJournal::failure() const {
    std::lock_guard lock(m_mutex);
    return m_failure;
}

void SqliteJournal::writerLoop() {
    const QString connection = QString::fromStdString("journal-writer-" + m_run);
    {
        std::string error;
        const bool ok = openConnection(connection, m_path, error);
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
        QSqlQuery insertEvent(db), insertOrder(db), updateStatus(db), settleQueued(db), updateFill(db), selectFill(db),
            insertShutdown(db);
        insertEvent.prepare("INSERT INTO events(run, time_ms, market, client_id, kind, side, price, quantity, detail) "
                            "VALUES(?,?,?,?,?,?,?,?,?)");
        insertOrder.prepare("INSERT INTO orders(run, market, client_id, side, price, quantity, status, created_ms, "
                            "updated_ms) VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
        updateStatus.prepare("UPDATE orders SET status=?, reason=COALESCE(?, reason), updated_ms=? "
                             "WHERE run=? AND market=? AND client_id=?");
        // A placement that was not executed ends in its outcome, unless an order event already told more.
        settleQueued.prepare("UPDATE orders SET status=?, reason=?, updated_ms=? "
                             "WHERE run=? AND market=? AND client_id=? AND status='queued'");
        updateFill.prepare("UPDATE orders SET filled=?, status=CASE WHEN status IN ('queued','open','outcome_unknown') "
                           "THEN 'partially_filled' ELSE status END, updated_ms=? WHERE run=? AND market=? AND "
                           "client_id=?");
        selectFill.prepare("SELECT filled FROM orders WHERE run=? AND market=? AND client_id=?");
        insertShutdown.prepare("INSERT INTO shutdowns(run, time_ms, report) VALUES(?,?,?)");
        std::map<std::pair<std::string, ClientOrderId>, Decimal> filled;
        const QString run = QString::fromStdString(m_run);

        auto exec = [&](QSqlQuery& q) {
            if (!q.exec())
                throw std::runtime_error(sqlError(q.lastError()));
        };
        auto write = [&](const Entry& e) {
            const QString market = QString::fromStdString(e.market);
            const qlonglong id = static_cast<qlonglong>(e.id);
            if (e.kind == "shutdown") {
                insertShutdown.bindValue(0, run);
                insertShutdown.bindValue(1, qlonglong(e.timeMs));
                insertShutdown.bindValue(2, QString::fromStdString(e.detail));
                exec(insertShutdown);
                return;
            }
            int i = 0;
            for (const QVariant& v :
                 {QVariant(run), QVariant(qlonglong(e.timeMs)), QVariant(market), QVariant(id),
                  QVariant(QString::fromStdString(e.kind)), QVariant(QString::fromStdString(e.side)),
                  QVariant(QString::fromStdString(e.price)), QVariant(QString::fromStdString(e.quantity)),
                  QVariant(QString::fromStdString(e.detail))})
                insertEvent.bindValue(i++, v);
            exec(insertEvent);
            auto setStatus = [&](const char* status, const QVariant& reason) {
                updateStatus.bindValue(0, QString(status));
                updateStatus.bindValue(1, reason);
                updateStatus.bindValue(2, qlonglong(e.timeMs));
                updateStatus.bindValue(3, run);
                updateStatus.bindValue(4, market);
                updateStatus.bindValue(5, id);
                exec(updateStatus);
            };
            if (e.kind == "place" || e.kind == "placed") {
                i = 0;
                for (const QVariant& v :
                     {QVariant(run), QVariant(market), QVariant(id), QVariant(QString::fromStdString(e.side)),
                      QVariant(QString::fromStdString(e.price)), QVariant(QString::fromStdString(e.quantity)),
                      QVariant(QString(e.kind == "place" ? "queued" : "open")), QVariant(qlonglong(e.timeMs)),
                      QVariant(qlonglong(e.timeMs))})
                    insertOrder.bindValue(i++, v);
                exec(insertOrder);
                if (e.kind == "placed")
                    setStatus("open", QVariant());
            } else if (e.kind == "filled") {
                auto key = std::make_pair(e.market, e.id);
                auto it = filled.find(key);
                if (it == filled.end()) {
                    selectFill.bindValue(0, run);
                    selectFill.bindValue(1, market);
                    selectFill.bindValue(2, id);
                    exec(selectFill);
                    Decimal start;
                    if (selectFill.next())
                        start = Decimal::parse(selectFill.value(0).toString().toStdString()).value_or(Decimal());
                    it = filled.emplace(key, start).first;
                }
                it->second += Decimal::parse(e.quantity).value_or(Decimal());
                updateFill.bindValue(0, QString::fromStdString(it->second.toTrimmedString()));
                updateFill.bindValue(1, qlonglong(e.timeMs));
                updateFill.bindValue(2, run);
                updateFill.bindValue(3, market);
                updateFill.bindValue(4, id);
                exec(updateFill);
            } else if (e.kind == "cancelled") {
                setStatus("cancelled", QVariant());
                filled.erase({e.market, e.id});
            } else if (e.kind == "done") {
                setStatus("filled", QVariant());
                filled.erase({e.market, e.id});
            } else if (e.kind == "rejected") {
                setStatus("rejected", QString::fromStdString(e.detail));
                filled.erase({e.market, e.id});
            } else if ((e.kind == "refused" || e.kind == "not_executed" || e.kind == "outcome_unknown") &&
                       e.detail.rfind("place:", 0) == 0) {
                i = 0;
                for (const QVariant& v :
                     {QVariant(QString::fromStdString(e.kind)), QVariant(QString::fromStdString(e.detail.substr(7))),
                      QVariant(qlonglong(e.timeMs)), QVariant(run), QVariant(market), QVariant(id)})
                    settleQueued.bindValue(i++, v);
                exec(settleQueued);
            }
        };

        std::vector<Entry> batch;
        for (;;) {
            std::uint64_t upTo = 0;
            bool stop = false;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait_for(lock, kCommitInterval, [this] { return m_stop; });
                batch.swap(m_pending);
                upTo = m_enqueued;
                stop = m_stop;
            }
            if (!batch.empty() && !m_failed.load()) {
                try {
                    if (!db.transaction())
                        throw std::runtime_error(sqlError(db.lastError()));
                    for (const auto& e : batch)
                        write(e);
                    if (!db.commit())
                        throw std::runtime_error(sqlError(db.lastError()));
                    m_written.fetch_add(batch.size());
                } catch (const std::exception& ex) {
                    db.rollback();
                    std::lock_guard lock(m_mutex);
                    m_failure = std::string("journal write failed: ") + ex.what();
                    m_failed.store(true);
                }
            }
            batch.clear();
            {
                std::lock_guard lock(m_mutex);
                m_committed = upTo;
            }
            m_progress.notify_all();
            if (stop)
                break;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
}

std::optional<std::vector<JournalOrder>> SqliteJournal::openOrders(const QString& path, std::string& error) {
    if (!QFileInfo::exists(path))
        return std::vector<JournalOrder>{};
    const QString connection = QString("journal-reader-%1").arg(reinterpret_cast<quintptr>(&error));
    std::optional<std::vector<JournalOrder>> result;
    {
        if (!openConnection(connection, path, error)) {
            QSqlDatabase::removeDatabase(connection);
            return std::nullopt;
        }
        QSqlDatabase db = QSqlDatabase::database(connection);
        QSqlQuery q(db);
        if (!q.exec("SELECT run, market, client_id, side, price, quantity, filled, status, reason, created_ms, "
                    "updated_ms FROM orders WHERE status IN ('queued','open','partially_filled','outcome_unknown') "
                    "ORDER BY created_ms, market, client_id")) {
            error = sqlError(q.lastError());
        } else {
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
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return result;
}

bool SqliteJournal::settle(const QString& path, const JournalOrder& order, const std::string& status,
                           const std::string& reason, std::string& error) {
    const QString connection = QString("journal-settle-%1").arg(reinterpret_cast<quintptr>(&error));
    bool ok = false;
    {
        if (!openConnection(connection, path, error)) {
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
