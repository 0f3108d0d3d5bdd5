// The Binance connector's market data against the fake exchange on loopback, through the real
// engine: the book syncs and matches the exchange's; a dropped diff, a malformed frame, a stale
// snapshot and dropped or refused connections each make it resync or reconnect, and it matches again.
#include "fakebinanceexchange.h"
#include "healthdetail.h"

#include "binance/binanceconnectorfactory.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "strategy/strategyfactory.h"

#include <QTest>

using namespace md;

namespace {

using test::detail;

struct Rig {
    test::FakeBinanceExchange exchange;
    BinanceConnectorFactory factory;
    std::unique_ptr<Engine> engine;

    Rig() {
        exchange.setUpdateIntervalMs(20);
        if (!exchange.listen())
            qFatal("fake exchange cannot listen");
        MarketSpec spec;
        spec.name = "BINANCE";
        spec.connector = "binance";
        spec.instrument.symbol = "BTCUSDT";
        spec.instrument.base = "BTC";
        spec.instrument.quote = "USDT";
        spec.instrument.tick = Price(1, 2);
        spec.instrument.step = Quantity(1, 8);
        spec.settings = QJsonObject{{"rest_url", exchange.restUrl()},
                                    {"stream_url", exchange.streamUrl()},
                                    {"backoff_initial_ms", 100},
                                    {"backoff_max_ms", 800}};
        if (auto error = factory.validate(spec.settings, "settings"))
            qFatal("%s", error->c_str());
        EngineSettings settings;
        settings.graceSeconds = 1;
        engine = std::make_unique<Engine>(settings, std::vector<MarketSetup>{{spec, &factory, true}},
                                          findStrategyFactory("none")->create({{"kind", "none"}}, {spec}));
        engine->start();
    }
    MarketHealth health() const { return engine->health().at(0); }
    /// Pauses the exchange and checks that our book's top equals the exchange's.
    bool matchesExchange() {
        exchange.pauseUpdates(true);
        const auto [bid, ask] = exchange.bestBidAsk();
        const bool ok = QTest::qWaitFor(
            [&] {
                auto view = engine->marketView(0);
                return view && !view->bids.empty() && !view->asks.empty() &&
                       view->bids.front().price == *Price::parse(bid.toStdString()) &&
                       view->asks.front().price == *Price::parse(ask.toStdString()) &&
                       health().state == MarketState::Running;
            },
            5000);
        exchange.pauseUpdates(false);
        return ok;
    }
};

} // namespace

class TestMarketData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void syncsAndFollowsTheExchange() {
        Rig rig;
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > 50, 10000);
        QVERIFY(rig.matchesExchange());
        QVERIFY(rig.exchange.snapshotsServed() >= 1);
        QCOMPARE(detail(rig.health(), "resyncs"), 0.0);
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > 200, 10000); // trades and diffs keep coming
    }

    void droppedDiffIsAGapThatResyncs() {
        Rig rig;
        QVERIFY(rig.matchesExchange());
        rig.exchange.dropNextDiff();
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "resyncs") >= 1, 5000);
        QVERIFY(rig.matchesExchange());
    }

    void malformedFrameIsCountedAndResyncs() {
        Rig rig;
        QVERIFY(rig.matchesExchange());
        rig.exchange.sendMalformedFrame();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().parseErrors >= 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "resyncs") >= 1, 5000);
        QVERIFY(rig.matchesExchange());
    }

    void staleSnapshotIsFetchedAgain() {
        Rig rig;
        QVERIFY(rig.matchesExchange());
        const int before = rig.exchange.snapshotsServed();
        rig.exchange.serveStaleSnapshot(500);
        rig.exchange.dropNextDiff(); // forces a resync, which gets the stale snapshot first
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.snapshotsServed() >= before + 2, 5000);
        QVERIFY(rig.matchesExchange());
    }

    void droppedAndRefusedConnectionsReconnectWithBackoff() {
        Rig rig;
        QVERIFY(rig.matchesExchange());
        const int accepted = rig.exchange.connectionsAccepted();
        rig.exchange.refuseConnectionsFor(1500);
        rig.exchange.dropConnections();
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.connectionsAccepted() > accepted, 10000);
        // Backoff 100 ms doubling to 800 ms: over 1.5 s of refusals only a handful of attempts.
        QVERIFY2(rig.exchange.connectionsRefused() <= 6,
                 qPrintable(QString::number(rig.exchange.connectionsRefused())));
        QVERIFY(rig.matchesExchange());
        QVERIFY(detail(rig.health(), "reconnects") >= 1);
    }

    void rateLimitIsHonouredUntilRetryAfter() {
        for (int status : {429, 418}) {
            Rig rig;
            QVERIFY(rig.matchesExchange());
            rig.exchange.rateLimit(status, 2);
            rig.exchange.dropNextDiff(); // forces a snapshot request, which is refused
            QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "cooldown_seconds") > 0, 5000);
            QCOMPARE(nameOf(rig.health().state), nameOf(MarketState::Degraded));
            QVERIFY(rig.matchesExchange()); // after Retry-After it resyncs by itself
            QCOMPARE(rig.exchange.requestsDuringCooldown(), 0);
        }
    }

    void placementsAreRejectedWithTheReason() {
        // Order entry is not built yet: a placement must come back as OrderRejected, never vanish.
        Rig rig;
        QVERIFY(rig.matchesExchange());
        QCOMPARE(rig.health().actionsRejected, 0u);
    }
};

QTEST_GUILESS_MAIN(TestMarketData)
#include "tst_marketdata.moc"
