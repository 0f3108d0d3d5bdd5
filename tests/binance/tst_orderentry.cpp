// The Binance connector's order side against the fake exchange on loopback, through the real
// engine: placements and cancels over the WebSocket API session (signed REST only while it is
// down), fills from the book and from a counterparty reported on the user data subscription,
// Binance's error bodies, filters checked before sending, rate limits, exchange info checked
// against the config, the planned reconnect before 24 hours, and the close-out.
#include "binancerig.h"

#include "logging/logging.h"

#include <QTest>

using namespace md;
using namespace md::test;

class TestOrderEntry : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void restingOrderIsPlacedOverTheWebSocketApiFilledAndDone() {
        BinanceRig rig;
        QVERIFY(rig.running());
        const int restBefore = rig.exchange.restOrderRequests(); // the start's reconciliation is REST
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        QCOMPARE(rig.exchangeStatus(id), QString("NEW"));
        QCOMPARE(rig.exchange.balanceText("USDT"), QString("999936.00000000/64.00000000"));
        rig.exchange.fillRestingOrders(); // only the user data subscription tells
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00100@64000.00", "done"}));
        // 0.001 BTC bought, 0.1 % commission paid in BTC (reported as n / N on the execution report).
        QTRY_VERIFY_WITH_TIMEOUT(
            rig.log->balance("BTC") && rig.log->balance("BTC")->free.toTrimmedString() == "10.000999", 5000);
        QCOMPARE(rig.exchange.signatureFailures(), 0);
        QCOMPARE(rig.exchange.duplicatePlacements(), 0);
        QVERIFY(rig.exchange.wsApiOrderRequests() >= 1);
        QCOMPARE(rig.exchange.restOrderRequests(), restBefore); // nothing over REST while the session is up
        QCOMPARE(rig.exchange.retiredEndpointCalls(), 0);
        QCOMPARE(detailText(rig.health(), "ws_api_up"), std::string("up: orders and user data"));
    }

    void crossingOrderTakesTheBookAtItsPrices() {
        BinanceRig rig;
        QVERIFY(rig.running());
        const auto id = rig.place(Side::Bid, "64300.00", "0.50000"); // above the ask: takes levels
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        const Story story = rig.log->story(id);
        QCOMPARE(story.front(), std::string("placed"));
        QCOMPARE(story.back(), std::string("done"));
        Quantity total(0, 5);
        for (std::size_t i = 1; i + 1 < story.size(); ++i) {
            QVERIFY2(story[i].rfind("filled ", 0) == 0, story[i].c_str());
            const auto at = story[i].find('@');
            total += *Quantity::parse(story[i].substr(7, at - 7));
            QVERIFY(*Price::parse(story[i].substr(at + 1)) <= *Price::parse("64300.00"));
        }
        QCOMPARE(total.toTrimmedString(), std::string("0.5"));
    }

    void cancelAfterAPartialFillReportsTheFillFirst() {
        BinanceRig rig;
        QVERIFY(rig.running());
        const auto id = rig.place(Side::Ask, "64900.00", "0.00300");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        rig.exchange.fillRestingOrders(QString("0.001"));
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id).size(), std::size_t(2), 5000);
        rig.cancel(id);
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00100@64900.00", "cancelled"}));
        QCOMPARE(rig.exchangeStatus(id), QString("CANCELED"));
    }

    void binanceErrorsBecomeRejectionsWithCodeAndText() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.setBalance("BTC", "0.001");
        const auto broke = rig.place(Side::Ask, "64900.00", "0.50000"); // holds 0.001 BTC
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(broke), 5000);
        QVERIFY2(rig.log->last(broke).find("-2010: Account has insufficient balance") != std::string::npos,
                 rig.log->last(broke).c_str());
        rig.cancel(999); // unknown: ignored and logged, nothing sent
        QCOMPARE(rig.exchange.placementsAccepted(), 0);
    }

    // Part 2: while the session is down, orders go over signed REST; when it is back, over it again.
    void ordersFallBackToRestWhileTheSessionIsDown() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.refuseConnectionsFor(1500);
        rig.exchange.dropConnections();
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "ws_api_up"), 0.0, 3000);
        QVERIFY(rig.running());
        const auto id = rig.place(Side::Bid, "63000.00", "0.00100");
        QTRY_VERIFY2_WITH_TIMEOUT(rig.log->story(id) == Story{"placed"}, rig.log->storyText(id).c_str(), 5000);
        const int restBefore = rig.exchange.restOrderRequests();
        rig.exchange.refuseConnectionsFor(3000);
        rig.exchange.dropConnections();
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "ws_api_up"), 0.0, 3000);
        rig.cancel(id);
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QCOMPARE(rig.log->last(id), std::string("cancelled"));
        QVERIFY(rig.exchange.restOrderRequests() > restBefore);
        QVERIFY(detail(rig.health(), "rest_fallbacks") >= 1);
    }

    void rateLimitedPlacementIsRefusedAndNothingIsSentUntilRetryAfter() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.rateLimit(429, 2);
        const auto first = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(first), 5000);
        QVERIFY2(rig.log->last(first).find("429") != std::string::npos, rig.log->last(first).c_str());
        const auto second = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(second), 5000);
        QVERIFY2(rig.log->last(second).find("rate budget") != std::string::npos, rig.log->last(second).c_str());
        QVERIFY(detail(rig.health(), "cooldown_seconds") > 0);
        QCOMPARE(rig.exchange.requestsDuringCooldown(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "cooldown_seconds"), 0.0, 5000);
        const auto third = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(third), Story{"placed"}, 5000);
        QCOMPARE(rig.exchange.bans(), 0);
    }

    void withoutKeysItRunsMarketDataOnlyAndSaysSo() {
        BinanceRig rig(test::withKeys(RigOptions::Keys::None));
        QVERIFY(rig.running());
        QCOMPARE(detailText(rig.health(), "order_stream_up"), std::string("no API key: market data only"));
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QVERIFY2(rig.log->last(id).find("no API key") != std::string::npos, rig.log->last(id).c_str());
        QCOMPARE(rig.exchange.signedRequests(), 0);
        QCOMPARE(rig.exchange.wsApiSessions(), 0);
    }

    // Part 4: a configured tick the exchange does not have is refused at start, naming both —
    // finer (every order refused) and, since this change, coarser too (the book never syncs at it).
    void exchangeInfoThatContradictsTheConfigFailsTheMarket_data() {
        QTest::addColumn<QString>("tick");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("expected");
        QTest::newRow("finer tick") << "0.001"
                                    << "0.00001"
                                    << "price_tick 0.001 differs from Binance's PRICE_FILTER tickSize 0.01";
        QTest::newRow("a multiple of the tick") << "0.1"
                                                << "0.00001"
                                                << "price_tick 0.1 differs from Binance's PRICE_FILTER tickSize 0.01";
        QTest::newRow("a multiple of the step")
            << "0.01"
            << "0.001"
            << "quantity_step 0.001 differs from Binance's LOT_SIZE stepSize 0.00001";
    }
    void exchangeInfoThatContradictsTheConfigFailsTheMarket() {
        QFETCH(QString, tick);
        QFETCH(QString, step);
        QFETCH(QString, expected);
        RigOptions options;
        options.tick = tick;
        options.step = step;
        BinanceRig rig(options);
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Failed), 5000);
        QVERIFY2(rig.health().stateReason.find(expected.toStdString()) != std::string::npos,
                 rig.health().stateReason.c_str());
    }

    void connectionsAreRenewedBeforeTheirMaximumAge() {
        BinanceRig rig(test::withSettings({{"max_connection_age_ms", 1500}}));
        QVERIFY(rig.running());
        const int sessions = rig.exchange.wsApiConnectionsAccepted();
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "age_reconnects") >= 2, 6000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.wsApiConnectionsAccepted() > sessions, 5000);
        QVERIFY(rig.running());
    }

    void shutdownCancelsAndTheCloseOutAsksTheExchange() {
        auto rig = std::make_unique<BinanceRig>();
        QVERIFY(rig->running());
        const auto a = rig->place(Side::Bid, "63000.00", "0.00100");
        const auto b = rig->place(Side::Ask, "65000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig->exchange.openOrders().size(), std::size_t(2), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig->log->story(a).size() == 1 && rig->log->story(b).size() == 1, 5000);
        rig->engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(rig->engine->shutdownReport().has_value(), 15000);
        const auto report = rig->engine->shutdownReport()->markets.at(0);
        QVERIFY(report.clean);
        QVERIFY(report.verified);
        QCOMPARE(report.openOnExchange.size(), std::size_t(0));
        QCOMPARE(rig->exchangeStatus(a), QString("CANCELED"));
        QCOMPARE(rig->exchangeStatus(b), QString("CANCELED"));
        QCOMPARE(rig->log->last(a), std::string("cancelled"));
        QCOMPARE(rig->log->last(b), std::string("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestOrderEntry)
#include "tst_orderentry.moc"
