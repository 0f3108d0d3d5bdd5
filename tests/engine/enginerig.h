#pragma once

#include "scriptedconnector.h"

#include "engine/engine.h"

#include <QSignalSpy>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

namespace md::test {

/// The engine tests exercise threads, not limits: let every order through unless a test says otherwise.
inline RiskLimits roomyLimits() {
    RiskLimits limits;
    limits.maxOrdersPerSecond = 1e9;
    limits.orderBurst = 1e9;
    limits.maxOpenOrders = 1 << 30;
    limits.maxOrderNotional.reset();
    return limits;
}

/// Roomy limits with a stale-data breaker that trips after 0.3 s without a book update.
inline RiskLimits staleAfterAFraction() {
    RiskLimits limits = roomyLimits();
    limits.staleDataSeconds = 0.3;
    return limits;
}

/// Market A ("normal") feeds a PingStrategy that places on market B (the behaviour under test),
/// plus any further markets. The connector factory is never deleted: threads abandoned by a test
/// may still run its connectors' code after the test (ScriptedConnectorFactory).
struct Rig {
    const ScriptedConnectorFactory& factory = *new ScriptedConnectorFactory;
    PingStrategy* strategy = nullptr;
    std::unique_ptr<Engine> engine;

    Rig(const std::string& behaviourB, double grace = 0.5, int every = 10, RiskLimits risk = roomyLimits(),
        const std::function<void(EngineSettings&)>& tune = {}, const std::vector<std::string>& more = {}) {
        std::vector<MarketSetup> markets{{scriptedMarket(0, "A", "normal"), &factory, true},
                                         {scriptedMarket(1, "B", behaviourB), &factory, true}};
        for (std::size_t i = 0; i < more.size(); ++i) {
            const auto id = static_cast<MarketId>(2 + i);
            markets.push_back({scriptedMarket(id, std::string(1, char('C' + i)), more[i]), &factory, true});
        }
        auto s = std::make_unique<PingStrategy>(0, 1, every);
        strategy = s.get();
        EngineSettings settings;
        settings.graceSeconds = grace;
        settings.strategyTimeoutSeconds = 0.2;
        settings.risk = risk;
        if (tune)
            tune(settings);
        engine = std::make_unique<Engine>(settings, std::move(markets), std::move(s));
    }
    MarketHealth health(MarketId id) const { return engine->health().at(id); }
    /// Runs the orderly shutdown and returns its report (empty when it did not finish in time).
    ShutdownReport shutdown(int timeoutMs = 5000) {
        QSignalSpy finished(engine.get(), &Engine::shutdownFinished);
        engine->beginShutdown();
        if (!finished.wait(timeoutMs))
            return {};
        return finished.at(0).at(0).value<ShutdownReport>();
    }
};

/// A desk of two strategies sharing market B (issue 17): "s0" pings A -> B, "s1" pings C -> B.
/// Strategy `i` is owner i.
struct Desk {
    const ScriptedConnectorFactory& factory = *new ScriptedConnectorFactory;
    std::vector<PingStrategy*> strategies;
    std::unique_ptr<Engine> engine;

    explicit Desk(std::vector<StrategyLimits> limits = {{}, {}}, int every = 10) {
        std::vector<MarketSetup> markets{{scriptedMarket(0, "A", "normal"), &factory, true},
                                         {scriptedMarket(1, "B", "normal"), &factory, true},
                                         {scriptedMarket(2, "C", "normal"), &factory, true}};
        std::vector<StrategySetup> setups;
        auto s0 = std::make_unique<PingStrategy>(0, 1, every);
        auto s1 = std::make_unique<PingStrategy>(2, 1, every);
        strategies = {s0.get(), s1.get()};
        setups.push_back({"s0", std::move(s0), {0, 1}, limits.at(0)});
        setups.push_back({"s1", std::move(s1), {1, 2}, limits.at(1)});
        EngineSettings settings;
        settings.graceSeconds = 0.5;
        settings.strategyTimeoutSeconds = 0.2;
        settings.risk = roomyLimits();
        engine = std::make_unique<Engine>(settings, std::move(markets), std::move(setups));
    }
    /// Disjoint markets (issue 17 part 6): "s0" pings A -> B (B's behaviour given), "s1" pings C -> D.
    Desk(const std::string& behaviourB, int every) {
        std::vector<MarketSetup> markets{{scriptedMarket(0, "A", "normal"), &factory, true},
                                         {scriptedMarket(1, "B", behaviourB), &factory, true},
                                         {scriptedMarket(2, "C", "normal"), &factory, true},
                                         {scriptedMarket(3, "D", "normal"), &factory, true}};
        auto s0 = std::make_unique<PingStrategy>(0, 1, every);
        auto s1 = std::make_unique<PingStrategy>(2, 3, every);
        strategies = {s0.get(), s1.get()};
        std::vector<StrategySetup> setups;
        setups.push_back({"s0", std::move(s0), {0, 1}, {}});
        setups.push_back({"s1", std::move(s1), {2, 3}, {}});
        EngineSettings settings;
        settings.graceSeconds = 0.5;
        settings.strategyTimeoutSeconds = 0.2;
        settings.risk = roomyLimits();
        settings.risk.stuckActionSeconds = 0.3;
        engine = std::make_unique<Engine>(settings, std::move(markets), std::move(setups));
    }
    /// Open orders of `owner` on market B as the window sees them.
    std::size_t openOn(MarketId market, OwnerId owner) const {
        auto view = engine->marketView(market);
        if (!view)
            return 0;
        return static_cast<std::size_t>(std::count_if(view->openOrders.begin(), view->openOrders.end(),
                                                      [&](const OrderView& o) { return o.owner == owner; }));
    }
    StrategyState state(OwnerId owner) const { return engine->strategies().at(owner).state; }
};

} // namespace md::test
