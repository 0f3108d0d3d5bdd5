// No order lost to an unknown outcome (issue 13 part 7), against the fake exchange: -1007 on a
// placement it did accept (whatever the HTTP-like status), a 5xx on one it did or did not accept,
// an order that lands only after two queries said "does not exist", no answer at all on the
// WebSocket API, a connection refused before anything was sent, and an order that lands after it
// was given up — adopted, shown, cancelled at shutdown. Never placed twice.
#include "binancerig.h"

#include "logging/logging.h"

#include <QElapsedTimer>
#include <QTest>

using namespace md;
using namespace md::test;

namespace {
using Fault = FakeBinanceExchange::PlacementFault;
} // namespace

class TestUnknownOutcome : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void acceptedPlacementAnsweredUnknownIsFoundNeverPlacedTwice_data() {
        QTest::addColumn<int>("fault");
        QTest::newRow("-1007 with status 400") << int(Fault::AcceptThenUnknown);
        QTest::newRow("503") << int(Fault::AcceptThen5xx);
        QTest::newRow("no answer at all") << int(Fault::AcceptSilently);
    }
    void acceptedPlacementAnsweredUnknownIsFoundNeverPlacedTwice() {
        QFETCH(int, fault);
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.failNextPlacement(static_cast<Fault>(fault));
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 8000);
        QCOMPARE(rig.exchange.placementsAccepted(), 1);
        QCOMPARE(rig.exchange.placementRequests(), 1); // asked about, never sent again
        QCOMPARE(rig.exchange.openOrders().size(), std::size_t(1));
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "unknown_outcomes"), 1.0, 5000);
    }

    // The order reaches the book only after the first two queries answered -2013.
    void orderLandingAfterTwoNotFoundAnswersIsFound() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.failNextPlacement(Fault::LandAfterTwoQueries);
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 8000);
        QVERIFY2(rig.exchange.statusQueries() >= 3, qPrintable(QString::number(rig.exchange.statusQueries())));
        QCOMPARE(rig.exchange.placementRequests(), 1);
        QCOMPARE(rig.exchange.duplicatePlacements(), 0);
        QCOMPARE(rig.exchangeStatus(id), QString("NEW"));
    }

    // A 5xx on a placement it did not accept: "not placed" only once the request could no longer
    // have reached the matching engine (its timestamp + recvWindow, 1000 ms here, plus a margin).
    void refusedPlacementIsNotPlacedOnlyAfterItsLastChance() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.failNextPlacement(Fault::RefuseWith5xx);
        QElapsedTimer timer;
        timer.start();
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 10000);
        QVERIFY2(rig.log->last(id).find("not placed") != std::string::npos, rig.log->last(id).c_str());
        QVERIFY2(timer.elapsed() >= 1000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(rig.exchange.statusQueries() >= 2);
        QCOMPARE(rig.exchange.placementsAccepted(), 0);
    }

    // Nothing left: refused at connect. Certainly not placed, at once, and nothing to ask about.
    void connectionRefusedBeforeSendingIsNotPlacedAtOnce() {
        BinanceRig rig(test::withSettings({{"order_transport", "rest"}}));
        QVERIFY(rig.running());
        rig.exchange.closeRestPort();
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QVERIFY2(rig.log->last(id).find("not sent") != std::string::npos, rig.log->last(id).c_str());
        QCOMPARE(rig.exchange.statusQueries(), 0);
        QCOMPARE(detail(rig.health(), "unknown_outcomes"), 0.0);
    }

    // It lands after it was given up as not placed: adopted — the strategy hears it, the window
    // shows it, the shutdown cancels it. Never dropped.
    void orderLandingAfterItWasGivenUpIsAdoptedAndCancelledAtShutdown() {
        auto rig = std::make_unique<BinanceRig>();
        QVERIFY(rig->running());
        rig->exchange.failNextPlacement(Fault::LandWhenTold);
        const auto id = rig->place(Side::Bid, "63000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig->log->ended(id), 10000);
        QVERIFY2(rig->log->last(id).find("not placed") != std::string::npos, rig->log->last(id).c_str());
        rig->exchange.landPendingOrder();
        QTRY_COMPARE_WITH_TIMEOUT(rig->log->last(id), std::string("placed"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig->health(), "adopted_orders"), 1.0, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rig->health().openOrders, 1u, 5000);
        rig->engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(rig->engine->shutdownReport().has_value(), 15000);
        QCOMPARE(rig->exchangeStatus(id), QString("CANCELED"));
        QCOMPARE(rig->log->last(id), std::string("cancelled"));
        QCOMPARE(rig->exchange.duplicatePlacements(), 0);
    }
};

QTEST_GUILESS_MAIN(TestUnknownOutcome)
#include "tst_unknownoutcome.moc"
