// The trader's manual orders (issue 15 parts 4, 5, 8) through the real engine, real threads and two
// simulated markets: the same gate, journal and queues as the strategy's, never the strategy's events.
#include "domain/orderowner.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "positions/moneysnapshot.h"
#include "sim/simconnectorfactory.h"
#include "simspec.h"
#include "strategy/strategyfactory.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <mutex>
#include <set>

using namespace md;

namespace {

using md::test::simSpec;

/// Passes everything to the strategy it wraps and remembers every client id whose order event it was
/// given (the test's eye on what the strategy hears). Thread: the event network's; read after it stops
/// or under the mutex.
class RecordingStrategy : public Strategy {
public:
    explicit RecordingStrategy(std::unique_ptr<Strategy> inner)
        : m_inner(std::move(inner)) {}
    std::string_view name() const override { return m_inner->name(); }
    StrategyAdvice onEvent(const TradingEvent& event, const StrategyContext& context) override {
        std::visit(Overloaded{[&](const OrderPlaced& e) { heard(event.market, e.id); },
                              [&](const OrderFilled& e) { heard(event.market, e.id); },
                              [&](const OrderCancelled& e) { heard(event.market, e.id); },
                              [&](const OrderDone& e) { heard(event.market, e.id); },
                              [&](const OrderRejected& e) { heard(event.market, e.id); }, [](const auto&) {}},
                   event.payload);
        return m_inner->onEvent(event, context);
    }
    StrategyAdvice onControl(const ControlEvent& event, const StrategyContext& context) override {
        return m_inner->onControl(event, context);
    }
    std::set<std::pair<MarketId, ClientOrderId>> heardIds() const {
        std::lock_guard lock(m_mutex);
        return m_heard;
    }

private:
    void heard(MarketId market, ClientOrderId id) {
        std::lock_guard lock(m_mutex);
        m_heard.insert({market, id});
    }
    std::unique_ptr<Strategy> m_inner;
    mutable std::mutex m_mutex;
    std::set<std::pair<MarketId, ClientOrderId>> m_heard;
};

QJsonObject market(int seed, int eventsPerSecond) {
    return {{"seed", seed}, {"mid", "100.00"}, {"events_per_second", eventsPerSecond}, {"latency_ms", 2}};
}

struct Rig {
    const SimConnectorFactory& factory = *new SimConnectorFactory; // lives as long as the process
    RecordingStrategy* strategy = nullptr;
    std::unique_ptr<Engine> engine;

    explicit Rig(const QJsonObject& strategyParams, RiskLimits risk = {}, FatFingerLimits fatFinger = {}) {
        std::vector<MarketSpec> specs{simSpec(0, "SOURCE", market(11, 2000), "0.01"),
                                      simSpec(1, "DEST", market(12, 200), "0.10")};
        const StrategyFactory* sf = findStrategyFactory(strategyParams.value("kind").toString().toStdString());
        if (auto problem = sf->validate(strategyParams, specs, "strategy"))
            qFatal("strategy params refused: %s", problem->c_str());
        auto recording = std::make_unique<RecordingStrategy>(sf->create(strategyParams, specs));
        strategy = recording.get();
        EngineSettings settings;
        settings.graceSeconds = 1.0;
        settings.strategyTimeoutSeconds = 0.3;
        risk.staleDataSeconds = 30; // a loaded machine must not trip the breaker under the test
        settings.risk = risk;
        settings.manual.fatFinger = fatFinger;
        engine = std::make_unique<Engine>(
            settings, std::vector<MarketSetup>{{specs[0], &factory, true}, {specs[1], &factory, true}},
            std::move(recording));
    }
    std::shared_ptr<const MarketView> view(MarketId id) const { return engine->marketView(id); }
    bool twoSided(MarketId id) const {
        auto v = view(id);
        return v && !v->bids.empty() && !v->asks.empty();
    }
    /// The manual order with this price on the market, open or closed, if the view has it.
    std::optional<OrderView> manualOrder(MarketId id, OrderStatus status) const {
        auto v = view(id);
        if (!v)
            return std::nullopt;
        for (const auto* list : {&v->openOrders, &v->closedOrders})
            for (const auto& o : *list)
                if (o.owner == kManualOwner && o.status == status)
                    return o;
        return std::nullopt;
    }
    ShutdownReport shutdown() {
        QSignalSpy finished(engine.get(), &Engine::shutdownFinished);
        engine->beginShutdown();
        if (!finished.wait(10000))
            qFatal("shutdown did not finish");
        return finished.at(0).at(0).value<ShutdownReport>();
    }
};

QJsonObject noStrategy() {
    return {{"kind", "none"}};
}
QJsonObject mirror() {
    return QJsonObject{{"kind", "mirror"}, {"source", "SOURCE"},    {"destination", "DEST"},
                       {"level", 0},       {"max_exposure", "0.5"}, {"order_quantity", "0.05"}};
}

Quantity strategyFills(const MarketView& v) {
    Quantity total(0, 4);
    for (const auto& f : v.fills)
        if (f.owner != kManualOwner)
            total += f.quantity;
    return total;
}

/// A price half a percent through the touch (the books start at 100): marketable at once even if the
/// book moves a little before the order arrives (buy above the best ask, sell below the best bid).
Price through(const MarketView& v, Side side) {
    const Price half = *Price::parse("0.50");
    return side == Side::Bid ? v.asks.front().price + half : v.bids.front().price - half;
}

} // namespace

class TestManualOrders : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    // Part 8: Mirror's exposure invariant holds while the trader's orders fill on both of its markets,
    // and the strategy never hears of them; positions count them.
    void strategyNeverHearsManualOrdersAndItsInvariantHolds() {
        // The trader's orders share each market's order-rate bucket with the strategy (one gate); room
        // enough here that Mirror's requoting does not use it up before the trader's turn.
        RiskLimits risk;
        risk.maxOrdersPerSecond = 1000;
        risk.orderBurst = 1000;
        Rig rig(mirror(), risk);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.twoSided(0) && rig.twoSided(1), 20000);
        const Quantity maxExposure = *Quantity::parse("0.5");
        const auto qty = *Quantity::parse("0.3");
        int sent = 0;
        QElapsedTimer timer;
        timer.start();
        std::set<ClientOrderId> manualFilled[2];
        while (timer.elapsed() < 60000 && (manualFilled[0].size() < 2 || manualFilled[1].size() < 2 || sent < 4)) {
            // Buys and sells through the touch on each market in turn: the fills are the trader's.
            if (sent < 4) {
                const MarketId id = static_cast<MarketId>(sent % 2);
                auto v = rig.view(id);
                const Side side = sent < 2 ? Side::Bid : Side::Ask;
                rig.engine->placeManualOrder(id,
                                             ManualOrder{side, through(*v, side), qty, TimeInForce::Ioc, false, true});
                ++sent;
            }
            QTest::qWait(50);
            auto source = rig.view(0);
            auto dest = rig.view(1);
            // The invariant over the strategy's own orders and fills, as the user sees them.
            Quantity open(0, 4);
            for (const auto& o : dest->openOrders)
                if (o.owner != kManualOwner)
                    open += o.quantity - o.filled;
            const Quantity unrecouped = strategyFills(*dest) - strategyFills(*source);
            QVERIFY2(
                open + maxOf(unrecouped, Quantity(0, 4)) <= maxExposure,
                qPrintable(
                    QString("open %1 + unrecouped %2").arg(open.toString().c_str(), unrecouped.toString().c_str())));
            for (const auto* v : {source.get(), dest.get()})
                for (const auto& f : v->fills)
                    if (f.owner == kManualOwner)
                        manualFilled[v->id].insert(f.id);
        }
        QVERIFY2(manualFilled[0].size() == 2 && manualFilled[1].size() == 2,
                 qPrintable(QString("manual orders filled: SOURCE %1, DEST %2 (last: %3 | %4)")
                                .arg(manualFilled[0].size())
                                .arg(manualFilled[1].size())
                                .arg(rig.view(0)->manualNotice.c_str(), rig.view(1)->manualNotice.c_str())));
        const auto heard = rig.strategy->heardIds();
        for (MarketId m : {MarketId(0), MarketId(1)})
            for (ClientOrderId id : manualFilled[m])
                QVERIFY2(!heard.count({m, id}),
                         qPrintable(QString("the strategy heard manual order #%1 on market %2").arg(id).arg(m)));
        // Positions count them (every fill of the run, the trader's too).
        const auto money = rig.engine->moneyNow();
        QVERIFY(money->markets.at(0).fills >= 2);
        QVERIFY(money->markets.at(1).fills >= 2);
        QVERIFY(rig.shutdown().allClean());
    }

    // Part 4 through the gate: a manual order above max_order_notional is refused by the risk gate
    // (confirmed or not), and on a halted desk too; nothing reaches the exchange.
    void manualOrderMeetsTheRiskGate() {
        RiskLimits risk;
        risk.maxOrderNotional = Decimal::parse("50").value();
        Rig rig(noStrategy(), risk, FatFingerLimits{50, std::nullopt});
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.twoSided(1), 20000);
        const Price bid = rig.view(1)->bids.front().price;
        rig.engine->placeManualOrder(1,
                                     ManualOrder{Side::Bid, bid, *Quantity::parse("1"), TimeInForce::Gtc, false, true});
        QTRY_VERIFY_WITH_TIMEOUT(rig.manualOrder(1, OrderStatus::Rejected).has_value(), 5000);
        const auto refused = *rig.manualOrder(1, OrderStatus::Rejected);
        QVERIFY2(refused.reason.find("max_order_notional") != std::string::npos, refused.reason.c_str());
        QVERIFY(rig.view(1)->openOrders.empty());
        QCOMPARE(rig.engine->health().at(1).actionsExecuted, std::uint64_t(0));
        QVERIFY(rig.view(1)->manualNotice.find("refused") == 0);

        rig.engine->halt();
        rig.engine->placeManualOrder(
            1, ManualOrder{Side::Bid, bid, *Quantity::parse("0.1"), TimeInForce::Gtc, false, true});
        QTRY_VERIFY_WITH_TIMEOUT(rig.view(1)->manualNotice.find("halted") != std::string::npos, 5000);
        QVERIFY(rig.view(1)->openOrders.empty());
        rig.shutdown();
    }

    // Part 5: an order far from the mid is not sent unless the trader confirmed it; confirmed, it goes.
    void fatFingerOrderNeedsConfirmation() {
        Rig rig(noStrategy(), {}, FatFingerLimits{5, Decimal::parse("1000")});
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.twoSided(1), 20000);
        const Price far = *Price::parse("80.00"); // about 20 % under the mid of ~100
        rig.engine->placeManualOrder(1, ManualOrder{Side::Bid, far, *Quantity::parse("0.1")});
        QTRY_VERIFY_WITH_TIMEOUT(rig.manualOrder(1, OrderStatus::Rejected).has_value(), 5000);
        const auto refused = *rig.manualOrder(1, OrderStatus::Rejected);
        QVERIFY2(refused.reason.find("fat-finger") != std::string::npos &&
                     refused.reason.find("% from the mid") != std::string::npos,
                 refused.reason.c_str());
        QVERIFY(rig.view(1)->openOrders.empty());
        // Too large a notional asks as well, even at the touch.
        const Price bid = rig.view(1)->bids.front().price;
        rig.engine->placeManualOrder(1, ManualOrder{Side::Bid, bid, *Quantity::parse("20")});
        QTRY_VERIFY_WITH_TIMEOUT(rig.view(1)->manualNotice.find("notional") != std::string::npos, 5000);
        QVERIFY(rig.view(1)->openOrders.empty());

        rig.engine->placeManualOrder(
            1, ManualOrder{Side::Bid, far, *Quantity::parse("0.1"), TimeInForce::Gtc, false, true});
        QTRY_VERIFY_WITH_TIMEOUT(rig.manualOrder(1, OrderStatus::Open).has_value(), 5000);
        QCOMPARE(rig.manualOrder(1, OrderStatus::Open)->price, far);
        // Shut down: the trader's order is cancelled with everything else and the close-out is clean.
        const auto report = rig.shutdown();
        QVERIFY(report.allClean());
        QCOMPARE(report.ordersLeft(), std::uint64_t(0));
        QVERIFY(rig.manualOrder(1, OrderStatus::Cancelled).has_value());
    }

    // Part 4: cancel-all cancels the market's working orders; flatten closes the position at the touch.
    void cancelAllAndFlatten() {
        Rig rig(noStrategy(), {}, FatFingerLimits{50, std::nullopt});
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.twoSided(0), 20000);
        const Price far = *Price::parse("90.00");
        rig.engine->placeManualOrder(
            0, ManualOrder{Side::Bid, far, *Quantity::parse("0.1"), TimeInForce::Gtc, false, true});
        rig.engine->placeManualOrder(
            0, ManualOrder{Side::Bid, far, *Quantity::parse("0.2"), TimeInForce::Gtc, false, true});
        QTRY_COMPARE_WITH_TIMEOUT(rig.view(0)->openOrders.size(), std::size_t(2), 5000);
        rig.engine->cancelMarketOrders(0);
        QTRY_VERIFY_WITH_TIMEOUT(rig.view(0)->openOrders.empty(), 5000);

        // Buy 0.5 through the ask: a long position; flatten sells it at the best bid.
        rig.engine->placeManualOrder(0, ManualOrder{Side::Bid, through(*rig.view(0), Side::Bid),
                                                    *Quantity::parse("0.5"), TimeInForce::Ioc, false, true});
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->moneyNow()->markets.at(0).position.isPositive(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.view(0)->openOrders.empty(), 5000); // IOC: nothing rests
        const Decimal long_ = rig.engine->moneyNow()->markets.at(0).position;
        // A tight flatten band would refuse; with the default (1 %) the sim's touch is inside it.
        rig.engine->flatten(0);
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->moneyNow()->markets.at(0).position.isZero() ||
                                     rig.view(0)->manualNotice.find("flatten refused") == 0,
                                 10000);
        QVERIFY2(rig.engine->moneyNow()->markets.at(0).position.isZero(),
                 qPrintable(QString("position %1 (was %2); %3")
                                .arg(rig.engine->moneyNow()->markets.at(0).position.toTrimmedString().c_str(),
                                     long_.toTrimmedString().c_str(), rig.view(0)->manualNotice.c_str())));
        // Flat: flatten has nothing to do and says so.
        rig.engine->flatten(0);
        QTRY_VERIFY_WITH_TIMEOUT(rig.view(0)->manualNotice.find("no position") != std::string::npos, 5000);
        QVERIFY(rig.shutdown().allClean());
    }
};

QTEST_GUILESS_MAIN(TestManualOrders)
#include "tst_manualorders.moc"
