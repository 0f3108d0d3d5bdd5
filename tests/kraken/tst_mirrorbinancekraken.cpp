// Mirror across two real venues: the liquid source is Binance (fake Binance: REST, combined stream, user
// data stream), the destination Kraken (fake Kraken: WebSocket v2, checksummed book, orders over the
// authenticated socket), both quoted in USDT. Quotes copied from Binance's book rest on Kraken; a
// counterparty fills them there; the fills are recouped on Binance. Faults on each side while it runs —
// a perturbed Kraken level (checksum mismatch) and dropped Kraken connections, dropped Binance streams —
// and the exposure invariant (open requested volume + unrecouped fills <= max_exposure) holds at every
// look; no placement is duplicated on either exchange, and the close-out leaves nothing open on either.
#include "fakebinanceexchange.h"
#include "fakekrakenexchange.h"
#include "healthdetail.h"

#include "binance/binanceconnectorfactory.h"
#include "engine/engine.h"
#include "kraken/krakenconnectorfactory.h"
#include "logging/logging.h"
#include "strategy/strategyfactory.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace md;

namespace {

Quantity sumQuantity(const std::vector<FillView>& fills, int scale) {
    Quantity total(0, scale);
    for (const auto& f : fills)
        total += f.quantity.rescaled(scale).value_or(Quantity(0, scale));
    return total;
}

} // namespace

class TestMirrorBinanceKraken : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void mirrorsBinanceOntoKrakenAndRecoupsThroughFaults() {
        test::FakeBinanceExchange binanceExchange;
        binanceExchange.setUpdateIntervalMs(20);
        QVERIFY(binanceExchange.listen());
        binanceExchange.setCredentials("mirror-key", "mirror-secret");
        qputenv("MD_X_BINANCE_KEY", "mirror-key");
        qputenv("MD_X_BINANCE_SECRET", "mirror-secret");
        test::FakeKrakenExchange krakenExchange("BTC/USDT");
        krakenExchange.setUpdateIntervalMs(20);
        krakenExchange.setHeartbeatIntervalMs(200);
        QVERIFY(krakenExchange.listen());

        MarketSpec source;
        source.id = 0;
        source.name = "BINANCE";
        source.connector = "binance";
        source.instrument = {"BTCUSDT", "BTC", "USDT", *Price::parse("0.01"), *Quantity::parse("0.00001")};
        source.settings = {{"rest_url", binanceExchange.restUrl()},
                           {"stream_url", binanceExchange.streamUrl()},
                           {"ws_api_url", binanceExchange.wsApiUrl()},
                           {"backoff_initial_ms", 100},
                           {"request_timeout_ms", 3000},
                           {"api_key_env", "MD_X_BINANCE_KEY"},
                           {"api_secret_env", "MD_X_BINANCE_SECRET"}};
        source.orderTag = "xb";
        MarketSpec destination;
        destination.id = 1;
        destination.name = "KRAKEN";
        destination.connector = "kraken";
        destination.instrument = {"BTC/USDT", "BTC", "USDT", *Price::parse("0.1"), *Quantity::parse("0.00000001")};
        destination.settings = krakenExchange.settings();
        destination.settings["api_key"] = "fake-kraken-key";
        destination.settings["api_secret"] = "ZmFrZS1rcmFrZW4tc2VjcmV0LWZvci10ZXN0cy1vbmx5LXBhZGRpbmctcGFkZGluZw==";
        destination.settings["answer_timeout_ms"] = 2000;
        destination.settings["dead_man_timeout_seconds"] = 10;
        destination.settings["dead_man_refresh_seconds"] = 2;
        destination.orderTag = "xk";
        const QJsonObject params{{"kind", "mirror"}, {"source", "BINANCE"},       {"destination", "KRAKEN"},
                                 {"level", 2},       {"max_exposure", "0.00500"}, {"order_quantity", "0.00200"}};
        const std::vector<MarketSpec> specs{source, destination};
        auto& binance = *new BinanceConnectorFactory; // factories live as long as the process
        auto& kraken = *new KrakenConnectorFactory;
        QVERIFY(!binance.validate(source.settings, "settings"));
        QVERIFY(!kraken.validate(destination.settings, "settings"));
        const StrategyFactory* factory = findStrategyFactory("mirror");
        QVERIFY(!factory->validate(params, specs, "strategy"));
        EngineSettings settings;
        settings.graceSeconds = 8;
        Engine engine(settings, {{source, &binance, true}, {destination, &kraken, true}},
                      factory->create(params, specs));
        engine.start();

        const Quantity maxExposure = *Quantity::parse("0.00500");
        QElapsedTimer timer;
        timer.start();
        int quotesSeen = 0, recoups = 0;
        // Phases: 0 first recoup; 1 Kraken's checksum mismatch; 2 Kraken's connections dropped and back,
        // then a recoup; 3 Binance's streams dropped and back, then a recoup; 4 done.
        int phase = 0;
        auto running = [&](int market) { return engine.health().at(market).state == MarketState::Running; };
        Quantity lastRecouped(0, 8);
        while (timer.elapsed() < 90000 && phase < 4) {
            QTest::qWait(50);
            for (const auto& o : krakenExchange.openOrders()) {
                QVERIFY2(o.clOrdId.startsWith("md-xk-"), qPrintable(o.clOrdId));
                ++quotesSeen;
            }
            if (!krakenExchange.openOrders().empty() && timer.elapsed() % 500 < 60)
                krakenExchange.fillRestingOrders("0.001"); // a counterparty takes half of each quote
            auto src = engine.marketView(0);
            auto dst = engine.marketView(1);
            if (!src || !dst)
                continue;
            Quantity open(0, 8);
            for (const auto& o : dst->openOrders)
                open += *(o.quantity - o.filled).rescaled(8);
            const Quantity krakenFilled = sumQuantity(dst->fills, 8);
            const Quantity recouped = sumQuantity(src->fills, 8);
            const Quantity unrecouped = krakenFilled - recouped;
            QVERIFY2(
                open + maxOf(unrecouped, Quantity(0, 8)) <= maxExposure,
                qPrintable(
                    QString("open %1 + unrecouped %2").arg(open.toString().c_str(), unrecouped.toString().c_str())));
            const bool newRecoup = recouped > lastRecouped && recouped >= krakenFilled;
            if (newRecoup) {
                ++recoups;
                lastRecouped = recouped;
            }
            if (phase == 0 && newRecoup) {
                krakenExchange.perturbNextLevel();
                phase = 1;
            } else if (phase == 1 && test::detail(engine.health().at(1), "checksum_failures") >= 1 && running(1)) {
                krakenExchange.dropConnections();
                phase = 2;
            } else if (phase == 2 && newRecoup && running(1) &&
                       test::detail(engine.health().at(1), "order_stream_reconnects") >= 1) {
                binanceExchange.dropConnections(); // the market-data stream and the WebSocket API session
                phase = 3;
            } else if (phase == 3 && newRecoup && running(0) &&
                       test::detail(engine.health().at(0), "reconnects") >= 1) {
                phase = 4;
            }
        }
        QCOMPARE(phase, 4);
        auto src = engine.marketView(0);
        auto dst = engine.marketView(1);
        qInfo("after %lld ms: %d quote sightings on Kraken; %zu fill(s) on Kraken (%s), %zu recoup fill(s) on Binance "
              "(%s); %d recoups; Kraken reconnects %.0f, checksum failures %.0f; Binance reconnects %.0f",
              timer.elapsed(), quotesSeen, dst->fills.size(), sumQuantity(dst->fills, 8).toString().c_str(),
              src->fills.size(), sumQuantity(src->fills, 8).toString().c_str(), recoups,
              test::detail(engine.health().at(1), "reconnects"),
              test::detail(engine.health().at(1), "checksum_failures"),
              test::detail(engine.health().at(0), "reconnects"));
        QVERIFY2(quotesSeen > 0, "no quote of the mirror reached Kraken");
        QVERIFY2(recoups >= 3, "fewer than three Kraken fills were recouped on Binance");
        QVERIFY(test::detail(engine.health().at(1), "reconnects") >= 1);
        QCOMPARE(krakenExchange.duplicatePlacements(), 0);
        QCOMPARE(binanceExchange.duplicatePlacements(), 0);
        QCOMPARE(binanceExchange.signatureFailures(), 0);
        QCOMPARE(krakenExchange.signatureFailures(), 0);

        QSignalSpy finished(&engine, &Engine::shutdownFinished);
        engine.beginShutdown();
        QVERIFY(finished.wait(20000));
        const auto report = finished.at(0).at(0).value<ShutdownReport>();
        QVERIFY(report.allClean());
        // Fees end to end over both venues (issue 15): Binance's commission (`n`/`N`, in the asset received),
        // Kraken's `fees` of each execution (in the quote, the fake's 0.26 %), in the close-out's money.
        const MarketMoney& binanceMoney = report.money.markets.at(0);
        const MarketMoney& krakenMoney = report.money.markets.at(1);
        auto feesText = [](const MarketMoney& m) {
            std::string out;
            for (const auto& [asset, fee] : m.fees)
                out += asset + " " + fee.toTrimmedString() + " ";
            return out;
        };
        qInfo("fees: BINANCE %s(in quote %s); KRAKEN %s(in quote %s)", feesText(binanceMoney).c_str(),
              binanceMoney.feesInQuote.toTrimmedString().c_str(), feesText(krakenMoney).c_str(),
              krakenMoney.feesInQuote.toTrimmedString().c_str());
        QVERIFY2(binanceMoney.feesInQuote.isPositive(), feesText(binanceMoney).c_str());
        QVERIFY2(krakenMoney.feesInQuote.isPositive(), feesText(krakenMoney).c_str());
        QVERIFY2(krakenMoney.fees.count("USDT") == 1, feesText(krakenMoney).c_str());
        QVERIFY(report.markets.at(1).verified);
        QVERIFY(report.markets.at(1).openOnExchange.empty());
        QVERIFY(krakenExchange.openOrders().empty());
        QVERIFY(binanceExchange.openOrders().empty());
        QVERIFY(!krakenExchange.deadManArmed());
    }
};

QTEST_GUILESS_MAIN(TestMirrorBinanceKraken)
#include "tst_mirrorbinancekraken.moc"
