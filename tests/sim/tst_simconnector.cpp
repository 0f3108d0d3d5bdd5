// The sim connector's own parts on real threads, through a real EventSink: settings validation,
// the first snapshot, acks after latency, garbage counted, and each fault.
#include "sim/simconnectorfactory.h"

#include "engine/marketcounters.h"
#include "engine/marketinbox.h"
#include "logging/logging.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace md;

namespace {

MarketSpec spec(QJsonObject settings) {
    MarketSpec s;
    s.name = "SIM";
    s.connector = "sim";
    s.instrument.symbol = "BTCUSDT";
    s.instrument.base = "BTC";
    s.instrument.quote = "USDT";
    s.instrument.tick = Price(1, 2);
    s.instrument.step = Quantity(1, 4);
    s.settings = std::move(settings);
    return s;
}

class TestControl : public ProducerControl {
public:
    std::atomic<bool> stop{false};
    bool stopRequested() const override { return stop; }
    bool waitForStop(std::chrono::nanoseconds timeout) override {
        std::this_thread::sleep_for(timeout);
        return stop;
    }
    void runEventLoop() override {}
};

/// Runs a sim market's producer on a thread and collects what it fires.
struct Harness {
    SimConnectorFactory factory;
    std::shared_ptr<MarketCounters> counters = std::make_shared<MarketCounters>();
    std::shared_ptr<MarketInbox> inbox =
        std::make_shared<MarketInbox>(0, counters, nullptr, logging::get("market.SIM"));
    ConnectorParts parts;
    TestControl control;
    std::thread producer;
    std::vector<TradingEvent> events;
    std::string producerError;

    explicit Harness(QJsonObject settings) { parts = factory.initialize(spec(std::move(settings)), EventSink(inbox)); }
    void start() {
        producer = std::thread([this] {
            try {
                parts.producer(control);
            } catch (const std::exception& e) {
                producerError = e.what();
            }
        });
    }
    ~Harness() {
        control.stop = true;
        if (producer.joinable())
            producer.join();
    }
    template <class T> int count() {
        inbox->takeAll(events);
        int n = 0;
        for (const auto& e : events)
            n += std::holds_alternative<T>(e.payload);
        return n;
    }
};

} // namespace

class TestSimConnector : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void validatesEveryFieldByName_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("seed") << "seed" << QJsonValue("seven");
        QTest::newRow("mid") << "mid" << QJsonValue(100.5);
        QTest::newRow("rate") << "events_per_second" << QJsonValue(0);
        QTest::newRow("fault") << "fault" << QJsonValue("explode");
        QTest::newRow("fault_after_ms") << "fault_after_ms" << QJsonValue(-1);
        QTest::newRow("depth") << "depth" << QJsonValue(5);
        QTest::newRow("latency") << "latency_ms" << QJsonValue(1.5);
        QTest::newRow("unknown") << "colour" << QJsonValue("red");
        QTest::newRow("maker_fee as number") << "maker_fee" << QJsonValue(0.001);
        QTest::newRow("maker_fee negative") << "maker_fee" << QJsonValue("-0.001");
        QTest::newRow("taker_fee too high") << "taker_fee" << QJsonValue("0.5");
        QTest::newRow("taker_fee not a number") << "taker_fee" << QJsonValue("ten bp");
    }
    void validatesEveryFieldByName() {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        SimConnectorFactory f;
        auto error = f.validate(QJsonObject{{key, value}}, "markets[3].settings");
        QVERIFY(error);
        QVERIFY2(QString::fromStdString(*error).startsWith("markets[3].settings." + key), error->c_str());
        QVERIFY(!f.validate(QJsonObject{{"seed", 1}, {"mid", "100.00"}, {"fault", "garbage"}}, "s"));
        QVERIFY(!f.validate(QJsonObject{{"maker_fee", "0.0002"}, {"taker_fee", "0.001"}}, "s"));
    }

    void firstEventIsASnapshotThenDataFlows() {
        Harness h(QJsonObject{{"seed", 1}, {"mid", "100.00"}, {"events_per_second", 5000}});
        h.start();
        QTRY_VERIFY(h.count<BookUpdated>() > 50);
        const auto& first = std::get<BookUpdated>(h.events.front().payload);
        QVERIFY(first.snapshot);
        QVERIFY(first.changes.size() >= 40);
        QTRY_VERIFY(h.count<TradePrinted>() > 0);
        // The account's balances come at the start, before any order (as an exchange's snapshot does).
        QCOMPARE(h.count<BalanceUpdated>(), 2);
    }

    void acksAndCancelsArriveAfterTheLatency() {
        Harness h(QJsonObject{{"seed", 1}, {"mid", "100.00"}, {"events_per_second", 100}, {"latency_ms", 30}});
        h.start();
        const std::int64_t sent = steadyNowNs();
        h.parts.executor(Action{PlaceLimit{Side::Bid, Price(9000, 2), Quantity(10, 4), 1}});
        QTRY_COMPARE(h.count<OrderPlaced>(), 1);
        QVERIFY(steadyNowNs() - sent >= 30'000'000);
        QCOMPARE(h.parts.openOrdersQuery()->size(), 1u);
        h.parts.executor(Action{CancelOrder{1}});
        QTRY_COMPARE(h.count<OrderCancelled>(), 1);
        QCOMPARE(h.parts.openOrdersQuery()->size(), 0u);
        h.parts.terminator();
    }

    void garbageIsCountedAndSkipped() {
        Harness h(QJsonObject{{"seed", 2}, {"mid", "100.00"}, {"events_per_second", 2000}, {"fault", "garbage"}});
        h.start();
        QTRY_VERIFY(h.counters->parseErrors.load() >= 10);
        QVERIFY(h.count<BookUpdated>() > 10); // good messages still flow
    }

    void producerFaultsThrowOrStall() {
        {
            Harness h(QJsonObject{{"fault", "throw_producer"}, {"fault_after_ms", 20}});
            h.start();
            h.producer.join();
            QVERIFY(QString::fromStdString(h.producerError).contains("throw_producer"));
        }
        {
            Harness h(QJsonObject{{"events_per_second", 5000}, {"fault", "stall_data"}, {"fault_after_ms", 0}});
            h.start();
            h.parts.executor(Action{PlaceLimit{Side::Bid, Price(9000, 2), Quantity(10, 4), 1}});
            QTRY_COMPARE(h.count<OrderPlaced>(), 1); // orders still work while data is stalled
            QCOMPARE(h.count<BookUpdated>(), 1);     // only the snapshot
        }
    }

    void executorFaultThrows() {
        Harness h(QJsonObject{{"fault", "throw_executor"}});
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, h.parts.executor(Action{CancelAll{}}));
    }
};

QTEST_GUILESS_MAIN(TestSimConnector)
#include "tst_simconnector.moc"
