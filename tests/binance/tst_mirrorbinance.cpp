// The Mirror strategy across two kinds of market: a simulated liquid source and a Binance
// destination on the fake exchange (loopback, signed REST, user data stream). Quotes copied from
// the source rest on the fake exchange; a counterparty fills them there; the fills reach the
// strategy over the user data stream and are recouped on the simulated source. The exposure
// invariant holds throughout, no placement is duplicated, and the close-out leaves nothing open.
#include "fakebinanceexchange.h"

#include "binance/binanceconnectorfactory.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "sim/simconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace md;

namespace {

Quantity sumQuantity(const std::vector<FillView>& fills, int scale) {
    Quantity total(0, scale);
    for (const auto& f : fills)
        total += f.quantity;
    return total;
}

} // namespace

class TestMirrorBinance : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void mirrorsTheSimulatedSourceOntoBinanceAndRecoups() {
        md::test::FakeBinanceExchange exchange;
        exchange.setUpdateIntervalMs(20);
        QVERIFY(exchange.listen());
        exchange.setCredentials("mirror-key", "mirror-secret");
        qputenv("MD_MIRROR_BINANCE_KEY", "mirror-key");
        qputenv("MD_MIRROR_BINANCE_SECRET", "mirror-secret");

        MarketSpec source;
        source.id = 0;
        source.name = "SIM-SOURCE";
        source.connector = "sim";
        source.instrument = {"BTCUSDT", "BTC", "USDT", *Price::parse("0.01"), *Quantity::parse("0.00001")};
        source.settings = {{"seed", 5}, {"mid", "64250.00"}, {"events_per_second", 400}, {"latency_ms", 2}};
        MarketSpec destination;
        destination.id = 1;
        destination.name = "BINANCE";
        destination.connector = "binance";
        destination.instrument = {"BTCUSDT", "BTC", "USDT", *Price::parse("0.01"), *Quantity::parse("0.00001")};
        destination.settings = {{"rest_url", exchange.restUrl()},
                                {"stream_url", exchange.streamUrl()},
                                {"ws_api_url", exchange.wsApiUrl()},
                                {"backoff_initial_ms", 100},
                                {"request_timeout_ms", 3000},
                                {"api_key_env", "MD_MIRROR_BINANCE_KEY"},
                                {"api_secret_env", "MD_MIRROR_BINANCE_SECRET"}};
        destination.orderTag = "mirrortest";
        const QJsonObject params{{"kind", "mirror"}, {"source", "SIM-SOURCE"},    {"destination", "BINANCE"},
                                 {"level", 2},       {"max_exposure", "0.00500"}, {"order_quantity", "0.00200"}};
        const std::vector<MarketSpec> specs{source, destination};
        // Factories live as long as the process (engine/connector.h): an abandoned executor may still
        // run its connector's code after this test returns. Allocated and never deleted.
        SimConnectorFactory& sim = *new SimConnectorFactory;
        BinanceConnectorFactory& binance = *new BinanceConnectorFactory;
        QVERIFY(!sim.validate(source.settings, "settings"));
        QVERIFY(!binance.validate(destination.settings, "settings"));
        const StrategyFactory* factory = findStrategyFactory("mirror");
        QVERIFY(!factory->validate(params, specs, "strategy"));
        EngineSettings settings;
        settings.graceSeconds = 5;
        Engine engine(settings, {{source, &sim, true}, {destination, &binance, true}}, factory->create(params, specs));
        engine.start();

        const Quantity maxExposure = *Quantity::parse("0.00500");
        QElapsedTimer timer;
        timer.start();
        int quotesSeen = 0;
        bool recouped = false;
        while (!recouped && timer.elapsed() < 30000) {
            QTest::qWait(50);
            for (const auto& o : exchange.openOrders()) {
                // Our quotes, under this run's tag; a counterparty takes half of each.
                QVERIFY2(o.clientOrderId.startsWith("md-mirrortest-"), qPrintable(o.clientOrderId));
                ++quotesSeen;
            }
            if (!exchange.openOrders().empty())
                exchange.fillRestingOrders("0.00100");
            auto src = engine.marketView(0);
            auto dst = engine.marketView(1);
            if (!src || !dst)
                continue;
            Quantity open(0, 5);
            for (const auto& o : dst->openOrders)
                open += o.quantity - o.filled;
            const Quantity unrecouped = sumQuantity(dst->fills, 5) - sumQuantity(src->fills, 5);
            QVERIFY2(
                open + maxOf(unrecouped, Quantity(0, 5)) <= maxExposure,
                qPrintable(
                    QString("open %1 + unrecouped %2").arg(open.toString().c_str(), unrecouped.toString().c_str())));
            recouped =
                !dst->fills.empty() && !src->fills.empty() && sumQuantity(src->fills, 5) >= sumQuantity(dst->fills, 5);
        }
        {
            auto src = engine.marketView(0);
            auto dst = engine.marketView(1);
            qInfo("after %lld ms: %d quote sightings on the exchange; %zu fill(s) on Binance (%s), %zu on the source "
                  "(%s)",
                  timer.elapsed(), quotesSeen, dst->fills.size(), sumQuantity(dst->fills, 5).toString().c_str(),
                  src->fills.size(), sumQuantity(src->fills, 5).toString().c_str());
        }
        QVERIFY2(quotesSeen > 0, "no quote of the mirror reached the fake exchange");
        QVERIFY2(recouped, "no fill on Binance was recouped on the simulated source within 30 s");
        QCOMPARE(exchange.duplicatePlacements(), 0);
        QCOMPARE(exchange.signatureFailures(), 0);

        QSignalSpy finished(&engine, &Engine::shutdownFinished);
        engine.beginShutdown();
        QVERIFY(finished.wait(15000));
        const auto report = finished.at(0).at(0).value<ShutdownReport>();
        QVERIFY(report.allClean());
        QVERIFY(report.markets.at(1).verified);
        QVERIFY(report.markets.at(1).openOnExchange.empty());
        QVERIFY(exchange.openOrders().empty());
    }
};

QTEST_GUILESS_MAIN(TestMirrorBinance)
#include "tst_mirrorbinance.moc"
