// The Binance connector's market data against the fake exchange on loopback, through the real
// engine: the book syncs and matches the exchange's; a dropped diff, a malformed frame, a stale
// snapshot, diffs that overlap, a snapshot inside a diff, dropped or refused connections,
// serverShutdown, a link gone silent and the server's pings are each handled, and it matches again.
#include "binancerig.h"
#include "recordedsession.h"

#include "binance/binanceparser.h"
#include "binance/depthsync.h"
#include "logging/logging.h"

#include <QElapsedTimer>
#include <QTest>

using namespace md;
using namespace md::test;

namespace {

RigOptions marketDataOnly(QJsonObject extra = {}) {
    RigOptions o;
    o.keys = RigOptions::Keys::None;
    o.step = "0.00000001";
    o.exchangeStep = "0.00000001";
    o.extra = std::move(extra);
    return o;
}

/// Pauses the exchange and checks that our book's top equals the exchange's.
bool matchesExchange(BinanceRig& rig) {
    rig.exchange.pauseUpdates(true);
    const auto [bid, ask] = rig.exchange.bestBidAsk();
    const bool ok = QTest::qWaitFor(
        [&] {
            auto view = rig.engine->marketView(0);
            return view && !view->bids.empty() && !view->asks.empty() &&
                   view->bids.front().price == *Price::parse(bid.toStdString()) &&
                   view->asks.front().price == *Price::parse(ask.toStdString()) &&
                   rig.health().state == MarketState::Running;
        },
        8000);
    rig.exchange.pauseUpdates(false);
    return ok;
}

} // namespace

class TestMarketData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void syncsAndFollowsTheExchange() {
        BinanceRig rig(marketDataOnly());
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > 50, 10000);
        QVERIFY(matchesExchange(rig));
        QVERIFY(rig.exchange.snapshotsServed() >= 1);
        QCOMPARE(detail(rig.health(), "resyncs"), 0.0);
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > 200, 10000); // trades and diffs keep coming
    }

    // Part 3: a real book syncs. The recorded NKNUSDT session, served with the very limit=1000
    // snapshot the connector asks for by default, holds levels finer than the symbol's tick (0.0001)
    // and step (1): the connector keeps them at the exchange's precision, syncs, and after the whole
    // recording its book equals a reference replay of the same frames.
    void recordedNknusdtSessionSyncsWithTheDefaultDepthLimit() {
        const auto session = test::RecordedSession::load();
        QVERIFY2(!session.frames.isEmpty(), "recorded session not found (MD_TEST_DATA)");
        const auto [frames, beforeSnapshot] = session.framesOf("NKNUSDT");
        const QByteArray snapshot = session.snapshot("NKNUSDT");
        RigOptions o = marketDataOnly();
        o.symbols = {"NKNUSDT"};
        o.tick = "0.0001";
        o.step = "1";
        o.updateMs = 10;
        o.prepare = [&](FakeBinanceExchange& e) {
            e.loadRecording("NKNUSDT", frames, snapshot, beforeSnapshot, "0.00010000", "1.00000000");
        };
        BinanceRig rig(o);
        // The reference: the snapshot, then every diff of the recording, through the same procedure.
        binance::Parser parser(8, 8);
        binance::DepthSync reference(8, 8);
        QCOMPARE(
            reference.onSnapshot(std::get<binance::DepthSnapshot>(parser.parseDepthSnapshot(snapshot.toStdString()))),
            binance::DepthSync::Outcome::SnapshotApplied);
        for (const QByteArray& frame : frames) {
            auto parsed = parser.parseStreamFrame(frame.toStdString());
            if (auto* message = std::get_if<binance::StreamMessage>(&parsed))
                if (auto* diff = std::get_if<binance::DepthDiff>(message))
                    QVERIFY(reference.onDiff(std::move(*diff)) != binance::DepthSync::Outcome::Gap);
        }
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.book().recordingDone(), 20000);
        // As deep as the window sees it (50 levels): a book that had refused the snapshot would hold
        // only the levels the diffs touched.
        const auto bids = reference.book().top(Side::Bid, MarketView::kViewDepth);
        const auto asks = reference.book().top(Side::Ask, MarketView::kViewDepth);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto view = rig.engine->marketView(0);
                if (!view || view->bids.size() < bids.size() || view->asks.size() < asks.size())
                    return false;
                for (std::size_t i = 0; i < bids.size(); ++i)
                    if (!(view->bids[i].price == bids[i].price && view->bids[i].quantity == bids[i].quantity))
                        return false;
                for (std::size_t i = 0; i < asks.size(); ++i)
                    if (!(view->asks[i].price == asks[i].price && view->asks[i].quantity == asks[i].quantity))
                        return false;
                return true;
            }(),
            10000);
        QCOMPARE(nameOf(rig.health().state), nameOf(MarketState::Running));
        QCOMPARE(rig.health().parseErrors, 0u);
        QCOMPARE(detail(rig.health(), "resyncs"), 0.0);
        QCOMPARE(rig.exchange.snapshotsServed(), 1);
    }

    void droppedDiffIsAGapThatResyncs() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        rig.exchange.dropNextDiff();
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "resyncs") >= 1, 5000);
        QVERIFY(matchesExchange(rig));
    }

    // Binance's diffs may overlap what the book already has (U <= the book's id): they are applied,
    // not taken for gaps (web-socket-streams.md "How to manage a local order book correctly").
    void overlappingDiffsAreAppliedNotResynced() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        rig.exchange.book().overlapDiffs = true;
        const auto frames = rig.health().eventsTotal;
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > frames + 100, 10000);
        QCOMPARE(detail(rig.health(), "resyncs"), 0.0);
        QVERIFY(matchesExchange(rig));
    }

    void snapshotWhoseIdFallsInsideADiffSyncs() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        const int before = rig.exchange.snapshotsServed();
        rig.exchange.book().snapshotInsideNextDiff = true;
        rig.exchange.dropNextDiff(); // forces a resync, whose snapshot claims an id inside the next diff
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.snapshotsServed() > before, 5000);
        QVERIFY(matchesExchange(rig));
        QCOMPARE(detail(rig.health(), "resyncs"), 1.0); // the dropped diff only
    }

    void malformedFrameIsCountedAndResyncs() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        rig.exchange.sendMalformedFrame();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().parseErrors >= 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "resyncs") >= 1, 5000);
        QVERIFY(matchesExchange(rig));
    }

    void staleSnapshotIsFetchedAgain() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        const int before = rig.exchange.snapshotsServed();
        rig.exchange.serveStaleSnapshot(500);
        rig.exchange.dropNextDiff(); // forces a resync, which gets the stale snapshot first
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.snapshotsServed() >= before + 2, 5000);
        QVERIFY(matchesExchange(rig));
    }

    void droppedAndRefusedConnectionsReconnectWithBackoff() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        const int accepted = rig.exchange.connectionsAccepted();
        rig.exchange.refuseConnectionsFor(1500);
        rig.exchange.dropConnections();
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.connectionsAccepted() > accepted, 10000);
        // Backoff 100 ms doubling to 800 ms: over 1.5 s of refusals only a handful of attempts.
        QVERIFY2(rig.exchange.connectionsRefused() <= 6,
                 qPrintable(QString::number(rig.exchange.connectionsRefused())));
        QVERIFY(matchesExchange(rig));
        QVERIFY(detail(rig.health(), "reconnects") >= 1);
    }

    // serverShutdown: reconnect at once, before the server cuts the connection.
    void serverShutdownReconnectsBeforeTheCut() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        const int accepted = rig.exchange.connectionsAccepted();
        QElapsedTimer timer;
        timer.start();
        rig.exchange.announceShutdown(3000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.connectionsAccepted() > accepted, 3000);
        QVERIFY2(timer.elapsed() < 3000, "reconnected only after the cut");
        QCOMPARE(detail(rig.health(), "server_shutdowns"), 1.0);
        QVERIFY(matchesExchange(rig));
    }

    // A link that falls silent (no frames, no pongs) is declared dead after silence_timeout_ms.
    void silentConnectionIsDeclaredDeadAndReplaced() {
        BinanceRig rig(marketDataOnly({{"silence_timeout_ms", 600}}));
        QVERIFY(matchesExchange(rig));
        rig.exchange.stallConnections();
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "silent_drops") >= 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        rig.exchange.resumeConnections();
        QVERIFY(matchesExchange(rig));
    }

    // The server pings with a pong deadline: answered, the connection lives on.
    void serverPingsAreAnsweredInTime() {
        BinanceRig rig(marketDataOnly());
        QVERIFY(matchesExchange(rig));
        rig.exchange.pauseUpdates(true); // nothing but pings on the wire
        rig.exchange.setPings(100, 300);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.pingsSent() >= 10, 5000);
        QCOMPARE(rig.exchange.pongDeadlinesMissed(), 0);
        QCOMPARE(detail(rig.health(), "reconnects"), 0.0);
        rig.exchange.pauseUpdates(false);
    }

    void rateLimitIsHonouredUntilRetryAfter() {
        for (int status : {429, 418}) {
            BinanceRig rig(marketDataOnly());
            QVERIFY(matchesExchange(rig));
            rig.exchange.rateLimit(status, 2);
            rig.exchange.dropNextDiff(); // forces a snapshot request, which is refused
            QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "cooldown_seconds") > 0, 5000);
            QCOMPARE(nameOf(rig.health().state), nameOf(MarketState::Degraded));
            QVERIFY(matchesExchange(rig)); // after Retry-After it resyncs by itself
            QCOMPARE(rig.exchange.requestsDuringCooldown(), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestMarketData)
#include "tst_marketdata.moc"
