#include "config/configloader.h"

#include <QTest>

using namespace md;

namespace {

// Accepts settings {"rate": integer} only, like a real connector's strict validation.
class FakeFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "fake"; }
    std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const override {
        for (auto it = settings.begin(); it != settings.end(); ++it) {
            if (it.key() != "rate")
                return path + "." + it.key().toStdString() + ": unknown key";
            if (!it.value().isDouble())
                return path + ".rate: expected an integer";
        }
        return std::nullopt;
    }
    ConnectorParts initialize(const MarketSpec&, EventSink) const override { return {}; }
};

const char* kValid = R"({
  "markets": [
    {"name": "A", "connector": "fake",
     "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"},
     "settings": {"rate": 5}},
    {"name": "B", "connector": "fake", "enabled": false,
     "instrument": {"symbol": "ETHUSDT", "base": "ETH", "quote": "USDT", "price_tick": "0.1", "quantity_step": "0.001",
                    "min_notional": "5"}}
  ],
  "strategy": {"kind": "none"},
  "grace_seconds": 0.5,
  "risk": {"max_orders_per_second": 5, "max_open_orders": 7, "max_order_notional": "2500", "max_position": {"BTC": "1.5"}},
  "log_level": "debug"
})";

} // namespace

class TestConfigLoader : public QObject {
    Q_OBJECT
    ConnectorRegistry m_registry;
    FakeFactory m_fake;

private slots:
    void initTestCase() { m_registry.add(&m_fake); }

    void loadsAValidFile() {
        auto result = ConfigLoader(m_registry).parse(kValid);
        auto* config = std::get_if<AppConfig>(&result);
        QVERIFY2(config, std::get_if<ConfigError>(&result) ? std::get<ConfigError>(result).toString().c_str() : "");
        QCOMPARE(config->markets.size(), 2u);
        QCOMPARE(config->markets[1].instrument.tick.toString(), std::string("0.1"));
        QCOMPARE(config->markets[0].instrument.step.scale(), 4);
        QCOMPARE(config->markets[1].instrument.minNotional.toString(), std::string("5"));
        QCOMPARE(config->enabled[1], false);
        QCOMPARE(config->graceSeconds, 0.5);
        QCOMPARE(config->logLevel, std::string("debug"));
        QCOMPARE(config->risk.maxOrdersPerSecond, 5.0);
        QCOMPARE(config->risk.maxOpenOrders, 7);
        QCOMPARE(config->risk.maxOrderNotional->toString(), std::string("2500"));
        QCOMPARE(config->risk.maxPosition.at("BTC").toString(), std::string("1.5"));
        QCOMPARE(config->risk.staleDataSeconds, 10.0); // default kept
    }

    void refusesWithTheFieldNamed_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("field");
        QTest::newRow("unknown top key") << R"("log_level")"
                                         << R"("colour": 1, "log_level")"
                                         << "colour: unknown key";
        QTest::newRow("number price tick") << R"("price_tick": "0.01")"
                                           << R"("price_tick": 0.01)"
                                           << "markets[0].instrument.price_tick: expected a decimal string";
        QTest::newRow("bad decimal") << R"("quantity_step": "0.0001")"
                                     << R"("quantity_step": "1e-4")"
                                     << "markets[0].instrument.quantity_step: \"1e-4\" is not a decimal";
        QTest::newRow("zero tick") << R"("price_tick": "0.01")"
                                   << R"("price_tick": "0")"
                                   << "markets[0].instrument.price_tick: must be greater than zero";
        QTest::newRow("missing symbol") << R"("symbol": "BTCUSDT", )"
                                        << ""
                                        << "markets[0].instrument.symbol: missing";
        QTest::newRow("unknown connector") << R"("connector": "fake",
     "instrument": {"symbol": "BTCUSDT")"
                                           << R"("connector": "kraken",
     "instrument": {"symbol": "BTCUSDT")"
                                           << "markets[0].connector: unknown connector \"kraken\"";
        QTest::newRow("connector setting") << R"("rate": 5)"
                                           << R"("rate": "fast")"
                                           << "markets[0].settings.rate: expected an integer";
        QTest::newRow("duplicate name") << R"("name": "B")"
                                        << R"("name": "A")"
                                        << "markets[1].name: duplicate market name";
        QTest::newRow("wrong type grace") << R"("grace_seconds": 0.5)"
                                          << R"("grace_seconds": "30")"
                                          << "grace_seconds: expected a number";
        QTest::newRow("unknown strategy") << R"("kind": "none")"
                                          << R"("kind": "yolo")"
                                          << "strategy.kind: unknown strategy \"yolo\"";
        QTest::newRow("bad level") << R"("log_level": "debug")"
                                   << R"("log_level": "loud")"
                                   << "log_level: expected one of";
        QTest::newRow("enabled type") << R"("enabled": false)"
                                      << R"("enabled": "no")"
                                      << "markets[1].enabled: expected true or false";
        QTest::newRow("risk limit type") << R"("max_open_orders": 7)"
                                         << R"("max_open_orders": "7")"
                                         << "risk.max_open_orders: expected a number";
        QTest::newRow("risk position") << R"("BTC": "1.5")"
                                       << R"("BTC": "-1")"
                                       << "risk.max_position.BTC: must be greater than zero";
        QTest::newRow("risk unknown") << R"("max_open_orders": 7)"
                                      << R"("max_open_order": 7)"
                                      << "risk.max_open_order: unknown key";
        QTest::newRow("bad json") << R"("strategy": {)"
                                  << R"("strategy": {{)"
                                  << "invalid JSON at line 10";
    }
    void refusesWithTheFieldNamed() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, field);
        QString text = QString::fromUtf8(kValid);
        QVERIFY2(text.contains(from), qPrintable(from));
        text.replace(text.indexOf(from), from.size(), to);
        auto result = ConfigLoader(m_registry).parse(text.toUtf8());
        auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "the bad config was accepted");
        QVERIFY2(QString::fromStdString(error->toString()).startsWith(field), error->toString().c_str());
    }

    void refusesAMissingFile() {
        auto result = ConfigLoader(m_registry).loadFile("/nonexistent/marketdesk.json");
        QVERIFY(std::holds_alternative<ConfigError>(result));
    }
};

QTEST_APPLESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
