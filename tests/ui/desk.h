#pragma once
// A desk for window tests: two simulated markets (SIM-LIQUID, SIM-THIN) under a real engine and the
// real window, offscreen. Shared by the window test suites.

#include "mainwindow.h"

#include "engine/engine.h"
#include "sim/simconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

// Waits until `expr` has been true once. QTRY_VERIFY evaluates its expression again after the wait, so
// a live count that dips — open orders, between a requote's cancel and its placement — can fail it
// although the condition was met.
#define MD_TRY_SEEN(expr, timeout)                                                                                     \
    do {                                                                                                               \
        bool seen_ = false;                                                                                            \
        QTRY_VERIFY_WITH_TIMEOUT(seen_ = seen_ || (expr), timeout);                                                    \
    } while (false)

#include <memory>

namespace md::test {

inline MarketSpec simSpec(MarketId id, const char* name, const char* tick, QJsonObject settings) {
    MarketSpec spec;
    spec.id = id;
    spec.name = name;
    spec.connector = "sim";
    spec.instrument.symbol = "BTCUSDT";
    spec.instrument.base = "BTC";
    spec.instrument.quote = "USDT";
    spec.instrument.tick = *Price::parse(tick);
    spec.instrument.step = *Quantity::parse("0.0001");
    spec.settings = std::move(settings);
    return spec;
}

inline QJsonObject mirror() {
    return {{"kind", "mirror"},
            {"source", "SIM-LIQUID"},
            {"destination", "SIM-THIN"},
            {"max_exposure", "0.5"},
            {"order_quantity", "0.05"}};
}

inline QJsonObject marketMaker() {
    return {{"kind", "market_maker"},
            {"market", "SIM-THIN"},
            {"half_spread_ticks", 8},
            {"order_quantity", "0.01"},
            {"max_position", "1"}};
}

struct DeskOptions {
    QJsonObject strategy = mirror();
    double grace = 1.0;
    int liquidRate = 3000;
    QJsonObject thinExtra;
    double strategyTimeout = 0.3;
    double staleDataSeconds = 10;
    std::unique_ptr<Strategy> customStrategy; // instead of `strategy` when set
    // A desk of strategies instead (issue 17): each {"id", "markets": [names], kind and parameters}.
    std::vector<QJsonObject> strategies;
    ManualTradingSettings manual; // the ticket's guard, click mode and hotkeys
};

struct Desk {
    // Never deleted: a factory lives as long as the process (ConnectorFactory): an abandoned thread may
    // still use it after the desk is gone.
    const SimConnectorFactory& sim = *new SimConnectorFactory;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<MainWindow> window;

    explicit Desk(const QJsonObject& strategy, double grace = 1.0, int liquidRate = 3000, QJsonObject thinExtra = {})
        : Desk([&] {
            DeskOptions o;
            o.strategy = strategy;
            o.grace = grace;
            o.liquidRate = liquidRate;
            o.thinExtra = std::move(thinExtra);
            return o;
        }()) {}

    explicit Desk(DeskOptions o) {
        QJsonObject thin{{"seed", 11}, {"mid", "64250.00"}, {"events_per_second", 200}, {"latency_ms", 5}};
        for (auto it = o.thinExtra.begin(); it != o.thinExtra.end(); ++it)
            thin.insert(it.key(), it.value());
        std::vector<MarketSpec> specs{
            simSpec(0, "SIM-LIQUID", "0.01",
                    {{"seed", 7}, {"mid", "64250.00"}, {"events_per_second", o.liquidRate}, {"latency_ms", 3}}),
            simSpec(1, "SIM-THIN", "0.10", thin)};
        EngineSettings settings;
        settings.graceSeconds = o.grace;
        settings.strategyTimeoutSeconds = o.strategyTimeout;
        settings.risk.maxOrdersPerSecond = 100;
        settings.risk.orderBurst = 100;
        settings.risk.staleDataSeconds = o.staleDataSeconds;
        settings.manual = o.manual;
        std::unique_ptr<Strategy> strategy =
            o.customStrategy
                ? std::move(o.customStrategy)
                : findStrategyFactory(o.strategy.value("kind").toString().toStdString())->create(o.strategy, specs);
        std::vector<MarketSetup> markets{{specs[0], &sim, true}, {specs[1], &sim, true}};
        if (o.strategies.empty()) {
            engine = std::make_unique<Engine>(settings, std::move(markets), std::move(strategy));
        } else {
            std::vector<StrategySetup> setups;
            for (QJsonObject s : o.strategies) {
                StrategySetup setup;
                setup.id = s.take("id").toString().toStdString();
                std::vector<MarketSpec> traded;
                for (const auto& name : s.take("markets").toArray())
                    for (const auto& spec : specs)
                        if (spec.name == name.toString().toStdString()) {
                            traded.push_back(spec);
                            setup.markets.push_back(spec.id);
                        }
                setup.strategy = findStrategyFactory(s.value("kind").toString().toStdString())->create(s, traded);
                setup.params = s;
                setups.push_back(std::move(setup));
            }
            engine = std::make_unique<Engine>(settings, std::move(markets), std::move(setups));
        }
        window = std::make_unique<MainWindow>(*engine);
        window->setReportHoldMs(0);
        window->show();
        engine->start();
    }
    ~Desk() {
        window.reset();
        engine.reset();
    }
    MarketHealth health(MarketId m) const { return engine->health().at(m); }
};

/// Answers the next modal message box with the button whose text contains `button` (or records that
/// none came): arm it before the call that opens the box.
struct BoxAnswer {
    QString seen;
    bool came = false;
    void answer(const QString& button, int afterMs = 0) {
        QTimer::singleShot(afterMs, [this, button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box)
                return;
            came = true;
            seen = box->text() + " " + box->informativeText();
            for (auto* b : box->buttons())
                if (b->text().contains(button, Qt::CaseInsensitive)) {
                    b->click();
                    return;
                }
            box->reject();
        });
    }
};

} // namespace md::test
