// Binance's wire layer: the documented signature example, frame parsing, and the local order book
// procedure replayed on a real recorded session.
#include "recordedsession.h"

#include "binance/binanceparser.h"
#include "binance/binancesignature.h"
#include "binance/depthsync.h"

#include <QTest>

#include <map>

using namespace md;
using namespace md::binance;

class TestBinanceWire : public QObject {
    Q_OBJECT
private slots:
    void signatureMatchesBinancesDocumentedExample() {
        // From Binance's Spot API docs ("SIGNED endpoint examples for POST /api/v3/order").
        const QByteArray secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        const QByteArray query =
            "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
            "&timestamp=1499827319559";
        QCOMPARE(sign(secret, query), QByteArray("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"));
    }

    void parsesRealFrames() {
        Parser parser(8, 8);
        auto depth = parser.parseStreamFrame(
            R"({"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate","E":1633998512068,"s":"NKNUSDT","U":499869750,"u":499869752,"b":[["0.35130000","6195.00000000"],["0.34750000","5548.00000000"]],"a":[]}})");
        auto* msg = std::get_if<StreamMessage>(&depth);
        QVERIFY(msg);
        const auto& diff = std::get<DepthDiff>(*msg);
        QCOMPARE(diff.firstUpdateId, 499869750u);
        QCOMPARE(diff.finalUpdateId, 499869752u);
        QCOMPARE(diff.bids.size(), 2u);
        QCOMPARE(diff.bids[0].price, std::int64_t(35130000));
        QCOMPARE(diff.bids[0].quantity, std::int64_t(619500000000));
        auto ticker = parser.parseStreamFrame(
            R"({"stream":"nknusdt@bookTicker","data":{"u":499869768,"s":"NKNUSDT","b":"0.35210000","B":"672.00000000","a":"0.35260000","A":"3199.00000000"}})");
        const auto& t = std::get<BookTicker>(std::get<StreamMessage>(ticker));
        QCOMPARE(t.updateId, 499869768u);
        QCOMPARE(t.bid.toString(), std::string("0.35210000"));
        auto trade = parser.parseStreamFrame(
            R"({"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"NKNUSDT","a":1,"p":"0.35280000","q":"58.00000000","f":1,"l":1,"T":1633998523963,"m":false,"M":true}})");
        const auto& tr = std::get<Trade>(std::get<StreamMessage>(trade));
        QCOMPARE(tr.quantity.toString(), std::string("58.00000000"));
        QVERIFY(!tr.buyerIsMaker);
        auto kline = parser.parseStreamFrame(R"({"stream":"nknusdt@kline_1m","data":{"e":"kline"}})");
        QVERIFY(std::holds_alternative<Ignored>(std::get<StreamMessage>(kline)));
    }

    void refusesMalformedFrames_data() {
        QTest::addColumn<QByteArray>("frame");
        QTest::newRow("not json") << QByteArray("{\"stream\":");
        QTest::newRow("no data") << QByteArray(R"({"stream":"x@depth"})");
        QTest::newRow("number price") << QByteArray(
            R"({"stream":"x@depth","data":{"U":1,"u":2,"b":[[0.1,"1"]],"a":[]}})");
        QTest::newRow("finer than scale")
            << QByteArray(R"({"stream":"x@depth","data":{"U":1,"u":2,"b":[["0.123456789","1"]],"a":[]}})");
        QTest::newRow("missing ids") << QByteArray(R"({"stream":"x@depth","data":{"b":[],"a":[]}})");
        QTest::newRow("backwards ids") << QByteArray(R"({"stream":"x@depth","data":{"U":5,"u":2,"b":[],"a":[]}})");
        QTest::newRow("ticker missing") << QByteArray(R"({"stream":"x@bookTicker","data":{"u":1,"b":"1"}})");
        QTest::newRow("array root") << QByteArray("[1,2]");
    }
    void refusesMalformedFrames() {
        QFETCH(QByteArray, frame);
        Parser parser(8, 8);
        auto result = parser.parseStreamFrame(frame.toStdString());
        QVERIFY(std::holds_alternative<ParseError>(result));
        QVERIFY(!std::get<ParseError>(result).message.empty());
    }

    // The procedure on real traffic: after sync, the book's best bid and ask equal every bookTicker
    // whose update id is the book's last applied update id.
    void recordedSessionBookMatchesBookTicker_data() {
        QTest::addColumn<QString>("symbol");
        QTest::newRow("NKNUSDT") << "NKNUSDT";
        QTest::newRow("BLZETH") << "BLZETH";
        QTest::newRow("LRCBTC") << "LRCBTC";
        QTest::newRow("RUNEEUR") << "RUNEEUR";
    }
    void recordedSessionBookMatchesBookTicker() {
        QFETCH(QString, symbol);
        const auto session = test::RecordedSession::load();
        QVERIFY2(!session.frames.isEmpty(), "recorded session not found (MD_TEST_DATA)");
        Parser parser(8, 8);
        DepthSync sync(8, 8);
        auto snapshot = parser.parseDepthSnapshot(session.snapshot(symbol).toStdString());
        QVERIFY(std::holds_alternative<DepthSnapshot>(snapshot));
        const QString stream = symbol.toLower() + "@";
        bool snapshotTaken = false;
        int matched = 0, diffs = 0;
        // bookTicker is pushed in real time and the depth stream every 100 ms, so a ticker often
        // arrives before the diff that reaches its update id: keep them by id and compare whenever
        // the book stands exactly at one.
        std::map<std::uint64_t, BookTicker> tickers;
        auto compareAtBook = [&]() {
            auto it = tickers.find(sync.lastUpdateId());
            if (sync.state() != DepthSync::State::Synced || it == tickers.end())
                return;
            QCOMPARE(sync.book().bestBid()->price, it->second.bid);
            QCOMPARE(sync.book().bestAsk()->price, it->second.ask);
            QCOMPARE(sync.book().bestBid()->quantity, it->second.bidQuantity);
            QCOMPARE(sync.book().bestAsk()->quantity, it->second.askQuantity);
            ++matched;
            tickers.erase(it);
        };
        for (const QByteArray& frame : session.frames) {
            if (!frame.contains(("\"stream\":\"" + stream).toUtf8()))
                continue;
            auto parsed = parser.parseStreamFrame(frame.toStdString());
            QVERIFY2(std::holds_alternative<StreamMessage>(parsed), frame.constData());
            auto& message = std::get<StreamMessage>(parsed);
            if (auto* diff = std::get_if<DepthDiff>(&message)) {
                ++diffs;
                const auto outcome = sync.onDiff(std::move(*diff));
                QVERIFY(outcome != DepthSync::Outcome::Gap);
                // The recording took the snapshot right after the first diffs arrived.
                if (!snapshotTaken) {
                    snapshotTaken = true;
                    const auto result = sync.onSnapshot(std::get<DepthSnapshot>(snapshot));
                    QVERIFY(result == DepthSync::Outcome::SnapshotApplied);
                }
                compareAtBook();
            } else if (auto* ticker = std::get_if<BookTicker>(&message)) {
                tickers[ticker->updateId] = *ticker;
                compareAtBook();
            }
        }
        QVERIFY(diffs > 0);
        QVERIFY(!sync.book().isCrossed());
        QCOMPARE(sync.gaps(), 0u);
        if (symbol == "NKNUSDT")
            QVERIFY2(matched >= 2, qPrintable(QString("only %1 matching bookTicker frames").arg(matched)));
        qInfo("%s: %d diffs, %d bookTicker frames matched the book exactly", qPrintable(symbol), diffs, matched);
    }

    void gapDiscardsAndResyncs() {
        DepthSync sync(2, 2);
        QCOMPARE(sync.onDiff({"X", 10, 12, 0, {{100, 5}}, {}}), DepthSync::Outcome::Buffered);
        QCOMPARE(sync.onSnapshot({11, {{100, 1}, {99, 1}}, {{101, 1}}}), DepthSync::Outcome::SnapshotApplied);
        QCOMPARE(sync.lastUpdateId(), 12u);
        QCOMPARE(sync.book().bestBid()->quantity.units(), 5);
        QCOMPARE(sync.onDiff({"X", 13, 13, 0, {}, {{101, 0}}}), DepthSync::Outcome::Applied);
        QCOMPARE(sync.onDiff({"X", 12, 13, 0, {}, {}}), DepthSync::Outcome::Dropped);
        QCOMPARE(sync.onDiff({"X", 15, 16, 0, {}, {}}), DepthSync::Outcome::Gap); // 14 is missing
        QCOMPARE(sync.state(), DepthSync::State::Buffering);
        QVERIFY(sync.book().isEmpty());
        QCOMPARE(sync.gaps(), 1u);
        QCOMPARE(sync.onSnapshot({10, {}, {}}), DepthSync::Outcome::SnapshotTooOld); // older than U=15
        QCOMPARE(sync.onSnapshot({15, {{100, 2}}, {{102, 2}}}), DepthSync::Outcome::SnapshotApplied);
        QCOMPARE(sync.lastUpdateId(), 16u);
    }
};

QTEST_GUILESS_MAIN(TestBinanceWire)
#include "tst_binancewire.moc"
