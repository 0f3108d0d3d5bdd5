// Orders on the fake Kraken through the real engine and the authenticated WebSocket: placements with our
// cl_ord_id, fills, cancels, balances; and the faults the issue names — a rate-limit refusal, an order
// acknowledged late (or never), an expired token on reconnecting, a dropped connection while orders
// rest, a maintenance status — plus the local rate counter and the dead man's switch.
#include "krakenrig.h"

#include "logging/logging.h"

using namespace md;
using test::detail;
using test::KrakenRig;

namespace {
bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}
} // namespace

class TestKrakenOrderEntry : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void placeFillCancelWithOurClientId() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("placed"), 5000);
        const auto order = rig.exchange.order("md-t1-1");
        QVERIFY(order && order->quantity == "0.01000000" && order->price == "60000.0");
        rig.exchange.fillRestingOrders(QString("0.004"));
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("filled 0.00400000@60000.0"), 5000);
        rig.exchange.fillRestingOrders();
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("done"), 5000);
        QCOMPARE(rig.orders->story(1), (std::vector<std::string>{"placed", "filled 0.00400000@60000.0",
                                                                 "filled 0.00600000@60000.0", "done"}));
        QTRY_VERIFY_WITH_TIMEOUT(
            rig.orders->balance("BTC") && rig.orders->balance("BTC")->free.toTrimmedString() == "10.01", 5000);
        rig.place(2, Side::Ask, "70000.0", "0.0010");
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(2), std::string("placed"), 5000);
        rig.cancel(2);
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(2), std::string("cancelled"), 5000);
        QVERIFY(rig.exchange.openOrders().empty());
        QCOMPARE(rig.exchange.duplicatePlacements(), 0);
    }

    void refusalsReachTheStrategyWithKrakensReason() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.place(1, Side::Bid, "60000.0", "0.00001000"); // below qty_min 0.0001
        QTRY_VERIFY_WITH_TIMEOUT(startsWith(rig.last(1), "rejected"), 5000);
        QCOMPARE(rig.last(1), std::string("rejected: kraken: EOrder:Order minimum not met"));
    }

    void rateLimitRefusalIsARejectionAndRaisesOurCounter() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.exchange.refuseNextAddOrderForRate();
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_VERIFY_WITH_TIMEOUT(startsWith(rig.last(1), "rejected"), 5000);
        QCOMPARE(rig.last(1), std::string("rejected: kraken: EOrder:Rate limit exceeded"));
        QCOMPARE(detail(rig.health(), "rate_refusals"), 1.0);
        // Kraken counts us at its threshold: so does our counter. The next placement would wait ~6 s (decay
        // 1/s down to threshold - headroom): it is refused at once, unsent, so no cancel waits behind it.
        QVERIFY(detail(rig.health(), "rate_counter") > 50);
        const int accepted = rig.exchange.placementsAccepted();
        rig.place(2, Side::Bid, "60000.0", "0.0100");
        QTRY_VERIFY_WITH_TIMEOUT(startsWith(rig.last(2), "rejected"), 5000);
        QVERIFY2(rig.last(2).find(" of 60: would wait") != std::string::npos, rig.last(2).c_str());
        QCOMPARE(rig.exchange.placementsAccepted(), accepted);
    }

    // 62 marketable orders at once against the Starter tier (threshold 60, decay 1/s): without the
    // local counter Kraken would refuse the last ones; with it we wait and Kraken refuses none.
    void localRateCounterSlowsDownBeforeKrakenRefuses() {
        KrakenRig rig(true);
        rig.engineSettings.risk.maxOrdersPerSecond = 10000;
        rig.engineSettings.risk.orderBurst = 10000;
        rig.engineSettings.risk.maxOpenOrders = 1000;
        rig.start();
        QVERIFY(rig.ordersUp());
        const int n = 62;
        for (int i = 1; i <= n; ++i)
            rig.place(i, Side::Bid, "70000.0", "0.0001"); // crosses the book: filled at once
        QTRY_VERIFY_WITH_TIMEOUT(rig.orders->ended(n), 30000);
        for (int i = 1; i <= n; ++i)
            QVERIFY2(rig.last(i) == "done", (std::to_string(i) + ": " + rig.last(i)).c_str());
        QCOMPARE(rig.exchange.rateRefusals(), 0);
        QVERIFY(detail(rig.health(), "rate_waits") >= 1);
    }

    void lateAckIsAnUnknownOutcomeSettledByTheStream() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.exchange.delayNextAddOrderAnswer(2500); // the answer timeout is 1000 ms
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("placed"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "unknown_outcomes"), 1.0, 5000);
        QCOMPARE(rig.exchange.placementsAccepted(), 1); // never sent again
        QCOMPARE(rig.exchange.duplicatePlacements(), 0);
        rig.cancel(1);
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("cancelled"), 5000);
    }

    void lostPlacementIsConcludedNotPlacedAfterItsDeadline() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.exchange.swallowNextAddOrder();
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_VERIFY_WITH_TIMEOUT(startsWith(rig.last(1), "rejected"), 10000);
        QVERIFY2(rig.last(1).find("unknown to Kraken after its deadline") != std::string::npos, rig.last(1).c_str());
        QCOMPARE(rig.exchange.placementsAccepted(), 0);
        QCOMPARE(rig.orders->story(1).size(), std::size_t(1)); // no Placed before the rejection
    }

    void expiredTokenIsReplacedByAFreshOneOnReconnect() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        const int tokens = rig.exchange.tokensIssued();
        rig.exchange.expireTokens();
        rig.exchange.dropConnections();
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.tokensIssued() > tokens, 5000);
        QVERIFY(rig.ordersUp());
        QCOMPARE(rig.exchange.tokenRefusals(), 0); // the old token was never offered again
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("placed"), 5000);
    }

    void fillsWhileDisconnectedArriveWithTheSnapshot() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        rig.place(2, Side::Bid, "59000.0", "0.0100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(2), std::string("placed"), 5000);
        rig.exchange.refuseConnectionsFor(800);
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "order_stream_up"), 0.0, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        rig.exchange.fillRestingOrders(QString("0.004")); // both orders trade while we are away
        QVERIFY(rig.ordersUp());
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("filled 0.00400000@60000.0"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(2), std::string("filled 0.00400000@59000.0"), 5000);
        rig.exchange.fillRestingOrders();
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("done"), 5000);
    }

    void maintenanceHaltsPlacementsWithoutSendingThem() {
        KrakenRig rig(true);
        rig.start();
        QVERIFY(rig.ordersUp());
        QVERIFY(rig.matchesExchange());
        rig.exchange.setSystemStatus("cancel_only");
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_VERIFY_WITH_TIMEOUT(startsWith(rig.last(1), "rejected"), 5000);
        QCOMPARE(rig.exchange.placementsAccepted(), 0);
        rig.exchange.setSystemStatus("online");
        QVERIFY(rig.matchesExchange());
        rig.place(2, Side::Bid, "60000.0", "0.0100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(2), std::string("placed"), 5000);
    }

    void deadManIsArmedWhileOrdersRestAndDisabledWhenNone() {
        KrakenRig rig(true, {{"dead_man_timeout_seconds", 4}, {"dead_man_refresh_seconds", 1}});
        rig.start();
        QVERIFY(rig.ordersUp());
        QCOMPARE(detail(rig.health(), "dead_man_armed"), 0.0);
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.deadManArmed(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "dead_man_armed"), 1.0, 3000);
        const double left = detail(rig.health(), "dead_man_seconds_left");
        QVERIFY2(left > 0 && left <= 4, qPrintable(QString::number(left)));
        // Refreshed: after 5 s (more than the timeout) the order still rests.
        QTest::qWait(5000);
        QCOMPARE(rig.exchange.deadManTriggers(), 0);
        QCOMPARE(rig.exchange.openOrders().size(), std::size_t(1));
        QVERIFY(rig.exchange.deadManArms() >= 3);
        rig.cancel(1);
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("cancelled"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!rig.exchange.deadManArmed(), 5000);
        QCOMPARE(rig.exchange.deadManDisarms(), 1);
    }

    void deadManCancelsOnKrakenWhenWeAreCutOff() {
        KrakenRig rig(true, {{"dead_man_timeout_seconds", 2}, {"dead_man_refresh_seconds", 1}});
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.deadManArmed(), 5000);
        rig.exchange.refuseConnectionsFor(4000); // no refresh can reach Kraken for 4 s
        QTRY_COMPARE_WITH_TIMEOUT(rig.exchange.deadManTriggers(), 1, 5000);
        QVERIFY(rig.exchange.openOrders().empty());
        // Back online, the snapshot no longer lists it: the strategy hears it ended.
        QTRY_COMPARE_WITH_TIMEOUT(rig.last(1), std::string("cancelled"), 10000);
    }

    void cleanStopCancelsThenDisablesTheDeadMan() {
        KrakenRig rig(true, {{"dead_man_timeout_seconds", 30}, {"dead_man_refresh_seconds", 10}});
        rig.start();
        QVERIFY(rig.ordersUp());
        rig.place(1, Side::Bid, "60000.0", "0.0100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.deadManArmed(), 5000);
        rig.engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->shutdownReport().has_value(), 15000);
        QVERIFY(rig.exchange.openOrders().empty());
        QVERIFY(!rig.exchange.deadManArmed());
        QVERIFY(rig.exchange.deadManDisarms() >= 1);
        QCOMPARE(rig.exchange.deadManTriggers(), 0);
    }
};

QTEST_GUILESS_MAIN(TestKrakenOrderEntry)
#include "tst_krakenorderentry.moc"
