// The Binance connector's order side against the fake exchange on loopback, through the real
// engine: signed placements and cancels, fills from the book and from a counterparty, the user data
// stream (bare and wrapped), Binance's error bodies, a 5xx on a placement the exchange did accept,
// rate limits, the order stream dropping and its reconciliation, listenKey expiry and keepalive,
// exchange info checked against the config, and the planned reconnect before 24 hours.
#include "commandedstrategy.h"
#include "fakebinanceexchange.h"
#include "healthdetail.h"

#include "binance/binanceconnectorfactory.h"
#include "engine/engine.h"
#include "logging/logging.h"

#include <QTest>

using namespace md;

namespace {

using test::detail;
using test::detailText;

struct Rig {
    test::FakeBinanceExchange exchange;
    BinanceConnectorFactory factory;
    std::shared_ptr<test::OrderLog> log = std::make_shared<test::OrderLog>();
    std::unique_ptr<Engine> engine;
    ClientOrderId nextId = 1;
    bool keys = true;

    explicit Rig(QJsonObject extra = {}, bool withKeys = true, QString tick = "0.01")
        : keys(withKeys) {
        exchange.setUpdateIntervalMs(20);
        if (!exchange.listen())
            qFatal("fake exchange cannot listen");
        exchange.setCredentials("test-key-0123", "test-secret-4567");
        qputenv("MD_TEST_BINANCE_KEY", "test-key-0123");
        qputenv("MD_TEST_BINANCE_SECRET", "test-secret-4567");
        MarketSpec spec;
        spec.name = "BINANCE";
        spec.connector = "binance";
        spec.instrument.symbol = "BTCUSDT";
        spec.instrument.base = "BTC";
        spec.instrument.quote = "USDT";
        spec.instrument.tick = *Price::parse(tick.toStdString());
        spec.instrument.step = Quantity(1, 5);
        QJsonObject settings{{"rest_url", exchange.restUrl()},
                             {"stream_url", exchange.streamUrl()},
                             {"backoff_initial_ms", 100},
                             {"backoff_max_ms", 800},
                             {"request_timeout_ms", 3000},
                             {"api_key_env", keys ? "MD_TEST_BINANCE_KEY" : "MD_TEST_NO_SUCH_VARIABLE"},
                             {"api_secret_env", keys ? "MD_TEST_BINANCE_SECRET" : "MD_TEST_NO_SUCH_VARIABLE"}};
        for (auto it = extra.begin(); it != extra.end(); ++it)
            settings[it.key()] = it.value();
        spec.settings = settings;
        if (auto error = factory.validate(spec.settings, "settings"))
            qFatal("%s", error->c_str());
        EngineSettings engineSettings;
        engineSettings.graceSeconds = 5;
        engine = std::make_unique<Engine>(engineSettings, std::vector<MarketSetup>{{spec, &factory, true}},
                                          std::make_unique<test::CommandedStrategy>(log));
        engine->start();
    }
    ~Rig() {
        if (!engine->isShuttingDown())
            engine->beginShutdown();
        (void)QTest::qWaitFor([&] { return engine->shutdownReport().has_value(); }, 15000);
    }
    MarketHealth health() const { return engine->health().at(0); }
    /// Book synced, order stream up (with keys), breaker reset: placements can pass the risk gate.
    bool running() const {
        return QTest::qWaitFor(
            [&] {
                const MarketHealth h = health();
                return h.state == MarketState::Running && h.tradingState == "active" &&
                       detail(h, "stream_age_seconds") >= 0 && (!keys || detail(h, "order_stream_up") == 1.0);
            },
            10000);
    }
    ClientOrderId place(Side side, const char* price, const char* quantity) {
        const ClientOrderId id = nextId++;
        log->command({0, PlaceLimit{side, *Price::parse(price), *Quantity::parse(quantity), id}});
        return id;
    }
    void cancel(ClientOrderId id) { log->command({0, CancelOrder{id}}); }
    QString exchangeStatus(ClientOrderId id) const {
        auto o = exchange.order("md-" + QString::number(id));
        return o ? o->status : QString("none");
    }
};

using Story = std::vector<std::string>;

} // namespace

class TestOrderEntry : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void restingOrderIsPlacedFilledByACounterpartyAndDone() {
        Rig rig;
        QVERIFY(rig.running());
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "order_stream_up"), 1.0, 5000);
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        QCOMPARE(rig.exchangeStatus(id), QString("NEW"));
        QCOMPARE(rig.exchange.balanceText("USDT"), QString("999936.00000000/64.00000000"));
        rig.exchange.fillRestingOrders(); // only the user data stream tells
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00100@64000.00", "done"}));
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->balance("BTC") && rig.log->balance("BTC")->free.toTrimmedString() == "10.001",
                                 5000);
        QCOMPARE(rig.exchange.signatureFailures(), 0);
        QVERIFY(rig.exchange.signedRequests() >= 2);
        QCOMPARE(rig.exchange.duplicatePlacements(), 0);
    }

    void crossingOrderTakesTheBookAtItsPrices() {
        Rig rig;
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
        Rig rig;
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
        Rig rig;
        QVERIFY(rig.running());
        rig.exchange.setBalance("BTC", "0.001");
        const auto broke = rig.place(Side::Ask, "64900.00", "0.50000"); // holds 0.001 BTC
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(broke), 5000);
        QVERIFY2(rig.log->last(broke).find("-2010: Account has insufficient balance") != std::string::npos,
                 rig.log->last(broke).c_str());
        const auto tiny = rig.place(Side::Bid, "64000.00", "0.00001"); // 0.64 USDT, minimum is 5
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(tiny), 5000);
        QVERIFY2(rig.log->last(tiny).find("below the exchange's minimum 5") != std::string::npos,
                 rig.log->last(tiny).c_str());
        rig.cancel(999); // unknown: ignored and logged, nothing sent
        QCOMPARE(rig.exchange.placementsAccepted(), 0);
    }

    void serverErrorOnAnAcceptedPlacementIsQueriedNeverPlacedTwice() {
        Rig rig;
        QVERIFY(rig.running());
        rig.exchange.failNextPlacementAfterAccepting();
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        QCOMPARE(rig.exchange.placementsAccepted(), 1);
        QCOMPARE(rig.exchange.openOrders().size(), std::size_t(1));
        QCOMPARE(detail(rig.health(), "unknown_outcomes"), 1.0);
    }

    void serverErrorOnARefusedPlacementBecomesARejection() {
        Rig rig;
        QVERIFY(rig.running());
        rig.exchange.failNextPlacementBeforeAccepting();
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 10000);
        QVERIFY2(rig.log->last(id).find("no such order: not placed") != std::string::npos, rig.log->last(id).c_str());
        QCOMPARE(rig.exchange.placementsAccepted(), 0);
    }

    void userDataEventsAreUnderstoodBareAndWrapped_data() {
        QTest::addColumn<bool>("wrapped");
        QTest::newRow("bare") << false;
        QTest::newRow("wrapped as {\"event\": ...}") << true;
    }
    void userDataEventsAreUnderstoodBareAndWrapped() {
        QFETCH(bool, wrapped);
        Rig rig;
        rig.exchange.setWrapUserEvents(wrapped);
        QVERIFY(rig.running());
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "order_stream_up"), 1.0, 5000);
        const auto id = rig.place(Side::Bid, "64000.00", "0.00200");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        rig.exchange.fillRestingOrders(QString("0.0005"));
        rig.exchange.fillRestingOrders(QString("0.0015"));
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00050@64000.00", "filled 0.00150@64000.00", "done"}));
        QCOMPARE(rig.health().parseErrors, 0u);
    }

    void orderStreamDownHaltsAndWhatItMissedIsRecovered() {
        Rig rig;
        QVERIFY(rig.running());
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "order_stream_up"), 1.0, 5000);
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        const int keys = rig.exchange.listenKeysCreated();
        rig.exchange.refuseConnectionsFor(800);
        rig.exchange.dropUserStreams();
        rig.exchange.fillRestingOrders(); // nobody listens: the execution report is lost
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        QVERIFY2(rig.health().breakerReason.find("order stream down") != std::string::npos,
                 rig.health().breakerReason.c_str());
        QCOMPARE(rig.health().tradingState, std::string("halted"));
        // The halt's cancel finds it filled, or the reconnect's reconciliation does: either way the
        // strategy hears the fill and the end, once each.
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 10000);
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00100@64000.00", "done"}));
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.listenKeysCreated() > keys, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.health().tradingState, std::string("active"), 5000);
    }

    void expiredListenKeyIsReplacedAndKeptAlive() {
        Rig rig(QJsonObject{{"listen_key_keepalive_ms", 200}});
        QVERIFY(rig.running());
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "order_stream_up"), 1.0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.keepalives() >= 2, 5000);
        const int keys = rig.exchange.listenKeysCreated();
        rig.exchange.expireListenKeys();
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.listenKeysCreated() > keys, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.exchange.userStreamsConnected(), 1, 5000);
        QVERIFY(rig.running());
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        rig.exchange.fillRestingOrders();
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
    }

    void rateLimitedPlacementIsRefusedAndNothingIsSentUntilRetryAfter() {
        Rig rig;
        QVERIFY(rig.running());
        rig.exchange.rateLimit(429, 2);
        const auto first = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(first), 5000);
        QVERIFY2(rig.log->last(first).find("HTTP 429") != std::string::npos, rig.log->last(first).c_str());
        const auto second = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(second), 5000);
        QVERIFY2(rig.log->last(second).find("cooldown") != std::string::npos, rig.log->last(second).c_str());
        QVERIFY(detail(rig.health(), "cooldown_seconds") > 0);
        QCOMPARE(rig.exchange.requestsDuringCooldown(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "cooldown_seconds"), 0.0, 5000);
        const auto third = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(third), Story{"placed"}, 5000);
        QVERIFY(detail(rig.health(), "weight_headroom") < 6000);
    }

    void wrongSecretIsRefusedByTheExchangeWithItsCode() {
        Rig rig;
        QVERIFY(rig.running());
        rig.exchange.setCredentials("test-key-0123", "another-secret");
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QVERIFY2(rig.log->last(id).find("-1022") != std::string::npos, rig.log->last(id).c_str());
        QVERIFY(rig.exchange.signatureFailures() >= 1);
    }

    void withoutKeysItRunsMarketDataOnlyAndSaysSo() {
        Rig rig({}, false);
        QVERIFY(rig.running());
        QCOMPARE(detailText(rig.health(), "order_stream_up"), std::string("no API key: market data only"));
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QVERIFY2(rig.log->last(id).find("no API key") != std::string::npos, rig.log->last(id).c_str());
        QCOMPARE(rig.exchange.signedRequests(), 0);
    }

    void exchangeInfoThatContradictsTheConfigFailsTheMarket() {
        Rig rig({}, true, "0.001");
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Failed), 5000);
        QVERIFY2(rig.health().stateReason.find("price_tick 0.001 does not fit Binance's tickSize 0.01") !=
                     std::string::npos,
                 rig.health().stateReason.c_str());
    }

    void connectionsAreRenewedBeforeTheirMaximumAge() {
        Rig rig(QJsonObject{{"max_connection_age_ms", 1500}});
        QVERIFY(rig.running());
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "age_reconnects") >= 1, 5000);
        const int keys = rig.exchange.listenKeysCreated();
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.listenKeysCreated() > keys || keys >= 2, 5000);
        QVERIFY(rig.running());
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "order_stream_up"), 1.0, 5000);
    }

    void shutdownCancelsAndTheCloseOutAsksTheExchange() {
        auto rig = std::make_unique<Rig>();
        QVERIFY(rig->running());
        const auto a = rig->place(Side::Bid, "63000.00", "0.00100");
        const auto b = rig->place(Side::Ask, "65000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig->exchange.openOrders().size(), std::size_t(2), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig->log->story(a).size() == 1 && rig->log->story(b).size() == 1, 5000);
        rig->engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(rig->engine->shutdownReport().has_value(), 15000);
        const auto report = rig->engine->shutdownReport()->markets.at(0);
        QVERIFY(report.clean);
        // The shutdown cancelled both (the strategy did not), and the exchange was asked afterwards.
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
