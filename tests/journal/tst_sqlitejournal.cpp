#include "faultyvfs.h"

#include "journal/sqlitejournal.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace md;
using namespace md::test;

namespace {
TradingEvent orderEvent(TradingEventPayload payload) {
    return TradingEvent{0, 0, 0, std::move(payload)};
}
PlaceLimit place(ClientOrderId id, const char* qty = "1.0") {
    return PlaceLimit{Side::Bid, *Price::parse("100.25"), *Quantity::parse(qty), id};
}
} // namespace

class TestSqliteJournal : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { faultyvfs::install(); }
    void cleanup() {
        faultyvfs::setFull(false);
        faultyvfs::setSyncDelayUs(0);
        faultyvfs::setWriteDelayUs(0);
    }

    void openOrdersSurviveTheProcess() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, error);
            QVERIFY2(journal, error.c_str());
            journal->recordAction(0, "A", place(1));
            journal->recordAction(0, "A", place(2));
            journal->recordAction(0, "A", place(3));
            journal->recordAction(0, "A", place(4));
            journal->recordEvent(
                "A", orderEvent(OrderPlaced{1, Side::Bid, *Price::parse("100.25"), *Quantity::parse("1.0")}));
            journal->recordEvent(
                "A", orderEvent(OrderPlaced{2, Side::Bid, *Price::parse("100.25"), *Quantity::parse("1.0")}));
            journal->recordEvent(
                "A", orderEvent(OrderFilled{2, Side::Bid, *Price::parse("100.25"), *Quantity::parse("0.25")}));
            journal->recordEvent(
                "A", orderEvent(OrderFilled{2, Side::Bid, *Price::parse("100.25"), *Quantity::parse("0.5")}));
            journal->recordEvent(
                "A", orderEvent(OrderPlaced{3, Side::Bid, *Price::parse("100.25"), *Quantity::parse("1.0")}));
            journal->recordEvent("A", orderEvent(OrderCancelled{3}));
            journal->recordEvent("A", orderEvent(OrderRejected{4, "insufficient balance"}));
            QVERIFY(journal->flush());
            QVERIFY(journal->healthy());
        }
        auto open = SqliteJournal::openOrders(path, error);
        QVERIFY2(open, error.c_str());
        QCOMPARE(open->size(), 2u); // 1 open, 2 partially filled; 3 cancelled and 4 rejected are settled
        QCOMPARE((*open)[0].id, 1u);
        QCOMPARE(QString::fromStdString((*open)[0].status), QString("open"));
        QCOMPARE(QString::fromStdString((*open)[1].status), QString("partially_filled"));
        QCOMPARE(QString::fromStdString((*open)[1].filled), QString("0.75"));
        QCOMPARE(QString::fromStdString((*open)[1].price), QString("100.25"));

        QVERIFY(SqliteJournal::settle(path, (*open)[0], "closed_by_reconcile", "not open on the exchange", error));
        QCOMPARE(SqliteJournal::openOrders(path, error)->size(), 1u);
    }

    void queuedButNeverAckedIsUnknownNotLost() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, error);
            journal->recordAction(1, "B", place(9));
            QVERIFY(journal->flush());
        }
        auto open = SqliteJournal::openOrders(path, error);
        QCOMPARE(open->size(), 1u);
        QCOMPARE(QString::fromStdString((*open)[0].status), QString("queued"));
        QCOMPARE(QString::fromStdString((*open)[0].market), QString("B"));
    }

    void eachRunIsSeparate() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        std::string firstRun;
        {
            auto journal = SqliteJournal::open(path, error);
            firstRun = journal->runId();
            journal->recordAction(0, "A", place(1));
            journal->flush();
        }
        QTest::qWait(2); // run ids carry the start time in ms
        {
            // The next run's strategy starts its ids at 1 again: the earlier order must not be overwritten.
            auto journal = SqliteJournal::open(path, error);
            QVERIFY(journal->runId() != firstRun);
            journal->recordAction(0, "A", place(1));
            journal->recordEvent("A", orderEvent(OrderCancelled{1}));
            journal->flush();
        }
        auto open = SqliteJournal::openOrders(path, error);
        QCOMPARE(open->size(), 1u);
        QCOMPARE((*open)[0].run, firstRun);
    }

    void corruptFileIsRefusedClearly() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        std::string error;
        QVERIFY(!SqliteJournal::open(path, error));
        QVERIFY2(QString::fromStdString(error).contains("corrupt") ||
                     QString::fromStdString(error).contains("not a database"),
                 error.c_str());
        QVERIFY(!SqliteJournal::openOrders(path, error));
    }

    // The trading history is the owner's: a new journal and its WAL are 0600 whatever the umask.
    void newJournalIsReadableByItsOwnerOnly() {
        QTemporaryDir dir;
        const QString path = dir.filePath("private.sqlite");
        std::string error;
        const mode_t old = ::umask(022);
        auto journal = SqliteJournal::open(path, error);
        ::umask(old);
        QVERIFY2(journal, error.c_str());
        journal->recordAction(0, "A", place(1));
        QVERIFY(journal->flush());
        for (const QString& file : {path, path + "-wal"}) {
            struct stat st {};
            QVERIFY2(::stat(QFile::encodeName(file).constData(), &st) == 0, qPrintable(file));
            QCOMPARE(st.st_mode & 0777, mode_t(0600));
        }
    }

    void unwritableLocationIsRefusedClearly() {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        std::string error;
        // The parent "directory" is a regular file: nothing can be created there, even by root.
        QVERIFY(!SqliteJournal::open(dir.filePath("file/j.sqlite"), error));
        QVERIFY2(!error.empty(), "no message");
    }

    void shutdownReportIsStored() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        auto journal = SqliteJournal::open(path, error);
        ShutdownReport report;
        report.markets.push_back({0, "A", false, "executor stuck", 3, 2, 1, {7}, 1, false, {}});
        // The close-out's whole story: the orders left (open and unknown), the strategy, the positions.
        report.markets[0].ordersLeft = {OrderView{0,
                                                  7,
                                                  Side::Bid,
                                                  *Price::parse("100.10"),
                                                  *Quantity::parse("0.50"),
                                                  *Quantity::parse("0.10"),
                                                  OrderStatus::PartiallyFilled,
                                                  {},
                                                  0,
                                                  0},
                                        OrderView{0,
                                                  8,
                                                  Side::Ask,
                                                  *Price::parse("100.30"),
                                                  *Quantity::parse("0.50"),
                                                  *Quantity::parse("0.00"),
                                                  OrderStatus::Pending,
                                                  {},
                                                  0,
                                                  0}};
        report.strategyAnsweredLate = true;
        report.money.assets = {{"BTC", *Decimal::parse("0.1")}}; // the position left per base asset
        journal->recordShutdown(report);
        QVERIFY(journal->flush());
        QCOMPARE(journal->writtenEntries(), 1u);
        journal.reset();
        {
            auto db = QSqlDatabase::addDatabase("QSQLITE", "read-shutdown");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q("SELECT report FROM shutdowns", db);
            QVERIFY(q.next());
            const QJsonObject r = QJsonDocument::fromJson(q.value(0).toByteArray()).object();
            QCOMPARE(r.value("strategy_answered").toString(), QString("late"));
            QVERIFY(r.value("needs_attention").toBool());
            const QJsonArray left = r.value("markets").toArray().at(0).toObject().value("orders_left").toArray();
            QCOMPARE(left.size(), 2);
            QCOMPARE(left.at(0).toObject().value("state").toString(), QString("open"));
            QCOMPARE(left.at(0).toObject().value("filled").toString(), QString("0.10"));
            QCOMPARE(left.at(1).toObject().value("state").toString(), QString("unknown"));
            QCOMPARE(r.value("positions").toObject().value("BTC").toString(), QString("0.1"));
            QVERIFY(!r.value("positions").toObject().contains("USDT")); // base assets only: one figure
        }
        QSqlDatabase::removeDatabase("read-shutdown");
    }

    // shutdowns.report is JSON a program can read back, whatever the names and texts hold.
    void shutdownReportIsValidJsonWhateverTheText() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, error);
            QVERIFY2(journal, error.c_str());
            ShutdownReport report;
            report.seconds = 1.25;
            MarketShutdownReport m;
            m.name = "A\"B\\C";
            m.clean = false;
            m.detail = "executor \"stuck\"\nline two\t\x1b[31m";
            m.openOrderIds = {7};
            OpenOrderInfo o;
            o.id = 7;
            o.exchangeId = "ex\"7\\";
            o.price = *Price::parse("100.25");
            o.quantity = *Quantity::parse("1.0");
            m.openOnExchange.push_back(o);
            m.verified = true;
            report.markets.push_back(m);
            journal->recordShutdown(report);
            QVERIFY(journal->flush());
        }
        QString text;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "read-report");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("SELECT report FROM shutdowns"));
            QVERIFY(q.next());
            text = q.value(0).toString();
        }
        QSqlDatabase::removeDatabase("read-report");
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
        QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString() + ": " + text));
        const QJsonObject market = doc.object().value("markets").toArray().at(0).toObject();
        QCOMPARE(market.value("market").toString(), QString("A\"B\\C"));
        QCOMPARE(market.value("detail").toString(), QString("executor \"stuck\"\nline two\t\x1b[31m"));
        QCOMPARE(market.value("open_on_exchange").toArray().at(0).toObject().value("exchange_id").toString(),
                 QString("ex\"7\\"));
    }

    // ---- issue 12: sequence numbers, group commit, failures, the lock, migrations.

    void recordsAreNumberedAndWaitedForByNumber() {
        QTemporaryDir dir;
        std::string error;
        auto journal = SqliteJournal::open(dir.filePath("j.sqlite"), error);
        QVERIFY2(journal, error.c_str());
        const JournalSeq a = journal->recordAction(0, "A", place(1));
        const JournalSeq b = journal->recordAction(0, "A", place(2));
        QCOMPARE(a, JournalSeq(1));
        QCOMPARE(b, JournalSeq(2));
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        QCOMPARE(int(journal->waitCommitted(b, deadline, nullptr)), int(CommitWait::Committed));
        QVERIFY(journal->health().committed >= b);
        QCOMPARE(journal->health().oldestUncommittedSeconds, 0.0);
        // Waited for: committed without waiting for the writer's 20 ms clock.
        const JournalSeq c = journal->recordAction(0, "A", place(3));
        const auto start = std::chrono::steady_clock::now();
        QCOMPARE(int(journal->waitCommitted(c, start + std::chrono::seconds(5), nullptr)), int(CommitWait::Committed));
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    }

    // Eight executors wait for eight placements on a disk that takes 20 ms per sync: they share
    // commits (a group), instead of one flush each.
    void waitersShareOneCommit() {
        QTemporaryDir dir;
        std::string error;
        auto journal = SqliteJournal::open(dir.filePath("journal.sqlite"), JournalOptions{JournalSync::Full}, error);
        QVERIFY2(journal, error.c_str());
        QVERIFY(journal->flush());
        const auto commitsBefore = journal->commits();
        faultyvfs::setSyncDelayUs(20000);
        std::vector<JournalSeq> seqs;
        for (int i = 0; i < 8; ++i)
            seqs.push_back(journal->recordAction(0, "A", place(static_cast<ClientOrderId>(i + 1))));
        std::atomic<int> committed{0};
        std::vector<std::thread> executors;
        for (auto seq : seqs)
            executors.emplace_back([&, seq] {
                if (journal->waitCommitted(seq, std::chrono::steady_clock::now() + std::chrono::seconds(10), nullptr) ==
                    CommitWait::Committed)
                    committed.fetch_add(1);
            });
        for (auto& t : executors)
            t.join();
        QCOMPARE(committed.load(), 8);
        QVERIFY2(journal->commits() - commitsBefore <= 2,
                 qPrintable(QString::number(journal->commits() - commitsBefore)));
    }

    void aWaitEndsAtItsDeadlineOrWhenInterrupted() {
        QTemporaryDir dir;
        std::string error;
        auto journal = SqliteJournal::open(dir.filePath("journal.sqlite"), error);
        QVERIFY2(journal, error.c_str());
        faultyvfs::setWriteDelayUs(1'500'000); // a disk that takes 1.5 s per write
        const JournalSeq seq = journal->recordAction(0, "A", place(1));
        const auto start = std::chrono::steady_clock::now();
        QCOMPARE(int(journal->waitCommitted(seq, start + std::chrono::milliseconds(100), nullptr)),
                 int(CommitWait::TimedOut));
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
        QVERIFY(journal->health().oldestUncommittedSeconds > 0);
        std::atomic<bool> interrupt{false};
        std::thread killer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            interrupt = true;
            journal->interruptWaiters();
        });
        QCOMPARE(
            int(journal->waitCommitted(seq, std::chrono::steady_clock::now() + std::chrono::seconds(30), &interrupt)),
            int(CommitWait::Interrupted));
        killer.join();
        faultyvfs::setWriteDelayUs(0);
        QVERIFY(journal->flush());
    }

    // A full disk: the first commit that fails fails the journal at once — the listener hears it on
    // the writer's thread, every waiter is told, and nothing more is taken.
    void aFailedWriteIsNoticedAtOnce() {
        QTemporaryDir dir;
        std::string error;
        auto journal = SqliteJournal::open(dir.filePath("journal.sqlite"), error);
        QVERIFY2(journal, error.c_str());
        std::atomic<int> heard{0};
        std::string reason;
        journal->setFailureListener([&](const std::string& r) {
            reason = r;
            heard.fetch_add(1);
        });
        faultyvfs::setFull(true);
        const JournalSeq seq = journal->recordAction(0, "A", place(1));
        QCOMPARE(int(journal->waitCommitted(seq, std::chrono::steady_clock::now() + std::chrono::seconds(10), nullptr)),
                 int(CommitWait::Failed));
        QTRY_COMPARE_WITH_TIMEOUT(heard.load(), 1, 5000); // told on the writer's thread
        QVERIFY2(QString::fromStdString(reason).contains("journal write failed") &&
                     QString::fromStdString(reason).contains("full"),
                 reason.c_str());
        QVERIFY(!journal->healthy());
        QVERIFY(!journal->health().healthy);
        QCOMPARE(journal->recordAction(0, "A", place(2)), JournalSeq(0));
        QVERIFY(!journal->flush());
        QCOMPARE(heard.load(), 1);
    }

    // A disk that is full at start: refused before anything trades.
    void aJournalThatCannotBeWrittenIsRefusedAtOpen() {
        QTemporaryDir dir;
        const QString path = dir.filePath("journal.sqlite");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, error); // exists, healthy
            QVERIFY2(journal, error.c_str());
        }
        faultyvfs::setFull(true);
        QVERIFY(!SqliteJournal::open(path, error));
        QVERIFY2(QString::fromStdString(error).contains("is not writable"), error.c_str());
    }

    void oneProcessPerJournal() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        auto first = SqliteJournal::open(path, error);
        QVERIFY2(first, error.c_str());
        QVERIFY(!SqliteJournal::open(path, error));
        QVERIFY2(QString::fromStdString(error).contains(
                     QString("in use by another MarketDesk process (PID %1)").arg(::getpid())),
                 error.c_str());
        first.reset(); // released with its journal
        auto again = SqliteJournal::open(path, error);
        QVERIFY2(again, error.c_str());
        QCOMPARE(again->staleLockHolder(), 0L); // it was our own PID: nothing stale to report
    }

    // A lock file left by a process that died (the kernel dropped its flock): taken over, and the
    // dead holder is named.
    void staleLockIsTakenOverAndNamed() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        QFile lock(path + ".lock");
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write("999999999\n");
        lock.close();
        std::string error;
        auto journal = SqliteJournal::open(path, error);
        QVERIFY2(journal, error.c_str());
        QCOMPARE(journal->staleLockHolder(), 999999999L);
        QVERIFY(lock.open(QIODevice::ReadOnly));
        QCOMPARE(lock.readAll().trimmed(), QByteArray::number(::getpid()));
    }

    // A journal written before schema versions (user_version 0, no runs table) is migrated in place;
    // its orders stay.
    // Issue 15 part 4: a placement's row keeps whose order it is (the trader's: kManualOwner).
    void theOrderOwnerIsJournaled() {
        QTemporaryDir dir;
        const QString path = dir.filePath("owner.sqlite");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, JournalOptions{}, error);
            QVERIFY2(journal, error.c_str());
            journal->recordAction(0, "A", place(1));
            journal->recordAction(0, "A", place(999999), kManualOwner);
            QVERIFY(journal->flush());
        }
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "owner");
        db.setDatabaseName(path);
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec("SELECT client_id, owner FROM orders ORDER BY client_id"));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), 1LL);
            QCOMPARE(q.value(1).toInt(), 0);
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), 999999LL);
            QCOMPARE(q.value(1).toInt(), int(kManualOwner));
        }
        db.close();
        db = {};
        QSqlDatabase::removeDatabase("owner");
    }

    void anOlderJournalIsMigratedInPlace() {
        QTemporaryDir dir;
        const QString path = dir.filePath("old.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "old");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("CREATE TABLE orders(run TEXT NOT NULL, market TEXT NOT NULL, client_id INTEGER NOT NULL, "
                           "side TEXT, price TEXT, quantity TEXT, filled TEXT NOT NULL DEFAULT '0', status TEXT NOT "
                           "NULL, reason TEXT, created_ms INTEGER, updated_ms INTEGER, PRIMARY KEY(run, market, "
                           "client_id))"));
            QVERIFY(q.exec(
                "CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
                "market TEXT, client_id INTEGER, kind TEXT, side TEXT, price TEXT, quantity TEXT, detail TEXT)"));
            QVERIFY(q.exec("CREATE TABLE shutdowns(id INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
                           "report TEXT)"));
            QVERIFY(q.exec("INSERT INTO orders(run, market, client_id, side, price, quantity, status, created_ms, "
                           "updated_ms) VALUES('1-1','A',5,'bid','1.00','2.0','open',1,1)"));
            db.close();
        }
        QSqlDatabase::removeDatabase("old");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, JournalOptions{JournalSync::Full}, error);
            QVERIFY2(journal, error.c_str());
        }
        auto open = SqliteJournal::openOrders(path, error);
        QVERIFY2(open, error.c_str());
        QCOMPARE(open->size(), 1u);
        QCOMPARE((*open)[0].id, ClientOrderId(5));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "check");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("PRAGMA user_version") && q.next());
            QCOMPARE(q.value(0).toInt(), 5); // 3: fee columns, 4: order owner (issue 15), 5: strategy changes (17)
            QVERIFY(q.exec("SELECT count(*) FROM strategy_changes") && q.next());
            QVERIFY(q.exec("SELECT owner FROM orders WHERE client_id=5") && q.next());
            QCOMPARE(q.value(0).toInt(), 0); // an older row: the strategy's
            QVERIFY(q.exec("SELECT pid, sync FROM runs") && q.next());
            QCOMPARE(q.value(0).toLongLong(), qlonglong(::getpid()));
            QCOMPARE(q.value(1).toString(), QString("full"));
            db.close();
        }
        QSqlDatabase::removeDatabase("check");
    }
};

QTEST_GUILESS_MAIN(TestSqliteJournal)
#include "tst_sqlitejournal.moc"
