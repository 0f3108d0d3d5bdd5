// The Kraken connector's market data against the fake Kraken on loopback, through the real engine: the
// instrument is checked, the book is verified by its CRC32 on every message and kept truncated to the
// depth; a perturbed level, a dropped connection, refused reconnects and a maintenance status each
// leave their mark in health, and the book matches the exchange again afterwards.
#include "krakenrig.h"

#include "logging/logging.h"

using namespace md;
using test::detail;
using test::KrakenRig;

class TestKrakenMarketData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void syncsVerifiesAndFollowsTheExchange() {
        KrakenRig rig;
        rig.start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > 50, 10000);
        QVERIFY(rig.matchesExchange());
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > 300, 10000);
        QCOMPARE(detail(rig.health(), "checksum_failures"), 0.0);
        QCOMPARE(detail(rig.health(), "resyncs"), 0.0);
        QCOMPARE(rig.health().parseErrors, 0u);
        // Kept truncated to the subscribed depth (10): the engine's replica never grows past it.
        auto view = rig.engine->marketView(0);
        QVERIFY(view->bids.size() <= 10 && view->asks.size() <= 10);
        QVERIFY(rig.matchesExchange());
    }

    // Padded numbers on the wire (0.10000000) and a deeper subscription: the same checksums hold.
    void paddedNumbersAndDepth25() {
        KrakenRig rig(false, {{"depth", 25}});
        rig.exchange.setPadNumbers(true);
        rig.start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().eventsTotal > 300, 10000);
        QCOMPARE(detail(rig.health(), "checksum_failures"), 0.0);
        QVERIFY(rig.matchesExchange());
        QVERIFY(rig.engine->marketView(0)->bids.size() > 10);
    }

    void perturbedLevelIsACheckumMismatchThatResubscribes() {
        KrakenRig rig;
        rig.start();
        QVERIFY(rig.matchesExchange());
        const int subscriptions = rig.exchange.bookSubscriptions();
        rig.exchange.perturbNextLevel();
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "checksum_failures") >= 1, 5000);
        QVERIFY(detail(rig.health(), "resyncs") >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.bookSubscriptions() > subscriptions, 5000);
        QVERIFY(rig.matchesExchange());
    }

    void droppedAndRefusedConnectionsReconnectWithBackoff() {
        KrakenRig rig;
        rig.start();
        QVERIFY(rig.matchesExchange());
        const int accepted = rig.exchange.connectionsAccepted();
        rig.exchange.refuseConnectionsFor(1500);
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.connectionsAccepted() > accepted, 10000);
        // Backoff 50 ms doubling to 400 ms (±20 %): 1.5 s of refusals take only a handful of attempts.
        const double attempts = detail(rig.health(), "reconnects");
        QVERIFY2(attempts >= 2 && attempts <= 10, qPrintable(QString::number(attempts)));
        QVERIFY(rig.matchesExchange());
    }

    void maintenanceStatusDegradesAndReachesHealth() {
        KrakenRig rig;
        rig.start();
        QVERIFY(rig.matchesExchange());
        QCOMPARE(detail(rig.health(), "system_online"), 1.0);
        rig.exchange.setSystemStatus("maintenance");
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        QCOMPARE(detail(rig.health(), "system_online"), 0.0);
        QCOMPARE(test::detailText(rig.health(), "system_online"), std::string("maintenance"));
        rig.exchange.setSystemStatus("online");
        QVERIFY(rig.matchesExchange());
    }

    void instrumentMismatchFailsTheMarketNamingBoth() {
        KrakenRig rig;
        rig.spec.instrument.tick = Price(5, 2); // 0.05: finer than Kraken's price_increment 0.1
        rig.start();
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Failed), 5000);
        QVERIFY2(rig.health().stateReason.find("price") != std::string::npos, rig.health().stateReason.c_str());
    }

    void unknownPairFailsTheMarket() {
        KrakenRig rig;
        rig.spec.instrument.symbol = "DOGE/EUR";
        rig.start();
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Failed), 5000);
        QVERIFY2(rig.health().stateReason.find("does not list DOGE/EUR") != std::string::npos,
                 rig.health().stateReason.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKrakenMarketData)
#include "tst_krakenmarketdata.moc"
