// The engine with real threads: isolation, toggling, failure containment, shutdown accounting.
#include "enginerig.h"

#include "engine/engine.h"
#include "logging/logging.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace md;
using namespace md::test;

class TestEngine : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void eventsFlowAndActionsExecute() {
        Rig rig("normal");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).actionsExecuted >= 5, 5000);
        auto a = rig.health(0);
        QCOMPARE(st(a.state), st(MarketState::Running));
        QVERIFY(a.eventsTotal > 0);
        QVERIFY(a.lastEventAgeSeconds >= 0);
        QVERIFY(rig.health(1).tickToAction.total >= 5);
        QTRY_VERIFY(rig.engine->marketView(0) && !rig.engine->marketView(0)->bids.empty());
        QTRY_VERIFY(rig.engine->marketView(1) && !rig.engine->marketView(1)->openOrders.empty());
        QVERIFY(!rig.engine->reasoningSince(0).empty());
        QCOMPARE(QString::fromStdString(rig.engine->reasoningSince(0).front().marketName), QString("A"));
    }

    // The view's trade tape (a BoundedRing on the network since 2026-12-02): the last kTape trades,
    // oldest first, none skipped, the oldest dropped once more have come.
    void tapeKeepsTheLastTradesOldestFirst() {
        Rig rig("trades");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->marketView(1) &&
                                     rig.engine->marketView(1)->tape.size() == MarketView::kTape &&
                                     rig.engine->marketView(1)->tape.front().sequence > 1,
                                 10000);
        const auto view = rig.engine->marketView(1);
        for (std::size_t i = 1; i < view->tape.size(); ++i) {
            QCOMPARE(view->tape[i].sequence, view->tape[i - 1].sequence + 1);
            QVERIFY(view->tape[i].quantity > view->tape[i - 1].quantity); // the producer's order
            QVERIFY(view->tape[i].timeMs > 0);                            // converted to the wall clock when published
        }
    }

    void hungExecutorIsKilledWhileOthersTradeAndStopClean() {
        Rig rig("hang_executor", 0.5);
        rig.engine->start();
        // B's executor hangs on its first action; A keeps producing.
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).queueDepth >= 2, 5000);
        const auto before = rig.health(0).eventsTotal;
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(0).eventsTotal > before + 100, 5000);

        QSignalSpy finished(rig.engine.get(), &Engine::shutdownFinished);
        QElapsedTimer timer;
        timer.start();
        rig.engine->beginShutdown();
        rig.engine->beginShutdown(); // a second request does not start a second shutdown
        QVERIFY(finished.wait(3000));
        QVERIFY2(timer.elapsed() <= 1500, qPrintable(QString("shutdown took %1 ms").arg(timer.elapsed())));
        QCOMPARE(finished.count(), 1);
        const auto report = finished.at(0).at(0).value<ShutdownReport>();
        QCOMPARE(report.markets.size(), 2u);
        QVERIFY(report.markets[0].clean);
        QVERIFY(!report.markets[1].clean);
        QVERIFY(QString::fromStdString(report.markets[1].detail).contains("executor stuck"));
        QVERIFY(report.markets[1].actionsNotExecuted >= 2);
        QVERIFY(!report.allClean());
        QCOMPARE(st(rig.health(1).state), st(MarketState::Killed));
        QCOMPARE(st(rig.health(0).state), st(MarketState::Stopped));
    }

    void hungTerminatorIsKilled() {
        Rig rig("hang_terminator", 0.3);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).actionsExecuted >= 1, 5000);
        QSignalSpy finished(rig.engine.get(), &Engine::shutdownFinished);
        rig.engine->beginShutdown();
        QVERIFY(finished.wait(3000));
        const auto report = finished.at(0).at(0).value<ShutdownReport>();
        QVERIFY(!report.markets[1].clean);
        QVERIFY(QString::fromStdString(report.markets[1].detail).contains("terminator"));
        QCOMPARE(report.markets[1].actionsNotExecuted, 0u); // the queue itself was drained
    }

    void producerExceptionFailsOnlyThatMarket() {
        Rig rig("throw_producer");
        rig.engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Failed), 5000);
        QVERIFY(QString::fromStdString(rig.health(1).stateReason).contains("scripted producer failure"));
        const auto before = rig.health(0).eventsTotal;
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(0).eventsTotal > before + 100, 5000);
        QCOMPARE(st(rig.health(0).state), st(MarketState::Running));
        // A failed market can be started again, with a fresh connector state.
        const int inits = rig.factory.initializations;
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->marketView(1) != nullptr, 2000);
        rig.engine->startMarket(1);
        QTRY_COMPARE_WITH_TIMEOUT(rig.factory.initializations.load(), inits + 1, 3000);
    }

    void executorExceptionFailsAndReportsTheAction() {
        Rig rig("throw_executor");
        rig.engine->start();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Failed), 5000);
        QVERIFY(QString::fromStdString(rig.health(1).lastError).contains("scripted executor failure"));
        QCOMPARE(st(rig.health(0).state), st(MarketState::Running));
        QTRY_VERIFY(rig.health(1).errors >= 1);
    }

    void marketToggledOffAndOnWhileTheOtherTrades() {
        Rig rig("normal");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).actionsExecuted >= 2, 5000);
        QSignalSpy states(rig.engine.get(), &Engine::marketStateChanged);
        rig.engine->stopMarket(1);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Stopped), 3000);
        QVERIFY(rig.factory.cancelAlls >= 1); // switching off cancels what was open
        QVERIFY(rig.factory.terminators >= 1);
        const auto aBefore = rig.health(0).eventsTotal;
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(0).eventsTotal > aBefore + 100, 5000);
        // While B is off, the strategy's placements to it are refused and reported, not lost.
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->rejected > 0, 5000);
        rig.engine->startMarket(1);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Running), 3000);
        QCOMPARE(rig.factory.initializations.load(), 3); // A once, B twice: fresh state each start
        const auto executed = rig.health(1).actionsExecuted;
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).actionsExecuted > executed, 5000);
        QVERIFY(states.count() >= 3); // Stopping, Stopped, Starting/Running
    }

    void shutdownReportsQueuedActionsNotExecuted() {
        // Each action takes 100 ms and the strategy places one per book update: the queue grows
        // faster than it drains, and the grace runs out with actions still queued.
        Rig rig("slow_executor", 0.4, 1);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).queueDepth >= 20, 5000);
        QSignalSpy finished(rig.engine.get(), &Engine::shutdownFinished);
        rig.engine->beginShutdown();
        QVERIFY(finished.wait(3000));
        const auto report = finished.at(0).at(0).value<ShutdownReport>();
        const auto& b = report.markets[1];
        QVERIFY(!b.clean);
        QVERIFY(b.actionsNotExecuted > 0);
        // Nothing silently lost: every queued action was either executed or reported.
        const auto h = rig.health(1);
        QCOMPARE(b.actionsExecuted + b.actionsNotExecuted + b.actionsOutcomeUnknown, h.actionsEnqueued);
        QCOMPARE(b.actionsOutcomeUnknown, 1u); // the 100 ms action under way at the kill
    }

    void haltRefusesPlacementsAndCancelsOpenOrders() {
        Rig rig("normal");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).openOrders >= 2, 5000);
        QSignalSpy halted(rig.engine.get(), &Engine::haltChanged);
        rig.engine->halt();
        QCOMPARE(halted.count(), 1);
        QVERIFY(rig.engine->isHalted());
        QTRY_VERIFY_WITH_TIMEOUT(rig.factory.cancelAlls >= 1, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.health(1).openOrders, 0u, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->haltRejections >= 3, 3000);
        QCOMPARE(rig.health(1).openOrders, 0u); // refused placements never reach the market
        QTRY_VERIFY(rig.engine->marketView(1)->halted);
        rig.engine->resume();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).openOrders >= 1, 3000);
    }

    void strategyExceptionHaltsTrading() {
        Rig rig("normal");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).actionsExecuted >= 1, 5000);
        QSignalSpy halted(rig.engine.get(), &Engine::haltChanged);
        rig.strategy->throwNext = true;
        QVERIFY(halted.wait(3000));
        QVERIFY(rig.engine->isHalted());
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->haltRejections >= 1, 3000);
    }

    void riskLimitRejectsWithTheLimitNamed() {
        RiskLimits tight = roomyLimits();
        tight.maxOpenOrders = 3;
        Rig rig("normal", 0.5, 10, tight);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->rejected >= 3, 5000);
        QVERIFY(rig.strategy->lastRejection().find("limit max_open_orders") != std::string::npos);
        QCOMPARE(rig.health(1).openOrders, 3u);
    }

    void marketKillSwitchHaltsOnlyThatMarket() {
        Rig rig("normal");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).openOrders >= 2, 5000);
        rig.engine->setMarketTradingState(1, TradingState::Halted);
        QTRY_COMPARE_WITH_TIMEOUT(rig.health(1).openOrders, 0u, 3000);
        QCOMPARE(QString::fromStdString(rig.health(1).tradingState), QString("halted"));
        QCOMPARE(QString::fromStdString(rig.health(0).tradingState), QString("active"));
        QVERIFY(!rig.engine->isHalted());
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->haltRejections >= 2, 3000);
        rig.engine->setMarketTradingState(1, TradingState::Active);
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).openOrders >= 1, 3000);
    }

    void degradedConnectorTripsTheBreakerUntilItRecovers() {
        Rig rig("degrade_then_recover");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(!rig.health(1).breakerReason.empty(), 5000);
        QVERIFY(QString::fromStdString(rig.health(1).breakerReason).contains("resyncing"));
        QCOMPARE(QString::fromStdString(rig.health(1).tradingState), QString("halted"));
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->haltRejections >= 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).breakerReason.empty(), 5000);
        QCOMPARE(QString::fromStdString(rig.health(1).tradingState), QString("active"));
    }

    // The breaker's own halt cancels this run's orders only (an earlier run's are the user's call);
    // the user's halt cancels all of ours — also on a market the breaker had halted already.
    void userHaltOnABreakerHaltedMarketStillCancelsEverything() {
        Rig rig("stall_data", 0.5, 10, staleAfterAFraction());
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromStdString(rig.health(1).breakerReason).contains("stale"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.factory.cancelAlls.load() >= 1, 2000); // the breaker's
        QCOMPARE(rig.factory.cancelAllsOfEveryRun.load(), 0);
        rig.engine->halt();
        QTRY_COMPARE_WITH_TIMEOUT(rig.factory.cancelAllsOfEveryRun.load(), 2, 2000); // on A and on B
        rig.engine->resume();
        rig.engine->halt(); // a second halt cancels everything again
        QTRY_COMPARE_WITH_TIMEOUT(rig.factory.cancelAllsOfEveryRun.load(), 4, 2000);
    }

    void staleBookTripsTheBreaker() {
        Rig rig("stall_data", 0.5, 10, staleAfterAFraction());
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromStdString(rig.health(1).breakerReason).contains("stale"), 5000);
        QCOMPARE(QString::fromStdString(rig.health(0).tradingState), QString("active"));
    }

    void marketReconcilesBeforeTrading() {
        Rig rig("reconcile");
        QSignalSpy reconciled(rig.engine.get(), &Engine::marketReconciled);
        rig.engine->start();
        QCOMPARE(st(rig.health(1).state), st(MarketState::Starting)); // not trading while the exchange is asked
        QCOMPARE(rig.health(1).eventsTotal, 0u);
        QVERIFY(reconciled.wait(3000));
        QCOMPARE(reconciled.at(0).at(0).value<MarketId>(), MarketId(1));
        QCOMPARE(reconciled.at(0).at(1).toBool(), true);
        const auto open = reconciled.at(0).at(2).value<std::vector<OpenOrderInfo>>();
        QCOMPARE(open.size(), 1u);
        QCOMPARE(open[0].id, 42u);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Running), 3000);

        // The close-out is verified with the exchange: it still reports the order as open.
        QSignalSpy finished(rig.engine.get(), &Engine::shutdownFinished);
        rig.engine->beginShutdown();
        QVERIFY(finished.wait(3000));
        const auto report = finished.at(0).at(0).value<ShutdownReport>();
        QVERIFY(report.markets[1].verified);
        QCOMPARE(report.markets[1].openOnExchange.size(), 1u);
        QVERIFY(!report.markets[0].verified); // that connector cannot ask its exchange
    }

    void stopWhileReconcilingIsClean() {
        Rig rig("reconcile");
        rig.engine->start();
        rig.engine->stopMarket(1);
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Stopped), 3000);
        QTest::qWait(300); // the exchange's late answer must not start the stopped market
        QCOMPARE(st(rig.health(1).state), st(MarketState::Stopped));
    }

    void parseErrorsAreCounted() {
        Rig rig("garbage");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).parseErrors >= 5, 5000);
        QCOMPARE(st(rig.health(1).state), st(MarketState::Running));
        QVERIFY(QString::fromStdString(rig.health(1).lastError).contains("garbage"));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
