// The journal keeps every fill's fee and fee asset (issue 15) and gives the fills back by time, so a
// restart can restore the day's realized P&L and fees; a journal written before the fee columns
// existed gains them and its old fills read as "no fee".
#include "journal/sqlitejournal.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace md;

namespace {
TradingEvent fill(ClientOrderId id, Side side, const char* price, const char* qty, const char* fee = nullptr,
                  const char* asset = "") {
    return TradingEvent{0, 0, 0,
                        OrderFilled{id, side, *Price::parse(price), *Quantity::parse(qty),
                                    fee ? *Decimal::parse(fee) : Decimal(), asset}};
}
} // namespace

class TestJournalFills : public QObject {
    Q_OBJECT
private slots:
    void fillsKeepTheirFee() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        const std::int64_t before = QDateTime::currentMSecsSinceEpoch();
        {
            auto journal = SqliteJournal::open(path, error);
            QVERIFY2(journal, error.c_str());
            journal->recordEvent("A", fill(1, Side::Bid, "100.25", "0.5", "0.0005", "BTC"));
            journal->recordEvent("A", fill(2, Side::Ask, "101.00", "0.5", "0.0505", "USDT"));
            journal->recordEvent("B", fill(3, Side::Bid, "90.0", "1"));
            QVERIFY(journal->flush());
        }
        auto fills = SqliteJournal::fillsSince(path, before, error);
        QVERIFY2(fills, error.c_str());
        QCOMPARE(fills->size(), 3u);
        QCOMPARE((*fills)[0].market, std::string("A"));
        QCOMPARE((*fills)[0].side, std::string("bid"));
        QCOMPARE((*fills)[0].price, std::string("100.25"));
        QCOMPARE((*fills)[0].quantity, std::string("0.5"));
        QCOMPARE((*fills)[0].fee, std::string("0.0005"));
        QCOMPARE((*fills)[0].feeAsset, std::string("BTC"));
        QCOMPARE((*fills)[1].fee, std::string("0.0505"));
        QCOMPARE((*fills)[1].feeAsset, std::string("USDT"));
        QVERIFY((*fills)[2].fee.empty());
        QVERIFY((*fills)[2].timeMs >= before);
        QCOMPARE(SqliteJournal::fillsSince(path, QDateTime::currentMSecsSinceEpoch() + 60000, error)->size(), 0u);
    }

    void olderJournalGainsTheFeeColumns() {
        QTemporaryDir dir;
        const QString path = dir.filePath("old.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "old");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec("CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT, run TEXT, time_ms INTEGER, "
                           "market TEXT, client_id INTEGER, kind TEXT, side TEXT, price TEXT, quantity TEXT, "
                           "detail TEXT)"));
            QVERIFY(q.exec("INSERT INTO events(run, time_ms, market, client_id, kind, side, price, quantity) "
                           "VALUES('r0', 5, 'A', 1, 'filled', 'ask', '100.00', '0.1')"));
            db.close();
        }
        QSqlDatabase::removeDatabase("old");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, error);
            QVERIFY2(journal, error.c_str());
            journal->recordEvent("A", fill(2, Side::Bid, "99.00", "0.1", "0.0099", "USDT"));
            QVERIFY(journal->flush());
        }
        auto fills = SqliteJournal::fillsSince(path, 0, error);
        QVERIFY2(fills, error.c_str());
        QCOMPARE(fills->size(), 2u);
        QVERIFY((*fills)[0].fee.empty());
        QCOMPARE((*fills)[1].fee, std::string("0.0099"));
    }

    // The close-out's positions and P&L are in the journal's shutdown report.
    void shutdownReportCarriesThePositionsLeft() {
        QTemporaryDir dir;
        const QString path = dir.filePath("j.sqlite");
        std::string error;
        {
            auto journal = SqliteJournal::open(path, error);
            QVERIFY2(journal, error.c_str());
            ShutdownReport report;
            MarketMoney m;
            m.name = "A";
            m.base = "BTC";
            m.quote = "USDT";
            m.position = *Decimal::parse("-0.25");
            m.averageEntry = *Decimal::parse("101.5");
            m.realized = *Decimal::parse("1.4");
            m.feesInQuote = *Decimal::parse("0.03");
            m.net = *Decimal::parse("1.37");
            m.fills = 3;
            report.money.markets.push_back(m);
            journal->recordShutdown(report);
            QVERIFY(journal->flush());
        }
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "reader");
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("SELECT report FROM shutdowns") && q.next());
        const QJsonObject report = QJsonDocument::fromJson(q.value(0).toString().toUtf8()).object();
        const QJsonArray positions = report.value("money").toArray(); // "positions" is issue 14's net per asset
        QCOMPARE(positions.size(), 1);
        const QJsonObject a = positions[0].toObject();
        QCOMPARE(a.value("market").toString(), QString("A"));
        QCOMPARE(a.value("asset").toString(), QString("BTC"));
        QCOMPARE(a.value("position").toString(), QString("-0.25"));
        QCOMPARE(a.value("average_entry").toString(), QString("101.5"));
        QCOMPARE(a.value("currency").toString(), QString("USDT"));
        QCOMPARE(a.value("realized").toString(), QString("1.4"));
        QCOMPARE(a.value("unrealized").toString(), QString("0"));
        QCOMPARE(a.value("fees").toString(), QString("0.03"));
        QCOMPARE(a.value("net").toString(), QString("1.37"));
        QCOMPARE(a.value("fills").toInt(), 3);
        db.close();
    }

    void missingFileHasNoFills() {
        std::string error;
        auto fills = SqliteJournal::fillsSince("/nonexistent/dir/j.sqlite", 0, error);
        QVERIFY(fills);
        QVERIFY(fills->empty());
    }
};

QTEST_GUILESS_MAIN(TestJournalFills)
#include "tst_journalfills.moc"
