// Reconnect storm: the fake exchange refuses every connection for a while (default two minutes);
// the connector's attempts — market-data stream and, with API keys, the user data stream, each
// with its own backoff — must stay within their budget, and once the exchange takes connections
// again the connector must recover by itself: its book matches the exchange's and the order stream
// is up again.
// Usage: binance_storm [--seconds S]      exit code 0 when within budget and recovered
#include "fakebinanceexchange.h"
#include "healthdetail.h"

#include "binance/binanceconnectorfactory.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "strategy/strategyfactory.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <cstdio>

using namespace md;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    logging::init({spdlog::level::err, true, {}});
    double seconds = 120;
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args[i] == "--seconds")
            seconds = args[i + 1].toDouble();
    const int initialMs = 500, maxMs = 30000;

    test::FakeBinanceExchange exchange;
    exchange.setUpdateIntervalMs(50);
    exchange.listen();
    exchange.setCredentials("storm-key", "storm-secret");
    qputenv("MD_STORM_KEY", "storm-key");
    qputenv("MD_STORM_SECRET", "storm-secret");
    // Factories live as long as the process (engine/connector.h): an abandoned executor may still run
    // its connector's code after this function returns. Allocated and never deleted.
    BinanceConnectorFactory& factory = *new BinanceConnectorFactory;
    MarketSpec spec;
    spec.name = "BINANCE";
    spec.connector = "binance";
    spec.instrument.symbol = "BTCUSDT";
    spec.instrument.tick = Price(1, 2);
    spec.instrument.step = Quantity(1, 5);
    spec.settings = QJsonObject{{"rest_url", exchange.restUrl()},
                                {"stream_url", exchange.streamUrl()},
                                {"ws_api_url", exchange.wsApiUrl()},
                                {"backoff_initial_ms", initialMs},
                                {"backoff_max_ms", maxMs},
                                {"api_key_env", "MD_STORM_KEY"},
                                {"api_secret_env", "MD_STORM_SECRET"}};
    EngineSettings settings;
    Engine engine(settings, {{spec, &factory, true}}, findStrategyFactory("none")->create({{"kind", "none"}}, {spec}));
    engine.start();
    auto synced = [&] {
        auto view = engine.marketView(0);
        const auto [bid, ask] = exchange.bestBidAsk();
        const auto health = engine.health();
        const bool orderStreamUp = test::detail(health[0], "order_stream_up") == 1.0;
        return view && !view->bids.empty() && health[0].state == MarketState::Running && orderStreamUp &&
               view->bids.front().price == *Price::parse(bid.toStdString()) &&
               view->asks.front().price == *Price::parse(ask.toStdString());
    };
    if (!QTest::qWaitFor(synced, 10000)) {
        std::printf("never synced\n0 passed, 1 failed\n");
        return 1;
    }
    exchange.refuseConnectionsFor(static_cast<int>(seconds * 1000));
    exchange.dropConnections(); // the market-data stream and the WebSocket API session
    QElapsedTimer clock;
    clock.start();
    std::vector<int> perMinute;
    int last = 0;
    while (clock.elapsed() < seconds * 1000) {
        QTest::qWait(std::min<int>(60000, static_cast<int>(seconds * 1000 - clock.elapsed())));
        perMinute.push_back(exchange.connectionsRefused() - last);
        last = exchange.connectionsRefused();
    }
    // The budget: 500 ms doubling to 30 s with +20 % jitter at most, so at least this long between
    // tries — for each of the two streams.
    int perStream = 0;
    for (double t = 0, wait = initialMs * 0.8; t < seconds * 1000;
         t += wait, wait = std::min<double>(maxMs * 0.8, wait * 2))
        ++perStream;
    const int budget = 2 * perStream;
    QElapsedTimer recovery;
    recovery.start();
    exchange.pauseUpdates(true);
    const bool recovered = QTest::qWaitFor(synced, maxMs * 1.3 + 5000);
    std::printf("refused for %.0f s: %d connection attempts, market data + WebSocket API (budget %d = 2 x %d); "
                "per minute:",
                seconds, exchange.connectionsRefused(), budget, perStream);
    for (int n : perMinute)
        std::printf(" %d", n);
    std::printf("\nrecovered by itself %s in %.1f s after the exchange came back; book matches and order stream "
                "up: %s\n",
                recovered ? "yes" : "NO", recovery.elapsed() / 1000.0, recovered ? "yes" : "no");
    const bool ok = recovered && exchange.connectionsRefused() <= budget;
    std::printf("%d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
    std::fflush(stdout);
    std::_Exit(ok ? 0 : 1);
}
