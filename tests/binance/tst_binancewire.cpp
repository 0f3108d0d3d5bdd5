// Binance's wire layer: the documented signature examples (REST, percent-encoded since 2026-01-15;
// WebSocket API, sorted and not percent-encoded), frame parsing, and the local order book procedure
// — overlapping diffs, a snapshot inside a diff — replayed on a real recorded session at the
// exchange's own precision.
#include "recordedsession.h"

#include "binance/binanceparser.h"
#include "binance/binancesignature.h"
#include "binance/depthsync.h"
#include "binance/hmackey.h"
#include "binance/marketdataclient.h"

#include <QMessageAuthenticationCode>
#include <QTest>

#include <map>

using namespace md;
using namespace md::binance;

class TestBinanceWire : public QObject {
    Q_OBJECT
private slots:
    // rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order", HMAC Keys: the ASCII example
    // and the non-ASCII one, whose payload is percent-encoded before signing (CHANGELOG 2025-12-17).
    void restSignatureMatchesBinancesDocumentedExamples() {
        const QByteArray secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        Params params{{"symbol", "LTCBTC"}, {"side", "BUY"},  {"type", "LIMIT"},      {"timeInForce", "GTC"},
                      {"quantity", "1"},    {"price", "0.1"}, {"recvWindow", "5000"}, {"timestamp", "1499827319559"}};
        QCOMPARE(restQuery(params), QByteArray("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                                               "&recvWindow=5000&timestamp=1499827319559"));
        QCOMPARE(sign(secret, restQuery(params)),
                 QByteArray("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"));
        params[0].second = QString::fromUtf8("１２３４５６").toUtf8();
        QCOMPARE(restQuery(params).left(61),
                 QByteArray("symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96"));
        QCOMPARE(sign(secret, restQuery(params)),
                 QByteArray("e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3"));
    }

    // web-socket-api.md "SIGNED request example (HMAC)": parameters sorted by name, not percent-encoded.
    void webSocketApiSignatureMatchesBinancesDocumentedExamples() {
        const QByteArray secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        const QByteArray apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
        Params ascii{
            {"symbol", "BTCUSDT"},      {"side", "SELL"},        {"type", "LIMIT"},     {"timeInForce", "GTC"},
            {"quantity", "0.01000000"}, {"price", "52000.00"},   {"recvWindow", "100"}, {"timestamp", "1645423376532"},
            {"apiKey", apiKey},         {"signature", "ignored"}};
        QCOMPARE(wsApiPayload(ascii), "apiKey=" + apiKey +
                                          "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT"
                                          "&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");
        QCOMPARE(sign(secret, wsApiPayload(ascii)),
                 QByteArray("aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"));
        Params unicode{{"symbol", QString::fromUtf8("１２３４５６").toUtf8()},
                       {"side", "BUY"},
                       {"type", "LIMIT"},
                       {"timeInForce", "GTC"},
                       {"quantity", "1.00000000"},
                       {"price", "0.10000000"},
                       {"recvWindow", "5000"},
                       {"timestamp", "1645423376532"},
                       {"apiKey", apiKey}};
        QCOMPARE(sign(secret, wsApiPayload(unicode)),
                 QByteArray("b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd"));
    }

    // The key schedule is done once per key (HmacKey): signing many payloads with one key gives what
    // a fresh HMAC gives each time (Qt's, independent of OpenSSL), for a key of one block, a short
    // one and one longer than a block (hashed first, RFC 2104).
    void hmacKeySignsManyPayloadsAsAFreshHmac() {
        const QByteArray docSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
        for (const QByteArray& secret : {docSecret, QByteArray("short"), docSecret + docSecret + "x"}) {
            const HmacKey key(secret);
            for (const QByteArray& payload :
                 {QByteArray(),
                  QByteArray("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                             "&recvWindow=5000&timestamp=1499827319559"),
                  QByteArray(300, 'p'), QByteArray("a")}) {
                QCOMPARE(key.signHex(payload),
                         QMessageAuthenticationCode::hash(payload, secret, QCryptographicHash::Sha256).toHex());
            }
        }
        QCOMPARE(HmacKey(docSecret).signHex("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                                            "&recvWindow=5000&timestamp=1499827319559"),
                 QByteArray("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71"));
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
    // The book is kept at the exchange's precision (8 decimals), whatever the instrument's tick and
    // step: NKNUSDT's snapshot holds levels finer than today's tick (0.0001) and step (1).
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

    // web-socket-streams.md: "If the event first update ID (U) is greater than the update ID of your
    // local order book + 1, you have missed some events" — anything else is applied, overlap included.
    void overlappingDiffsAndASnapshotInsideADiffApply() {
        DepthSync sync(2, 2);
        QCOMPARE(sync.onDiff({"X", 8, 12, 0, {{100, 5}}, {}}), DepthSync::Outcome::Buffered);
        // The snapshot's id (10) lies strictly inside the buffered diff [8, 12].
        QCOMPARE(sync.onSnapshot({10, {{100, 1}, {99, 1}}, {{101, 1}}}), DepthSync::Outcome::SnapshotApplied);
        QCOMPARE(sync.lastUpdateId(), 12u);
        QCOMPARE(sync.book().bestBid()->quantity.units(), 5);
        // [11, 15] overlaps the book's 12: applied, not a gap.
        QCOMPARE(sync.onDiff({"X", 11, 15, 0, {{100, 7}}, {}}), DepthSync::Outcome::Applied);
        QCOMPARE(sync.lastUpdateId(), 15u);
        QCOMPARE(sync.book().bestBid()->quantity.units(), 7);
        QCOMPARE(sync.onDiff({"X", 16, 18, 0, {}, {}}), DepthSync::Outcome::Applied);
        QCOMPARE(sync.gaps(), 0u);
    }

    // The NKNUSDT snapshot the connector gets with its default depth_limit (1000) at the symbol's
    // real scales: refused whole before (quantity "11979.30000000" at scale 0), kept now.
    void snapshotFinerThanTheInstrumentIsKeptAtTheExchangesPrecision() {
        const auto session = test::RecordedSession::load();
        const QByteArray body = session.snapshot("NKNUSDT");
        QVERIFY(body.contains("\"11979.30000000\""));
        Parser atInstrument(4, 0);
        auto refused = atInstrument.parseDepthSnapshot(body.toStdString());
        QVERIFY(std::holds_alternative<ParseError>(refused)); // why the instrument's scale cannot be the book's
        Parser atExchange(8, 8);
        auto kept = atExchange.parseDepthSnapshot(body.toStdString());
        QVERIFY(std::holds_alternative<DepthSnapshot>(kept));
        QCOMPARE(std::get<DepthSnapshot>(kept).bids.size() + std::get<DepthSnapshot>(kept).asks.size(),
                 std::size_t(1609));
        QCOMPARE(depthWeight(1000), 50); // rest-api.md "Order book": 501-1000 -> 50
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
