// The engine with real threads: isolation, toggling, failure containment, shutdown accounting.
#include "enginerig.h"

#include "engine/engine.h"
#include "logging/logging.h"
#include "strategy/strategyfactory.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <set>

using namespace md;
using namespace md::test;

class TestEngine : public QObject {
    Q_OBJECT
    /// Shuts the desk down; true when every strategy answered in time.
    static bool rig_answered(Desk& desk) {
        QSignalSpy finished(desk.engine.get(), &Engine::shutdownFinished);
        desk.engine->beginShutdown();
        if (!finished.wait(5000))
            return false;
        return finished.at(0).at(0).value<ShutdownReport>().strategyAnswered;
    }

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

    // Issue 17 part 3: a strategy that throws halts itself only; the desk keeps trading (here: the
    // trader's manual order on market A still reaches the exchange).
    void strategyThrowHaltsOnlyItself() {
        Rig rig("normal");
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).actionsExecuted >= 1, 5000);
        rig.strategy->throwNext = true;
        QTRY_VERIFY_WITH_TIMEOUT(!rig.engine->strategyFailure().empty(), 3000);
        QVERIFY2(!rig.engine->isHalted(), "a throwing strategy halted the whole desk");
        const auto executed = rig.health(0).actionsExecuted;
        rig.engine->placeManualOrder(
            0, ManualOrder{Side::Bid, Price(9990, 2), Quantity(10000, 4), TimeInForce::Gtc, false, true});
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(0).actionsExecuted > executed, 3000);
    }

    // Issue 17 part 2: each event reaches the strategies of its market; an order's events its owner only;
    // the trader's orders nobody; client ids stay distinct on the shared market.
    void deskRoutesByMarketAndOrdersByOwner() {
        Desk desk;
        desk.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 0) >= 3 && desk.openOn(1, 1) >= 3, 5000);
        desk.engine->placeManualOrder(
            1, ManualOrder{Side::Bid, Price(9990, 2), Quantity(10000, 4), TimeInForce::Gtc, false, true});
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, kManualOwner) == 1, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(desk.engine->marketView(1)->openOrders.size() > 8, 3000);
        for (auto* s : desk.strategies) {
            QCOMPARE(s->foreignMarketEvents.load(), 0);
            QCOMPARE(s->foreignOrderEvents.load(), 0);
        }
        std::set<ClientOrderId> ids;
        for (const auto& o : desk.engine->marketView(1)->openOrders) {
            QVERIFY2(ids.insert(o.id).second, "a client id is used twice on the shared market");
            if (o.owner != kManualOwner)
                QCOMPARE(int((o.id - 1) % 2), int(o.owner)); // the interleaving of the two strategies' numbers
        }
        QVERIFY(rig_answered(desk));
    }

    // Issue 17 part 2: the positions thread keeps P&L per strategy beside per market (fees included),
    // from the owner the event network gives each fill: s0's fills on B are s0's, the trader's are
    // "manual", s1 (on C and D, nothing filled) has none.
    void positionsKeepPnlPerStrategy() {
        Desk desk("fill_placements", 10);
        desk.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(desk.engine->moneyNow()->markets.at(1).fills >= 5, 5000);
        desk.engine->placeManualOrder(
            1, ManualOrder{Side::Bid, Price(9990, 2), Quantity(10000, 4), TimeInForce::Gtc, false, true});
        auto manual = [&]() -> std::optional<StrategyMoney> {
            for (const auto& s : desk.engine->moneyNow()->strategies)
                if (s.strategy == "manual")
                    return s;
            return std::nullopt;
        };
        QTRY_VERIFY_WITH_TIMEOUT(manual().has_value(), 3000);
        QSignalSpy finished(desk.engine.get(), &Engine::shutdownFinished);
        desk.engine->beginShutdown();
        QVERIFY(finished.wait(5000));
        const auto money = desk.engine->moneyNow();
        const MarketMoney& b = money->markets.at(1);
        std::uint64_t fills = 0;
        Decimal net, fees;
        for (const auto& s : money->strategies) {
            qInfo("%s on %s: %llu fills, position %s, net %s", s.strategy.c_str(), s.marketName.c_str(),
                  static_cast<unsigned long long>(s.fills), s.position.toString().c_str(), s.net.toString().c_str());
            QCOMPARE(s.marketName, std::string("B"));
            QVERIFY(s.strategy == "s0" || s.strategy == "manual");
            fills += s.fills;
            net += s.net;
            fees += s.feesInQuote;
        }
        QCOMPARE(money->strategies.size(), 2u);
        QCOMPARE(manual()->fills, std::uint64_t(1));
        QCOMPARE(manual()->position, Decimal(1, 0));
        QCOMPARE(fills, b.fills);
        QCOMPARE(fees, b.feesInQuote);
        QCOMPARE(fees, Decimal(static_cast<std::int64_t>(b.fills), 2)); // 0.01 a fill
        QCOMPARE(net, b.net);
    }

    // Issue 17 part 3 with two strategies: the one that throws is halted (its orders cancelled, the
    // reason kept and signalled); the other keeps placing; resume lets it trade again.
    void throwingStrategyHaltsOnlyItselfOnADesk() {
        Desk desk;
        QSignalSpy halted(desk.engine.get(), &Engine::strategyHalted);
        desk.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 0) >= 2 && desk.openOn(1, 1) >= 2, 5000);
        desk.strategies[0]->throwNext = true;
        QTRY_VERIFY_WITH_TIMEOUT(halted.count() == 1, 3000);
        QCOMPARE(halted.at(0).at(0).toString(), QString("s0"));
        QVERIFY(halted.at(0).at(1).toString().contains("scripted strategy bug"));
        QTRY_COMPARE_WITH_TIMEOUT(desk.state(0), StrategyState::Halted, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(desk.openOn(1, 0), std::size_t(0), 3000);
        QVERIFY(!desk.engine->isHalted());
        QVERIFY(QString::fromStdString(desk.engine->strategyFailure()).contains("s0: strategy threw"));
        const int before = desk.strategies[1]->placed;
        QTRY_VERIFY_WITH_TIMEOUT(desk.strategies[1]->placed > before + 5, 3000);
        QVERIFY(desk.openOn(1, 1) >= 2);
        QTRY_VERIFY_WITH_TIMEOUT(desk.strategies[0]->heardRejection("strategy s0 halted"), 3000);
        desk.engine->resumeStrategy(0);
        QTRY_COMPARE_WITH_TIMEOUT(desk.state(0), StrategyState::Running, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 0) >= 1, 3000);
        QVERIFY(desk.engine->strategyFailure().empty());
    }

    // Issue 17 part 3: pause keeps or cancels the strategy's orders (the user's choice), resume, stop.
    void pauseResumeStopOneStrategy() {
        Desk desk;
        desk.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 0) >= 2 && desk.openOn(1, 1) >= 2, 5000);
        desk.engine->pauseStrategy(0, false);
        QTRY_COMPARE_WITH_TIMEOUT(desk.state(0), StrategyState::Paused, 3000);
        // Paused, it hears no market data, so it asks for nothing: no refused placement every event
        // (the log said "strategy s0 paused: placement refused ×260 in 1 s" and the rejections counted
        // towards the burst alert, for a pause the trader chose).
        const std::uint64_t rejected = desk.engine->health().at(1).ordersRejected;
        const int placedWhilePaused = desk.strategies[0]->placed;
        const std::uint64_t eventsOfA = desk.engine->health().at(0).eventsTotal;
        QTRY_VERIFY_WITH_TIMEOUT(desk.engine->health().at(0).eventsTotal > eventsOfA + 50, 5000);
        QCOMPARE(desk.engine->health().at(1).ordersRejected, rejected);
        QCOMPARE(desk.strategies[0]->placed.load(), placedWhilePaused);
        QVERIFY(!desk.strategies[0]->heardRejection("strategy s0 paused"));
        const auto kept = desk.openOn(1, 0);
        QVERIFY(kept >= 2); // kept: nothing cancelled them
        desk.engine->resumeStrategy(0);
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 0) > kept, 3000);
        desk.engine->pauseStrategy(0, true);
        QTRY_COMPARE_WITH_TIMEOUT(desk.openOn(1, 0), std::size_t(0), 3000);
        QVERIFY(desk.openOn(1, 1) >= 2); // the other strategy's orders stay
        desk.engine->resumeStrategy(0);
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 0) >= 1, 3000);
        desk.engine->stopStrategy(0); // it answers ShuttingDown with a CancelAll: its own orders only
        QTRY_COMPARE_WITH_TIMEOUT(desk.state(0), StrategyState::Stopped, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(desk.openOn(1, 0), std::size_t(0), 3000);
        QVERIFY(desk.openOn(1, 1) >= 2);
        const int placed = desk.strategies[0]->placed;
        const int other = desk.strategies[1]->placed;
        QTRY_VERIFY_WITH_TIMEOUT(desk.strategies[1]->placed > other + 5, 3000);
        QCOMPARE(desk.strategies[0]->placed.load(), placed); // stopped: hears nothing, places nothing
        desk.engine->startStrategy(0);
        QTRY_COMPARE_WITH_TIMEOUT(desk.state(0), StrategyState::Running, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 0) >= 1, 3000);
        QVERIFY(rig_answered(desk));
    }

    // Issue 17: Mirror, stopped by the user and started again, copies the source again (it stayed
    // "shutting down" before: only the market maker was made to restart), and its live keys are tuned.
    void mirrorQuotesAgainAfterStopAndStartAndRetunes() {
        const auto& factory = *new ScriptedConnectorFactory;
        std::vector<MarketSetup> markets{{scriptedMarket(0, "A", "normal"), &factory, true},
                                         {scriptedMarket(1, "B", "normal", 2000), &factory, true}};
        const QJsonObject params{{"kind", "mirror"},
                                 {"source", "A"},
                                 {"destination", "B"},
                                 {"max_exposure", "1"},
                                 {"order_quantity", "0.01"}};
        std::vector<MarketSpec> specs{markets[0].spec, markets[1].spec};
        std::vector<StrategySetup> setups;
        setups.push_back({"mirror", findStrategyFactory("mirror")->create(params, specs), {0, 1}, {}, params});
        EngineSettings settings;
        settings.graceSeconds = 0.5;
        settings.strategyTimeoutSeconds = 0.2;
        settings.risk = roomyLimits();
        Engine engine(settings, std::move(markets), std::move(setups));
        auto quotesOnB = [&](const char* quantity = nullptr) {
            auto view = engine.marketView(1);
            if (!view)
                return std::size_t(0);
            return static_cast<std::size_t>(
                std::count_if(view->openOrders.begin(), view->openOrders.end(), [&](const OrderView& o) {
                    return o.owner == 0 && (!quantity || o.quantity == *Quantity::parse(quantity));
                }));
        };
        auto state = [&] { return engine.strategies().at(0).state; };
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(quotesOnB() == 2, 5000);
        engine.stopStrategy(0);
        QTRY_COMPARE_WITH_TIMEOUT(state(), StrategyState::Stopped, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(quotesOnB(), std::size_t(0), 3000);
        engine.startStrategy(0);
        QTRY_COMPARE_WITH_TIMEOUT(state(), StrategyState::Running, 3000);
        QTRY_VERIFY2_WITH_TIMEOUT(quotesOnB() == 2, "Mirror does not quote again after Stop and Start", 3000);
        // Live keys: sides, order_quantity, level, max_exposure; the markets are not.
        auto error = engine.setStrategyParameter(0, "destination", "A");
        QVERIFY2(error && error->find("strategy.destination: cannot change live") != std::string::npos,
                 error ? error->c_str() : "accepted");
        error = engine.setStrategyParameter(0, "sides", "up");
        QVERIFY(error && error->rfind("strategy.sides: ", 0) == 0);
        QVERIFY(!engine.setStrategyParameter(0, "sides", "bid"));
        QTRY_COMPARE_WITH_TIMEOUT(quotesOnB(), std::size_t(1), 3000);       // its ask cancelled
        QVERIFY(!engine.setStrategyParameter(0, "order_quantity", "0.02")); // the live bid keeps its size
        QVERIFY(!engine.setStrategyParameter(0, "sides", "both"));
        QTRY_COMPARE_WITH_TIMEOUT(quotesOnB("0.02"), std::size_t(1), 3000); // the new ask has the new size
        QCOMPARE(quotesOnB("0.01"), std::size_t(1));
        // Below its quotes: both are cancelled and placed again within the new limit.
        QVERIFY(!engine.setStrategyParameter(0, "max_exposure", "0.005"));
        QTRY_COMPARE_WITH_TIMEOUT(quotesOnB("0.005"), std::size_t(2), 3000);
        QSignalSpy finished(&engine, &Engine::shutdownFinished);
        engine.beginShutdown();
        QVERIFY(finished.wait(5000));
    }

    // Issue 17 part 4: a strategy's own limits, beside the desk's and the market's.
    void strategyLimitsApplyToThatStrategyOnly() {
        StrategyLimits tight;
        tight.maxOpenOrders = 2;
        Desk desk({tight, {}});
        desk.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(desk.strategies[0]->heardRejection("strategy s0 limit max_open_orders (2)"), 5000);
        // The two it may have are counted from the moment they are queued; they show as open once the
        // executor has placed them (under ASan on busy cores, after the third was refused).
        QTRY_COMPARE_WITH_TIMEOUT(desk.openOn(1, 0), std::size_t(2), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 1) > 4, 3000);
        QCOMPARE(desk.strategies[1]->rejected.load(), 0);
    }

    void strategyMaxPositionRefusesWhatWouldExceedIt() {
        StrategyLimits tight;
        tight.maxPosition = Decimal(0, 4); // not even one order's worth
        Desk desk({tight, {}});
        desk.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(desk.strategies[0]->heardRejection("strategy s0 limit max_position (0)"), 5000);
        QCOMPARE(desk.openOn(1, 0), std::size_t(0));
        QTRY_VERIFY_WITH_TIMEOUT(desk.openOn(1, 1) > 2, 3000);
    }

    // Issue 17 part 6: two strategies on disjoint markets; B's executor hangs. s1's placements on D keep
    // executing at the rate they had before (measured over the same span; printed for
    // docs/RELIABILITY.md; asserted loosely: the machine is shared, the claim is "not stalled").
    void hungMarketLeavesTheOtherStrategysRateUnchanged() {
        Desk desk("hang_executor", 10);
        desk.engine->start();
        auto executedOnD = [&] { return desk.engine->health().at(3).actionsExecuted; };
        QTRY_VERIFY_WITH_TIMEOUT(executedOnD() >= 20, 5000);
        // The hang has begun once B's breaker says its executor is stuck.
        QTRY_VERIFY_WITH_TIMEOUT(desk.engine->health().at(1).breakerReason.find("executor stuck") != std::string::npos,
                                 5000);
        auto rate = [&](int ms) {
            const auto before = executedOnD();
            QElapsedTimer t;
            t.start();
            QTest::qWait(ms);
            return double(executedOnD() - before) / (t.nsecsElapsed() / 1e9);
        };
        const double hung = rate(1000);
        Desk healthy("normal", 10);
        healthy.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(healthy.engine->health().at(3).actionsExecuted >= 20, 5000);
        const auto before = healthy.engine->health().at(3).actionsExecuted;
        QElapsedTimer t;
        t.start();
        QTest::qWait(1000);
        const double normal =
            double(healthy.engine->health().at(3).actionsExecuted - before) / (t.nsecsElapsed() / 1e9);
        qInfo("isolation: s1 actions executed on D per second: %.0f with B hung, %.0f with B healthy (ratio %.2f)",
              hung, normal, normal > 0 ? hung / normal : 0.0);
        QVERIFY(hung > 0.5 * normal);
        QVERIFY(desk.strategies[1]->placed > 0);
        QCOMPARE(desk.state(1), StrategyState::Running);
    }

    // Issue 17 part 5: a live parameter change is validated like the config (field named), refused for
    // a key that cannot change live, and applied at the strategy's next decision.
    void liveParameterChangeIsValidatedAndApplied() {
        const auto& factory = *new ScriptedConnectorFactory;
        std::vector<MarketSetup> markets{{scriptedMarket(0, "A", "normal"), &factory, true},
                                         {scriptedMarket(1, "B", "normal", 2000), &factory, true}};
        const QJsonObject params{{"kind", "market_maker"},
                                 {"market", "B"},
                                 {"half_spread_ticks", 5},
                                 {"order_quantity", "0.01"},
                                 {"max_position", "1"}};
        std::vector<MarketSpec> traded{markets[1].spec};
        std::vector<StrategySetup> setups;
        setups.push_back({"mm", findStrategyFactory("market_maker")->create(params, traded), {1}, {}, params});
        EngineSettings settings;
        settings.graceSeconds = 0.5;
        settings.strategyTimeoutSeconds = 0.2;
        settings.risk = roomyLimits();
        Engine engine(settings, std::move(markets), std::move(setups));
        engine.start();
        auto bidAt = [&](const char* price) {
            auto view = engine.marketView(1);
            if (!view)
                return false;
            for (const auto& o : view->openOrders)
                if (o.side == Side::Bid && o.price == *Price::parse(price))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(bidAt("99.95"), 5000); // mid 100.00, 5 ticks of 0.01
        auto error = engine.setStrategyParameter(0, "order_quantity", "-1");
        QVERIFY(error && error->rfind("strategy.order_quantity: ", 0) == 0);
        error = engine.setStrategyParameter(0, "colour", "red");
        QVERIFY(error && error->rfind("strategy.colour: unknown key", 0) == 0);
        error = engine.setStrategyParameter(0, "market", "A");
        QVERIFY2(error && error->find("strategy.market: cannot change live") != std::string::npos,
                 error ? error->c_str() : "accepted");
        QVERIFY(!engine.setStrategyParameter(0, "half_spread_ticks", 20));
        QCOMPARE(engine.strategyParameters(0).value("half_spread_ticks").toInt(), 20);
        QTRY_VERIFY_WITH_TIMEOUT(bidAt("99.80"), 5000);
        QSignalSpy finished(&engine, &Engine::shutdownFinished);
        engine.beginShutdown();
        QVERIFY(finished.wait(5000));
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
