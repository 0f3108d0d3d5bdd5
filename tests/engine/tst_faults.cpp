// The engine's word under faults (issue 11): what the report, health and the strategy hear is what
// really happened to every action, whatever a connector or the strategy does.
#include "enginerig.h"

#include "logging/logging.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

using namespace md;
using namespace md::test;

class TestFaults : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    // 1. Actions of 100 ms each, killed at the grace: after the report, no action it calls "not
    // executed" may reach the connector; the one in progress is neither executed nor not executed.
    void slowExecutorKilledMidBatchExecutesNothingAfterTheReport() {
        Rig rig("slow_executor", 0.4, 1);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).queueDepth >= 20, 5000);
        const ShutdownReport report = rig.shutdown();
        QCOMPARE(report.markets.size(), 2u);
        const auto& b = report.markets[1];
        QVERIFY(!b.clean);
        const int callsAtReport = rig.factory.calls[1].load();
        QTest::qWait(1500);
        const int callsLater = rig.factory.calls[1].load();
        qInfo("report: %llu executed, %llu not executed; the connector had %d calls at the report, %d 1.5 s later",
              static_cast<unsigned long long>(b.actionsExecuted), static_cast<unsigned long long>(b.actionsNotExecuted),
              callsAtReport, callsLater);
        // Executed, plus the one action in progress at the kill: nothing more ever reaches the connector.
        QVERIFY2(callsLater <= static_cast<int>(b.actionsExecuted) + 1,
                 qPrintable(QString("%1 calls reached the connector, the report says %2 executed")
                                .arg(callsLater)
                                .arg(b.actionsExecuted)));
        QCOMPARE(callsLater, callsAtReport);
        // The one in progress at the kill has its own bucket; every action is in exactly one.
        QCOMPARE(b.actionsOutcomeUnknown, 1u);
        QCOMPARE(b.actionsExecuted + b.actionsNotExecuted + b.actionsOutcomeUnknown, rig.health(1).actionsEnqueued);
        // Placements taken back exist nowhere: the report does not call them "never acknowledged".
        QVERIFY2(b.ordersUnknown <= 1, qPrintable(QString::number(b.ordersUnknown)));
    }

    // The process did not end after a finished shutdown (e.g. a stdout nobody reads), and the watchdog
    // fires: what it reports is the finished close-out, not a second one that contradicts it (it said
    // "the strategy did NOT answer" and "orders left open UNKNOWN" after "every market stopped in order").
    void aWatchdogAfterAFinishedShutdownRepeatsItsReport() {
        Rig rig("normal", 0.5, 1);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).actionsExecuted > 5, 5000);
        const ShutdownReport finished = rig.shutdown();
        QVERIFY(finished.allClean());
        QVERIFY(finished.strategyAnswered);
        const ShutdownReport late = rig.engine->reportSoFar("the shutdown did not end within the grace period + 2 s");
        QVERIFY2(late.strategyAnswered, "the watchdog's report says the strategy did not answer");
        QCOMPARE(late.markets.size(), finished.markets.size());
        for (std::size_t i = 0; i < late.markets.size(); ++i) {
            QVERIFY2(late.markets[i].clean, late.markets[i].detail.c_str());
            QCOMPARE(late.markets[i].ordersLeftOpen, finished.markets[i].ordersLeftOpen);
            QCOMPARE(late.markets[i].actionsExecuted, finished.markets[i].actionsExecuted);
        }
        QCOMPARE(late.seconds, finished.seconds);
    }

    // 2. The killed run's executor wakes up after the market was switched on again: the new run's
    // figures are its own.
    void restartAfterAKillHasCountersOfItsOwn() {
        Rig rig("gated_executor", 0.3, 1);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).queueDepth >= 10, 5000);
        QSignalSpy states(rig.engine.get(), &Engine::marketStateChanged);
        rig.engine->stopMarket(1);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Killed), 5000);
        rig.strategy->paused = true; // the new run gets nothing to do
        rig.engine->startMarket(1);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Running), 5000);
        QTest::qWait(100);
        const MarketHealth before = rig.health(1);
        QCOMPARE(before.queueDepth, 0u);
        rig.factory.openGate(); // the abandoned executor carries on
        QTest::qWait(500);
        const MarketHealth after = rig.health(1);
        qInfo("new run: executed %llu -> %llu, pending %llu -> %llu",
              static_cast<unsigned long long>(before.actionsExecuted),
              static_cast<unsigned long long>(after.actionsExecuted),
              static_cast<unsigned long long>(before.queueDepth), static_cast<unsigned long long>(after.queueDepth));
        QCOMPARE(after.actionsExecuted, before.actionsExecuted);
        QCOMPARE(after.queueDepth, 0u);
    }

    // 3. Stuck past the grace, then throwing: every action counted once, in one bucket.
    void stuckThenThrowingExecutorIsCountedOnce() {
        Rig rig("gated_then_throw", 0.3, 1);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).queueDepth >= 10, 5000);
        const ShutdownReport report = rig.shutdown();
        QVERIFY(!report.markets.at(1).clean);
        const int terminators = rig.factory.terminators;
        rig.factory.openGate(); // the stuck action now throws
        QTRY_VERIFY_WITH_TIMEOUT(rig.factory.terminators > terminators, 5000);
        QTest::qWait(100);
        const MarketHealth h = rig.health(1);
        qInfo("enqueued %llu = executed %llu + not executed %llu + outcome unknown %llu (+ pending %llu)",
              static_cast<unsigned long long>(h.actionsEnqueued), static_cast<unsigned long long>(h.actionsExecuted),
              static_cast<unsigned long long>(h.actionsNotExecuted),
              static_cast<unsigned long long>(h.actionsOutcomeUnknown), static_cast<unsigned long long>(h.queueDepth));
        QCOMPARE(h.actionsExecuted + h.actionsNotExecuted + h.actionsOutcomeUnknown + h.queueDepth, h.actionsEnqueued);
        // The action it was stuck in reached the connector (which then threw): its outcome is unknown.
        QCOMPARE(h.actionsOutcomeUnknown, 1u);
        QCOMPARE(h.actionsNotExecuted, report.markets.at(1).actionsNotExecuted);
    }

    // 5. An open-orders query that throws fails its own market, with the reason, and nothing else.
    void throwingOpenOrdersQueryFailsOnlyItsMarket() {
        Rig rig("throw_query");
        rig.engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Failed), 5000);
        QVERIFY2(QString::fromStdString(rig.health(1).stateReason).contains("exchange said no"),
                 rig.health(1).stateReason.c_str());
        QCOMPARE(st(rig.health(0).state), st(MarketState::Running));
        const auto before = rig.health(0).eventsTotal;
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(0).eventsTotal > before + 100, 5000);
    }

    void throwingCloseOutQueryLeavesTheCloseOutUnverified() {
        Rig rig("throw_query_at_closeout");
        rig.engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Running), 5000);
        const ShutdownReport report = rig.shutdown();
        QCOMPARE(report.markets.size(), 2u);
        QVERIFY(!report.markets[1].verified);
        QVERIFY2(QString::fromStdString(report.markets[1].detail).contains("exchange said no"),
                 report.markets[1].detail.c_str());
    }

    // 6. The strategy is stuck when its market is switched off: the stop cancels all the same.
    void stopWithAStuckStrategyStillCancels() {
        Rig rig("normal", 0.5, 10);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.factory.openOrders >= 5, 5000);
        rig.strategy->hangOnStopping = true;
        rig.engine->stopMarket(1);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Stopped), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.factory.openOrders.load(), 0, 2000);
        const ShutdownReport report = rig.shutdown();
        rig.strategy->hangOnStopping = false;
        QCOMPARE(report.markets.size(), 2u);
        // The stuck network never said which orders were left: the report says "unknown", never 0.
        QVERIFY(!report.markets[1].ordersLeftOpen.has_value());
    }

    // 7. Once a market's stop has begun, the network refuses placements to it: nothing is placed
    // after the stop's CancelAll, even when the engine's thread is slow to seal the queue.
    void noPlacementReachesAMarketOnceItsStopBegins() {
        Rig rig("normal", 1.0, 5);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.factory.openOrders >= 5, 5000);
        rig.engine->stopMarket(1);
        // The engine's thread is busy for a moment: the strategy keeps placing meanwhile.
        QThread::msleep(300);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Stopped), 5000);
        qInfo("open on the exchange after the stop: %d; placements refused as market stopping: %d",
              rig.factory.openOrders.load(), rig.strategy->stoppingRejections.load());
        QCOMPARE(rig.factory.openOrders.load(), 0);
        QVERIFY(rig.strategy->stoppingRejections > 0);
    }

    // 9. An abandoned executor outlives its engine: when it wakes up it may only touch what it owns.
    void abandonedExecutorOutlivesItsEngine() {
        const ScriptedConnectorFactory* factory = nullptr;
        int callsAtReport = 0;
        {
            Rig rig("gated_executor", 0.3, 1);
            factory = &rig.factory;
            rig.engine->start();
            QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).queueDepth >= 10, 5000);
            const ShutdownReport report = rig.shutdown();
            QVERIFY(!report.markets.at(1).clean);
            callsAtReport = rig.factory.calls[1];
        } // the engine is gone; the abandoned executor still waits at the gate
        const int terminators = factory->terminators;
        factory->openGate();
        QTRY_VERIFY_WITH_TIMEOUT(factory->terminators > terminators, 5000);
        QCOMPARE(factory->calls[1].load(), callsAtReport);
    }

    // 11. A hung gateway: the market goes Degraded with the age of its oldest action, its breaker
    // halts placements, the strategy hears it, and all of it clears once the queue moves.
    void stuckExecutorDegradesTheMarketUntilTheQueueMoves() {
        Rig rig("gated_executor", 5.0, 10, roomyLimits(), [](EngineSettings& s) { s.risk.stuckActionSeconds = 0.4; });
        rig.engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Degraded), 5000);
        const MarketHealth h = rig.health(1);
        QVERIFY2(QString::fromStdString(h.stateReason).startsWith("executor stuck: oldest action"),
                 h.stateReason.c_str());
        QCOMPARE(QString::fromStdString(h.tradingState), QString("halted"));
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->degradedHeard > 0, 2000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->haltRejections > 0, 2000);
        QCOMPARE(st(rig.health(0).state), st(MarketState::Running));
        rig.factory.openGate();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Running), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(rig.health(1).tradingState), QString("active"), 2000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->runningHeard > 0, 2000);
    }

    // 11. A connector that stops sending data while our orders are still acknowledged: "last data"
    // is the age of the market's own book, and the market goes Degraded until data flows again.
    void silentConnectorIsDegradedByTheAgeOfItsOwnData() {
        Rig rig("stall_data", 5.0, 1, staleAfterAFraction());
        rig.engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Degraded), 5000);
        QVERIFY2(QString::fromStdString(rig.health(1).stateReason).contains("no book data"),
                 rig.health(1).stateReason.c_str());
        QVERIFY(rig.health(1).lastDataAgeSeconds > 0.3);
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->degradedHeard > 0, 2000);
    }

    // 12. Two connectors whose open-orders queries hang do not hold a third market in Starting, even
    // with Qt's global pool at two threads.
    void hungOpenOrdersQueriesHoldOnlyTheirOwnMarkets() {
        QThreadPool::globalInstance()->setMaxThreadCount(2);
        Rig rig("hang_query", 0.5, 10, roomyLimits(), [](EngineSettings& s) { s.openOrdersTimeoutSeconds = 1.0; },
                {"hang_query", "reconcile"});
        QElapsedTimer t;
        t.start();
        rig.engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(3).state), st(MarketState::Running), 3000);
        qInfo("the market with an answering exchange ran after %lld ms", t.elapsed());
        QVERIFY(t.elapsed() < 1000);
        // The hung ones start unreconciled once their query timed out, and say so.
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Running), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(2).state), st(MarketState::Running), 5000);
        rig.factory.openGate();
    }

    // 13. Refusals by the exchange are counted, by reason, in health (and so in metrics).
    void exchangeRejectionsAreCounted() {
        Rig rig("reject_placements", 0.5, 10);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->rejected >= 3, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).ordersRejected >= 3, 2000);
        const MarketHealth h = rig.health(1);
        std::uint64_t exchange = 0;
        for (const auto& [reason, count] : h.rejectionsByReason)
            if (reason == "exchange")
                exchange = count;
        QVERIFY(exchange >= 3);
        QVERIFY(h.errors >= 3);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
