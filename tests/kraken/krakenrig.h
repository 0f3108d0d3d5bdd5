#pragma once

// One Kraken market of the real engine on the fake Kraken exchange (loopback, ephemeral ports), with a
// strategy the test commands (tests/binance/commandedstrategy.h: venue-neutral test helpers).
#include "commandedstrategy.h"
#include "fakekrakenexchange.h"
#include "healthdetail.h"

#include "engine/engine.h"
#include "kraken/krakenconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QTest>

namespace md::test {

struct KrakenRig {
    FakeKrakenExchange exchange;
    KrakenConnectorFactory factory;
    std::shared_ptr<OrderLog> orders = std::make_shared<OrderLog>();
    std::unique_ptr<Engine> engine;
    MarketSpec spec;
    EngineSettings engineSettings;

    /// keys: the fake's credentials go into the settings (order entry on); extra: more settings.
    explicit KrakenRig(bool keys = false, QJsonObject extra = {}, int updateMs = 20) {
        exchange.setUpdateIntervalMs(updateMs);
        exchange.setHeartbeatIntervalMs(200);
        if (!exchange.listen())
            qFatal("fake Kraken cannot listen");
        spec.name = "KRAKEN";
        spec.connector = "kraken";
        spec.orderTag = "t1";
        spec.instrument.symbol = "BTC/USD";
        spec.instrument.base = "BTC";
        spec.instrument.quote = "USD";
        spec.instrument.tick = Price(1, 1);
        spec.instrument.step = Quantity(1, 8);
        spec.settings = exchange.settings();
        spec.settings["silence_timeout_ms"] = 3000;
        spec.settings["answer_timeout_ms"] = 1000;
        if (keys) {
            spec.settings["api_key"] = "fake-kraken-key";
            spec.settings["api_secret"] = "ZmFrZS1rcmFrZW4tc2VjcmV0LWZvci10ZXN0cy1vbmx5LXBhZGRpbmctcGFkZGluZw==";
        }
        for (auto it = extra.begin(); it != extra.end(); ++it)
            spec.settings[it.key()] = it.value();
        if (auto error = factory.validate(spec.settings, "settings"))
            qFatal("%s", error->c_str());
    }
    void start(std::unique_ptr<Strategy> strategy = {}) {
        engineSettings.graceSeconds = 8;
        if (!strategy)
            strategy = std::make_unique<CommandedStrategy>(orders);
        engine = std::make_unique<Engine>(engineSettings, std::vector<MarketSetup>{{spec, &factory, true}},
                                          std::move(strategy));
        engine->start();
    }
    MarketHealth health() const { return engine->health().at(0); }
    /// Pauses the exchange and checks that our book's top equals the exchange's and the market runs.
    bool matchesExchange(int timeoutMs = 5000) {
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
            timeoutMs);
        exchange.pauseUpdates(false);
        return ok;
    }
    /// The strategy places (at its next event).
    void place(ClientOrderId id, Side side, const char* price, const char* qty) {
        orders->command({0, PlaceLimit{side, *Price::parse(price, 1), *Quantity::parse(qty, 8), id}});
    }
    void cancel(ClientOrderId id) { orders->command({0, CancelOrder{id}}); }
    /// Waits until the order stream is up (executions snapshot received) and the market trades (the
    /// stale-data breaker has let go: a placement before that is refused by the engine, not by Kraken).
    bool ordersUp(int timeoutMs = 8000) {
        return QTest::qWaitFor(
            [&] {
                const MarketHealth h = health();
                return detail(h, "order_stream_up") == 1.0 && h.state == MarketState::Running &&
                       h.tradingState == "active";
            },
            timeoutMs);
    }
    std::string last(ClientOrderId id) const { return orders->last(id); }
};

} // namespace md::test
