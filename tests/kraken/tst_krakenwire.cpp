// Kraken's wire layer against the documents' own vectors: the v2 book checksum example
// (https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2: BTC/USD top 10 -> 3310070434),
// the REST API-Sign example (https://docs.kraken.com/exchange/guides/rest/authentication), and payloads
// shaped like the channel pages' examples (tests/data/kraken/).
#include "kraken/executionmapping.h"
#include "kraken/jsonnumber.h"
#include "kraken/krakenbook.h"
#include "kraken/krakenparser.h"
#include "kraken/krakensettings.h"
#include "kraken/krakensignature.h"

#include <QFile>
#include <QJsonDocument>
#include <QtTest>

using namespace md;
using namespace md::kraken;

namespace {

QByteArray load(const char* name) {
    QFile f(QString(qgetenv("MD_TEST_DATA")) + "/kraken/" + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", name);
    return f.readAll().trimmed();
}

template <class T> T expect(Parser& parser, const QByteArray& frame) {
    auto parsed = parser.parse(std::string_view(frame.constData(), static_cast<std::size_t>(frame.size())));
    if (auto* e = std::get_if<ParseError>(&parsed))
        qFatal("parse error: %s", e->message.c_str());
    auto& message = std::get<Message>(parsed);
    if (!std::holds_alternative<T>(message))
        qFatal("unexpected message kind %zu", message.index());
    return std::get<T>(message);
}

std::string parseErrorOf(Parser& parser, const QByteArray& frame) {
    auto parsed = parser.parse(std::string_view(frame.constData(), static_cast<std::size_t>(frame.size())));
    auto* e = std::get_if<ParseError>(&parsed);
    return e ? e->message : std::string();
}

} // namespace

class TestKrakenWire : public QObject {
    Q_OBJECT
private slots:
    void documentedChecksum() {
        Parser parser;
        parser.setBookPrecision(1, 8);
        const auto m = expect<BookMessage>(parser, load("book_snapshot_btcusd.json"));
        QVERIFY(m.snapshot);
        QCOMPARE(m.checksum, 3310070434u);
        KrakenBook book(10);
        book.apply(m);
        // The guide spells out both halves of the input string.
        QCOMPARE(QString::fromStdString(book.checksumText()),
                 QString("45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947"
                         "445474945296135380000452975994554245299518772827"
                         "45283510000000452834154582015452821100000004528101000000045280315459258645279079900004527763"
                         "3101034527753000000045277315460273745276615445238"));
        QCOMPARE(book.checksum(), 3310070434u);
    }
    // The same book with the trailing zeros trimmed on the wire (0.1 instead of 0.10000000, 45281 instead
    // of 45281.0) gives the same checksum: the levels are written at the pair's precision, not as received.
    void checksumIgnoresWireFormatting() {
        QByteArray frame = load("book_snapshot_btcusd.json");
        frame.replace("0.10000000", "0.1").replace("45281.0", "45281").replace("0.30000000", "3e-1");
        frame.replace("0.00100000", "0.001");
        Parser parser;
        parser.setBookPrecision(1, 8);
        KrakenBook book(10);
        book.apply(expect<BookMessage>(parser, frame));
        QCOMPARE(book.checksum(), 3310070434u);
    }
    void perturbedLevelChangesChecksum() {
        Parser parser;
        parser.setBookPrecision(1, 8);
        KrakenBook book(10);
        book.apply(expect<BookMessage>(parser, load("book_snapshot_btcusd.json")));
        BookMessage update;
        update.bids.push_back({452835, 10000001}); // one satoshi more at the best bid
        book.apply(update);
        QVERIFY(book.checksum() != 3310070434u);
        update.bids[0].quantity = 10000000;
        book.apply(update);
        QCOMPARE(book.checksum(), 3310070434u);
    }
    // Kraken sends no removal for levels that fall out of the subscribed depth: the book truncates itself.
    void truncatedToDepthAfterEveryMessage() {
        Parser parser;
        parser.setBookPrecision(1, 8);
        KrakenBook book(10);
        book.apply(expect<BookMessage>(parser, load("book_snapshot_btcusd.json")));
        BookMessage update;
        update.bids.push_back({452836, 5}); // a new best bid pushes the 10th out
        update.asks.push_back({452851, 7}); // a new best ask
        update.asks.push_back({452852, 0}); // and the old best ask removed
        book.apply(update);
        QCOMPARE(book.bids().size(), std::size_t(10));
        QCOMPARE(book.bids().front().price, std::int64_t(452836));
        QCOMPARE(book.bids().back().price, std::int64_t(452773)); // 45276.6 fell out
        QCOMPARE(book.asks().size(), std::size_t(10));
        QCOMPARE(book.asks().front().price, std::int64_t(452851));
        QCOMPARE(book.asks().at(1).price, std::int64_t(452864));
    }
    void exactNumbers_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("scale");
        QTest::addColumn<qlonglong>("units");
        QTest::addColumn<bool>("ok");
        QTest::newRow("plain") << "45283.5" << 1 << 452835LL << true;
        QTest::newRow("padded") << "0.10000000" << 8 << 10000000LL << true;
        QTest::newRow("trimmed") << "0.1" << 8 << 10000000LL << true;
        QTest::newRow("integer") << "45281" << 1 << 452810LL << true;
        QTest::newRow("exponent") << "5e-05" << 8 << 5000LL << true;
        QTest::newRow("exponent+") << "1.5E+3" << 0 << 1500LL << true;
        QTest::newRow("too fine") << "0.123456789" << 8 << 0LL << false;
        QTest::newRow("quoted") << "\"0.25\"" << 2 << 25LL << true;
        QTest::newRow("garbage") << "0x12" << 2 << 0LL << false;
        QTest::newRow("overflow") << "99999999999999999999" << 0 << 0LL << false;
        // A double would print 0.30000000000000004 for 0.1+0.2; the text route never meets one.
        QTest::newRow("no double") << "0.30000000000000004" << 17 << 30000000000000004LL << true;
    }
    void exactNumbers() {
        QFETCH(QString, text);
        QFETCH(int, scale);
        QFETCH(qlonglong, units);
        QFETCH(bool, ok);
        const auto u = unitsAt(text.toStdString(), scale);
        QCOMPARE(u.has_value(), ok);
        if (ok)
            QCOMPARE(static_cast<qlonglong>(*u), units);
    }
    void signatureMatchesDocumentedVector() {
        const QByteArray secret =
            "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
        const QByteArray post = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
        QCOMPARE(
            sign(secret, "/0/private/AddOrder", "1616492376594", post),
            QByteArray("4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="));
        QVERIFY(sign("not base64 !!", "/0/private/AddOrder", "1", "nonce=1").isEmpty());
    }
    void instrument() {
        Parser parser;
        const auto m = expect<InstrumentMessage>(parser, load("instrument_snapshot.json"));
        QCOMPARE(m.pairs.size(), std::size_t(1));
        const PairInfo& p = m.pairs[0];
        QCOMPARE(p.symbol, std::string("BTC/USD"));
        QCOMPARE(p.pricePrecision, 1);
        QCOMPARE(p.qtyPrecision, 8);
        QCOMPARE(p.priceIncrement.toTrimmedString(), std::string("0.1"));
        QCOMPARE(p.qtyIncrement.toTrimmedString(), std::string("0.00000001"));
        QCOMPARE(p.qtyMin.toTrimmedString(), std::string("0.0001"));
        QCOMPARE(p.costMin.toTrimmedString(), std::string("0.5"));
        QCOMPARE(p.status, std::string("online"));
    }
    void bookBeforeInstrumentIsRefused() {
        Parser parser;
        QVERIFY(parseErrorOf(parser, load("book_snapshot_btcusd.json")).find("precision") != std::string::npos);
    }
    void executionsAndAnswers() {
        Parser parser;
        const auto snap = expect<ExecutionsMessage>(parser, load("executions_snapshot.json"));
        QVERIFY(snap.snapshot);
        QCOMPARE(snap.executions.at(0).clOrdId, std::string("md-r1-7"));
        QCOMPARE(snap.executions.at(0).limitPrice.toTrimmedString(), std::string("26500"));
        QCOMPARE(snap.executions.at(0).orderQty.toTrimmedString(), std::string("0.005"));
        const auto trade = expect<ExecutionsMessage>(parser, load("executions_trade.json"));
        QCOMPARE(trade.executions.at(0).execType, std::string("trade"));
        QCOMPARE(trade.executions.at(0).lastQty.toTrimmedString(), std::string("0.002"));
        QCOMPARE(trade.executions.at(0).cumQty.toTrimmedString(), std::string("0.002"));
        const auto ok = expect<MethodAnswer>(parser, load("add_order_ok.json"));
        QVERIFY(ok.success);
        QCOMPARE(ok.reqId, std::uint64_t(123456789));
        QCOMPARE(ok.orderId, std::string("AA5JGQ-SBMRC-SCJ7J7"));
        const auto refused = expect<MethodAnswer>(parser, load("add_order_error.json"));
        QVERIFY(!refused.success);
        QCOMPARE(refused.error, std::string("EOrder:Rate limit exceeded"));
        QCOMPARE(refused.reqId, std::uint64_t(42));
        const auto balances = expect<BalancesMessage>(parser, load("balances_snapshot.json"));
        QCOMPARE(balances.balances.at(1).balance.toTrimmedString(), std::string("1000.0008"));
        QCOMPARE(expect<StatusMessage>(parser, load("status_maintenance.json")).system, std::string("maintenance"));
        const auto trades = expect<TradeMessage>(parser, load("trade_update.json"));
        QCOMPARE(trades.trades.at(0).aggressor, Side::Ask);
        QCOMPARE(trades.trades.at(0).quantity.toTrimmedString(), std::string("0.0005"));
    }
    // The fee of an execution: `fees` (asset, qty) of the executions channel,
    // https://docs.kraken.com/api/docs/websocket-v2/executions (payload shaped like its trade example).
    void executionFeeReachesTheOrderUpdate() {
        Parser parser;
        const auto trade = expect<ExecutionsMessage>(parser, load("executions_trade_fee.json"));
        const auto u = toOrderUpdate(trade.executions.at(0), 1, 8);
        QVERIFY(u);
        QCOMPARE(u->lastQuantity.decimal().toTrimmedString(), std::string("0.005"));
        QCOMPARE(u->lastFee.toTrimmedString(), std::string("0.3458"));
        QCOMPARE(u->lastFeeAsset, std::string("USD"));
        // An execution without `fees` (an order acknowledgement, or a venue that charged nothing).
        const auto plain = expect<ExecutionsMessage>(parser, load("executions_trade.json"));
        const auto v = toOrderUpdate(plain.executions.at(0), 1, 8);
        QVERIFY(v);
        QVERIFY(v->lastFee.isZero());
        QVERIFY(v->lastFeeAsset.empty());
    }
    void malformedFramesNameTheProblem_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{\"channel\":") << "JSON";
        QTest::newRow("no checksum")
            << QByteArray(R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[]}]})")
            << "checksum";
        QTest::newRow("level too fine")
            << QByteArray(
                   R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":1.25,"qty":1}],"asks":[],"checksum":1}]})")
            << "price";
        QTest::newRow("negative qty")
            << QByteArray(
                   R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":1.2,"qty":-1}],"asks":[],"checksum":1}]})")
            << "qty";
        QTest::newRow("bad type") << QByteArray(R"({"channel":"book","type":"delta","data":[]})") << "type";
        QTest::newRow("answer without method") << QByteArray(R"({"success":true})") << "method";
    }
    void malformedFramesNameTheProblem() {
        QFETCH(QByteArray, frame);
        QFETCH(QString, mentions);
        Parser parser;
        parser.setBookPrecision(1, 8);
        const std::string error = parseErrorOf(parser, frame);
        QVERIFY2(error.find(mentions.toStdString()) != std::string::npos, error.c_str());
    }
    void settingsNameTheField() {
        std::string error;
        QVERIFY(Settings::parse(QJsonObject{}, "markets[1].settings", error));
        QVERIFY(!Settings::parse(QJsonObject{{"depth", 20}}, "markets[1].settings", error));
        QCOMPARE(error.substr(0, 26), std::string("markets[1].settings.depth:"));
        QVERIFY(!Settings::parse(QJsonObject{{"rate_tier", "gold"}}, "s", error));
        QCOMPARE(error.substr(0, 12), std::string("s.rate_tier:"));
        QVERIFY(!Settings::parse(QJsonObject{{"dead_man_timeout_seconds", 10}, {"dead_man_refresh_seconds", 20}}, "s",
                                 error));
        QVERIFY(error.find("dead_man_refresh_seconds") != std::string::npos);
        QVERIFY(!Settings::parse(QJsonObject{{"api_key", "k"}}, "s", error));
        QVERIFY(error.find("api_secret") != std::string::npos);
        const auto pro = Settings::parse(QJsonObject{{"rate_tier", "pro"}}, "s", error);
        QCOMPARE(pro->rateTier.threshold, 180.0);
    }
};

QTEST_GUILESS_MAIN(TestKrakenWire)
#include "tst_krakenwire.moc"
