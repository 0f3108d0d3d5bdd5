#include "journal/sqlitejournal.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>

using namespace md;

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
        report.positions = {{"BTC", *Decimal::parse("0.1")}, {"USDT", *Decimal::parse("-10.01")}};
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
            QCOMPARE(r.value("positions").toObject().value("USDT").toString(), QString("-10.01"));
        }
        QSqlDatabase::removeDatabase("read-shutdown");
    }
};

QTEST_GUILESS_MAIN(TestSqliteJournal)
#include "tst_sqlitejournal.moc"
