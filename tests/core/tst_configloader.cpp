#include "config/configloader.h"
#include "config/configwriter.h"
#include "config/secretexposure.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace md;

namespace {

// Accepts settings {"rate": integer} and string credentials (api_key, api_secret, api_key_env,
// api_secret_env, private_key_file) only, like a real connector's strict validation.
class FakeFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "fake"; }
    std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const override {
        for (auto it = settings.begin(); it != settings.end(); ++it) {
            const QString key = it.key();
            if (key == "api_key" || key == "api_secret" || key == "api_key_env" || key == "api_secret_env" ||
                key == "private_key_file") {
                if (!it.value().isString())
                    return path + "." + key.toStdString() + ": expected a string";
                continue;
            }
            if (key != "rate")
                return path + "." + key.toStdString() + ": unknown key";
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
  "risk": {"max_orders_per_second": 5, "max_open_orders": 7, "max_order_notional": "2500", "max_position": {"BTC": "1.5"},
           "max_position_per_market": {"B": {"ETH": "3"}}},
  "log_level": "debug"
})";

const char* kSecretValue = "s3cr3t-VALUE-never-echoed";

// Two markets; the second one's settings are `settings`, so field paths say markets[1].
QByteArray configWithSettings(const QString& settings) {
    return QString(R"({"markets": [
        {"name": "A", "connector": "fake",
         "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"}},
        {"name": "B", "connector": "fake",
         "instrument": {"symbol": "ETHUSDT", "base": "ETH", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"},
         "settings": %1}],
      "strategy": {"kind": "none"}})")
        .arg(settings)
        .toUtf8();
}

QString writeFile(const QTemporaryDir& dir, const QByteArray& contents, int mode) {
    const QString path = dir.filePath("config.json");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(contents) != contents.size())
        qFatal("cannot write %s", qPrintable(path));
    f.close();
    // chmod, not QFile::setPermissions: the test is about exact POSIX mode bits.
    if (::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode)) != 0)
        qFatal("cannot chmod %s", qPrintable(path));
    return path;
}

} // namespace

class TestConfigLoader : public QObject {
    Q_OBJECT
    ConnectorRegistry m_registry;
    FakeFactory m_fake;

private slots:
    void initTestCase() { m_registry.add(&m_fake); }

    void pathsInTheFileAreTakenFromItsFolder() {
        // A relative journal was opened from wherever the desk was started: the same file, launched from
        // $HOME by a desktop launcher and from its folder in a terminal, found two journals — and the second
        // run did not know the orders the first left open.
        QTemporaryDir root, elsewhere;
        QVERIFY(QDir(root.path()).mkpath("desk"));
        QJsonObject json =
            QJsonDocument::fromJson(configWithSettings(R"({"private_key_file": "keys/ed25519.pem", "rate": 5})"))
                .object();
        json["journal"] = "state/desk.sqlite";
        json["log_file"] = "../logs/desk.log";
        // Canonical: the working directory is (getcwd), and a temporary folder may sit behind a symlink.
        const QString path = QDir(root.path()).canonicalPath() + "/desk/config.json";
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(json).toJson());
        file.close();
        const QString folder = QFileInfo(path).absolutePath();
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(elsewhere.path()));
        auto loaded = ConfigLoader(m_registry).loadFile(path);
        QVERIFY(QDir::setCurrent(QFileInfo(path).absolutePath() + "/.."));
        auto fromItsParent = ConfigLoader(m_registry).loadFile("desk/config.json"); // a relative path to the file
        QVERIFY(QDir::setCurrent(before));
        for (const auto* result : {&loaded, &fromItsParent}) {
            QVERIFY2(std::get_if<AppConfig>(result),
                     std::get_if<ConfigError>(result) ? std::get<ConfigError>(*result).toString().c_str() : "");
            const AppConfig& config = std::get<AppConfig>(*result);
            QCOMPARE(QString::fromStdString(config.journal), folder + "/state/desk.sqlite");
            QCOMPARE(QString::fromStdString(config.logFile), QDir::cleanPath(folder + "/../logs/desk.log"));
            QCOMPARE(config.markets[1].settings.value("private_key_file").toString(), folder + "/keys/ed25519.pem");
            QCOMPARE(config.markets[1].settings.value("rate").toInt(), 5);
            // Saved to another folder, the file still names the same journal, log and key.
            QCOMPARE(config.document.value("journal").toString(), folder + "/state/desk.sqlite");
            QCOMPARE(config.document.value("markets")
                         .toArray()[1]
                         .toObject()
                         .value("settings")
                         .toObject()
                         .value("private_key_file"),
                     QJsonValue(folder + "/keys/ed25519.pem"));
        }
        // Absolute paths stay as written.
        json["journal"] = "/var/lib/marketdesk/desk.sqlite";
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(json).toJson());
        file.close();
        auto absolute = ConfigLoader(m_registry).loadFile(path);
        QVERIFY(std::get_if<AppConfig>(&absolute));
        QCOMPARE(std::get<AppConfig>(absolute).journal, std::string("/var/lib/marketdesk/desk.sqlite"));
    }

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
        QCOMPARE(config->risk.maxMarketPosition.at(1).at("ETH").toString(), std::string("3"));
        QVERIFY(!config->risk.maxMarketPosition.count(0));
        QCOMPARE(config->risk.staleDataSeconds, 10.0);    // default kept
        QCOMPARE(config->risk.stuckActionSeconds, 5.0);   // default kept
        QCOMPARE(config->openOrdersTimeoutSeconds, 10.0); // default kept
    }

    void readsTheTradersSettings() {
        QByteArray text = kValid;
        text.replace(
            R"("log_level": "debug")",
            R"("log_level": "debug", "manual": {"fat_finger_band_percent": 2.5, "fat_finger_max_notional": "1000",
                        "flatten_band_percent": 0.5, "click_to_trade": "single",
                        "hotkeys": {"buy_at_touch": "F1", "sell_at_touch": "F2", "cancel_all": "Ctrl+Shift+Delete",
                                    "flatten": "Alt+F"}})");
        auto result = ConfigLoader(m_registry).parse(text);
        auto* config = std::get_if<AppConfig>(&result);
        QVERIFY2(config, std::get_if<ConfigError>(&result) ? std::get<ConfigError>(result).toString().c_str() : "");
        QCOMPARE(config->manual.fatFinger.bandPercent, 2.5);
        QCOMPARE(config->manual.fatFinger.maxNotional->toString(), std::string("1000"));
        QCOMPARE(config->manual.flattenBandPercent, 0.5);
        QVERIFY(config->manual.singleClick);
        QCOMPARE(config->manual.hotkeyBuy, std::string("F1"));
        QCOMPARE(config->manual.hotkeyCancelAll, std::string("Ctrl+Shift+Delete"));
        QCOMPARE(config->manual.hotkeyFlatten, std::string("Alt+F"));
    }

    void readsTheStuckExecutorAndQueryTimeouts() {
        QByteArray text = kValid;
        text.replace(R"("max_open_orders": 7)", R"("max_open_orders": 7, "stuck_action_seconds": 12)");
        text.replace(R"("grace_seconds": 0.5)", R"("grace_seconds": 0.5, "open_orders_timeout_seconds": 3)");
        auto result = ConfigLoader(m_registry).parse(text);
        auto* config = std::get_if<AppConfig>(&result);
        QVERIFY2(config, std::get_if<ConfigError>(&result) ? std::get<ConfigError>(result).toString().c_str() : "");
        QCOMPARE(config->risk.stuckActionSeconds, 12.0);
        QCOMPARE(config->openOrdersTimeoutSeconds, 3.0);
    }

    // Issue 17 part 1: a list of strategies; the single object stays a list of one on every market.
    void loadsAListOfStrategies() {
        QByteArray json(kValid);
        json.replace(R"("strategy": {"kind": "none"},)",
                     R"("strategies": [
                         {"id": "mm-a", "kind": "market_maker", "markets": ["A"], "market": "A",
                          "order_quantity": "0.01", "max_position": "0.1",
                          "limits": {"max_position": "0.5", "max_open_orders": 4}},
                         {"id": "quiet", "kind": "none", "markets": ["A", "B"]}],)");
        auto result = ConfigLoader(m_registry).parse(json);
        auto* config = std::get_if<AppConfig>(&result);
        QVERIFY2(config, std::get_if<ConfigError>(&result) ? std::get<ConfigError>(result).toString().c_str() : "");
        QCOMPARE(config->strategies.size(), 2u);
        QCOMPARE(config->strategies[0].id, std::string("mm-a"));
        QCOMPARE(config->strategies[0].markets, std::vector<MarketId>{0});
        QCOMPARE(config->strategies[0].limits.maxOpenOrders, std::size_t(4));
        QCOMPARE(config->strategies[0].limits.maxPosition->toString(), std::string("0.5"));
        QVERIFY(!config->strategies[0].params.contains("limits")); // the factory sees its own keys only
        QCOMPARE(config->strategies[1].markets, (std::vector<MarketId>{0, 1}));
        QVERIFY(!config->strategies[1].limits.maxPosition);

        auto single = ConfigLoader(m_registry).parse(kValid);
        auto& one = std::get<AppConfig>(single);
        QCOMPARE(one.strategies.size(), 1u);
        QCOMPARE(one.strategies[0].id, std::string("strategy"));
        QVERIFY(one.strategies[0].markets.empty()); // every market
        QCOMPARE(one.strategies[0].params.value("kind").toString(), QString("none"));
    }

    // Issue 17 part 5: File → Save configuration as… writes the running desk's configuration, live
    // parameter changes included and no secret, and the loader reads it back to the same desk.
    void savedConfigurationLoadsBackWithLiveChanges() {
        QByteArray json(kValid);
        json.replace(R"("strategy": {"kind": "none"},)",
                     R"("strategies": [
                         {"id": "mm-a", "kind": "market_maker", "markets": ["A"], "market": "A",
                          "order_quantity": "0.01", "max_position": "0.1", "limits": {"max_open_orders": 4}},
                         {"id": "quiet", "kind": "none", "markets": ["A", "B"]}],)");
        json.replace(R"("settings": {"rate": 5})",
                     QString(R"("settings": {"rate": 5, "api_key": "%1", "api_secret_env": "MD_SECRET"})")
                         .arg(kSecretValue)
                         .toUtf8());
        auto loaded = ConfigLoader(m_registry).parse(json);
        QVERIFY2(std::get_if<AppConfig>(&loaded),
                 std::get_if<ConfigError>(&loaded) ? std::get<ConfigError>(loaded).toString().c_str() : "");
        const AppConfig& running = std::get<AppConfig>(loaded);
        // What the Strategies panel changed live (Engine::strategyParameters: without "kind").
        QJsonObject live = running.strategies[0].params;
        live.remove("kind");
        live["order_quantity"] = "0.02";
        const auto saved = ConfigWriter::withCurrentParameters(running, {live, {}});
        QCOMPARE(saved.secretsLeftOut, std::vector<std::string>{"markets[0].settings.api_key"});

        QTemporaryDir dir;
        const QString path = dir.filePath("saved.json");
        const auto error = ConfigWriter::write(saved.json, path);
        QVERIFY2(!error, error ? error->c_str() : "");
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777u, 0600u);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(!text.contains(kSecretValue));
        QVERIFY(text.contains("MD_SECRET")); // a variable's name is no secret

        auto back = ConfigLoader(m_registry).loadFile(path);
        QVERIFY2(std::get_if<AppConfig>(&back),
                 std::get_if<ConfigError>(&back) ? std::get<ConfigError>(back).toString().c_str() : "");
        const AppConfig& reopened = std::get<AppConfig>(back);
        QJsonObject expected = running.strategies[0].params;
        expected["order_quantity"] = "0.02";
        QCOMPARE(reopened.strategies.size(), 2u);
        QCOMPARE(reopened.strategies[0].params, expected);
        QCOMPARE(reopened.strategies[1].params, running.strategies[1].params);
        for (std::size_t i = 0; i < 2; ++i) {
            QCOMPARE(reopened.strategies[i].id, running.strategies[i].id);
            QCOMPARE(reopened.strategies[i].markets, running.strategies[i].markets);
            QCOMPARE(reopened.strategies[i].limits.maxOpenOrders, running.strategies[i].limits.maxOpenOrders);
        }
        QCOMPARE(reopened.markets.size(), running.markets.size());
        for (std::size_t i = 0; i < running.markets.size(); ++i) {
            QCOMPARE(reopened.markets[i].name, running.markets[i].name);
            QCOMPARE(reopened.markets[i].instrument.tick.toString(), running.markets[i].instrument.tick.toString());
            QCOMPARE(reopened.enabled[i], running.enabled[i]);
        }
        QJsonObject settingsWithoutKey = running.markets[0].settings;
        settingsWithoutKey.remove("api_key");
        QCOMPARE(reopened.markets[0].settings, settingsWithoutKey);
        QCOMPARE(reopened.graceSeconds, running.graceSeconds);
        QCOMPARE(reopened.risk.maxOpenOrders, running.risk.maxOpenOrders);
        QCOMPARE(reopened.risk.maxMarketPosition.at(1).at("ETH").toString(), std::string("3"));
        QCOMPARE(reopened.logLevel, running.logLevel);
        // Saved again, unchanged: the same document (nothing drifts from save to save).
        QCOMPARE(ConfigWriter::withCurrentParameters(reopened, {}).json, saved.json);
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
        QTest::newRow("fractional quarantine") << R"("grace_seconds": 0.5)"
                                               << R"("grace_seconds": 0.5, "quarantine_after_kills": 1.5)"
                                               << "quarantine_after_kills: expected a whole number";
        QTest::newRow("strategies and strategy") << R"("strategy": {"kind": "none"},)"
                                                 << R"("strategy": {"kind": "none"}, "strategies": [],)"
                                                 << "strategies: give either";
        QTest::newRow("empty strategies") << R"("strategy": {"kind": "none"},)"
                                          << R"("strategies": [],)"
                                          << "strategies: expected a non-empty list";
        QTest::newRow("strategy not an object") << R"("strategy": {"kind": "none"},)"
                                                << R"("strategies": [3],)"
                                                << "strategies[0]: expected an object";
        QTest::newRow("strategy id missing") << R"("strategy": {"kind": "none"},)"
                                             << R"("strategies": [{"kind": "none", "markets": ["A"]}],)"
                                             << "strategies[0].id: missing";
        QTest::newRow("duplicate strategy id")
            << R"("strategy": {"kind": "none"},)"
            << R"("strategies": [{"id": "x", "kind": "none", "markets": ["A"]}, {"id": "x", "kind": "none", "markets": ["B"]}],)"
            << "strategies[1].id: duplicate strategy id 'x'";
        QTest::newRow("strategy markets missing") << R"("strategy": {"kind": "none"},)"
                                                  << R"("strategies": [{"id": "x", "kind": "none"}],)"
                                                  << "strategies[0].markets: missing";
        QTest::newRow("strategy market unknown") << R"("strategy": {"kind": "none"},)"
                                                 << R"("strategies": [{"id": "x", "kind": "none", "markets": ["Z"]}],)"
                                                 << "strategies[0].markets: no market named 'Z'";
        QTest::newRow("strategy market twice")
            << R"("strategy": {"kind": "none"},)"
            << R"("strategies": [{"id": "x", "kind": "none", "markets": ["A", "A"]}],)"
            << "strategies[0].markets: 'A' named twice";
        QTest::newRow("strategy kind unknown") << R"("strategy": {"kind": "none"},)"
                                               << R"("strategies": [{"id": "x", "kind": "yolo", "markets": ["A"]}],)"
                                               << "strategies[0].kind: unknown strategy \"yolo\"";
        QTest::newRow("strategy parameter")
            << R"("strategy": {"kind": "none"},)"
            << R"("strategies": [{"id": "x", "kind": "market_maker", "markets": ["A"], "market": "A", "order_quantity": "-1", "max_position": "1"}],)"
            << "strategies[0].order_quantity: expected a non-negative decimal";
        QTest::newRow("strategy parameter outside its markets")
            << R"("strategy": {"kind": "none"},)"
            << R"("strategies": [{"id": "x", "kind": "market_maker", "markets": ["A"], "market": "B", "order_quantity": "1", "max_position": "1"}],)"
            << "strategies[0].markets: does not include a market its parameters name";
        QTest::newRow("strategy limit")
            << R"("strategy": {"kind": "none"},)"
            << R"("strategies": [{"id": "x", "kind": "none", "markets": ["A"], "limits": {"max_open_orders": 0}}],)"
            << "strategies[0].limits.max_open_orders: must be between";
        QTest::newRow("strategy limit key")
            << R"("strategy": {"kind": "none"},)"
            << R"("strategies": [{"id": "x", "kind": "none", "markets": ["A"], "limits": {"max_orders": 3}}],)"
            << "strategies[0].limits.max_orders: unknown key";
        QTest::newRow("strategy limit position")
            << R"("strategy": {"kind": "none"},)"
            << R"("strategies": [{"id": "x", "kind": "none", "markets": ["A"], "limits": {"max_position": "0"}}],)"
            << "strategies[0].limits.max_position: must be greater than zero";
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
        QTest::newRow("stuck seconds type") << R"("max_open_orders": 7)"
                                            << R"("max_open_orders": 7, "stuck_action_seconds": "5")"
                                            << "risk.stuck_action_seconds: expected a number";
        QTest::newRow("query timeout range") << R"("grace_seconds": 0.5)"
                                             << R"("grace_seconds": 0.5, "open_orders_timeout_seconds": 0)"
                                             << "open_orders_timeout_seconds: must be between";
        QTest::newRow("position per unknown market") << R"({"B": {"ETH": "3"}})"
                                                     << R"({"C": {"ETH": "3"}})"
                                                     << "risk.max_position_per_market.C: no market is named \"C\"";
        QTest::newRow("position per market, foreign asset") << R"({"B": {"ETH": "3"}})"
                                                            << R"({"B": {"BTC": "3"}})"
                                                            << "risk.max_position_per_market.B.BTC: not an asset of B";
        QTest::newRow("position per market, bad limit")
            << R"({"B": {"ETH": "3"}})"
            << R"({"B": {"ETH": "0"}})"
            << "risk.max_position_per_market.B.ETH: must be greater than zero";
        QTest::newRow("risk unknown") << R"("max_open_orders": 7)"
                                      << R"("max_open_order": 7)"
                                      << "risk.max_open_order: unknown key";
        // Issue 12: QJsonDocument keeps the last of two equal keys without a word; the loader refuses them.
        QTest::newRow("duplicate top key") << R"("grace_seconds": 0.5)"
                                           << R"("grace_seconds": 0.5, "grace_seconds": 3000)"
                                           << "grace_seconds: duplicate key";
        QTest::newRow("duplicate nested key") << R"("settings": {"rate": 5})"
                                              << R"("settings": {"rate": 5, "rate": 6})"
                                              << "markets[0].settings.rate: duplicate key";
        QTest::newRow("duplicate escaped key") << R"("max_open_orders": 7)"
                                               << R"("max_open_orders": 7, "max_open_\u006frders": 9)"
                                               << "risk.max_open_orders: duplicate key";
        QTest::newRow("duplicate in a list") << R"("name": "B")"
                                             << R"("name": "B", "name": "C")"
                                             << "markets[1].name: duplicate key";
        QTest::newRow("19 decimals") << R"("price_tick": "0.01")"
                                     << R"("price_tick": "0.0000000000000000001")"
                                     << "markets[0].instrument.price_tick: \"0.0000000000000000001\" has 19 decimal "
                                        "places; at most 18 are supported";
        QTest::newRow("too large") << R"("max_order_notional": "2500")"
                                   << R"("max_order_notional": "99999999999999999999")"
                                   << "risk.max_order_notional: \"99999999999999999999\" is too large";
        QTest::newRow("newline in name") << R"("name": "B")"
                                         << R"("name": "B\nINFO forged")"
                                         << "markets[1].name: control characters are not allowed";
        QTest::newRow("escape in name") << R"("name": "B")"
                                        << "\"name\": \"B\\u001b[31m\"" // (a raw string here confuses moc)
                                        << "markets[1].name: control characters are not allowed";
        QTest::newRow("control in symbol") << R"("symbol": "ETHUSDT")"
                                           << R"("symbol": "ETH\tUSDT")"
                                           << "markets[1].instrument.symbol: control characters are not allowed";
        QTest::newRow("delete in asset") << R"("base": "ETH")"
                                         << R"("base": "ETH\u007f")"
                                         << "markets[1].instrument.base: control characters are not allowed";
        // Issue 15 part 4/5: the trader's settings, each field named.
        QTest::newRow("fat-finger band type") << R"("log_level": "debug")"
                                              << R"("log_level": "debug", "manual": {"fat_finger_band_percent": "5"})"
                                              << "manual.fat_finger_band_percent: expected a number";
        QTest::newRow("fat-finger band range") << R"("log_level": "debug")"
                                               << R"("log_level": "debug", "manual": {"fat_finger_band_percent": 0})"
                                               << "manual.fat_finger_band_percent: must be between";
        QTest::newRow("fat-finger notional") << R"("log_level": "debug")"
                                             << R"("log_level": "debug", "manual": {"fat_finger_max_notional": 500})"
                                             << "manual.fat_finger_max_notional: expected a decimal string";
        QTest::newRow("flatten band") << R"("log_level": "debug")"
                                      << R"("log_level": "debug", "manual": {"flatten_band_percent": 101})"
                                      << "manual.flatten_band_percent: must be between";
        QTest::newRow("click mode") << R"("log_level": "debug")"
                                    << R"("log_level": "debug", "manual": {"click_to_trade": "triple"})"
                                    << "manual.click_to_trade: expected \"double\"";
        QTest::newRow("hotkey") << R"("log_level": "debug")"
                                << R"("log_level": "debug", "manual": {"hotkeys": {"flatten": "Ctrl+Hyper+F"}})"
                                << "manual.hotkeys.flatten: \"Ctrl+Hyper+F\" is not a key sequence";
        QTest::newRow("hotkey twice") << R"("log_level": "debug")"
                                      << R"("log_level": "debug", "manual": {"hotkeys": {"flatten": "Ctrl+B"}})"
                                      << "manual.hotkeys.flatten: \"Ctrl+B\" is already the key of buy_at_touch";
        QTest::newRow("manual unknown") << R"("log_level": "debug")"
                                        << R"("log_level": "debug", "manual": {"single_click": true})"
                                        << "manual.single_click: unknown key";
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

    void refusesSecretsOthersCanReadOrChange_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("settings");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("modeText");
        const QString both = QString(R"({"api_key": "key-%1", "api_secret": "%1"})").arg(kSecretValue);
        QTest::newRow("0644 key and secret") << 0644 << both << "markets[1].settings.api_key"
                                             << "mode 0644";
        QTest::newRow("0640 group reads") << 0640 << both << "markets[1].settings.api_key"
                                          << "mode 0640";
        QTest::newRow("0604 others read") << 0604 << both << "markets[1].settings.api_key"
                                          << "mode 0604";
        QTest::newRow("0644 secret only") << 0644 << QString(R"({"rate": 5, "api_secret": "%1"})").arg(kSecretValue)
                                          << "markets[1].settings.api_secret"
                                          << "mode 0644";
        QTest::newRow("0620 group writes") << 0620 << both << "markets[1].settings.api_key"
                                           << "mode 0620";
        QTest::newRow("0602 others write") << 0602 << both << "markets[1].settings.api_key"
                                           << "mode 0602";
    }
    void refusesSecretsOthersCanReadOrChange() {
        QFETCH(int, mode);
        QFETCH(QString, settings);
        QFETCH(QString, field);
        QFETCH(QString, modeText);
        QTemporaryDir dir;
        const QString path = writeFile(dir, configWithSettings(settings), mode);
        auto result = ConfigLoader(m_registry).loadFile(path);
        auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "a secret readable by others was accepted");
        const QString text = QString::fromStdString(error->toString());
        QCOMPARE(QString::fromStdString(error->field), field);
        const bool readable = (mode & 044) != 0;
        QVERIFY2(
            text.contains(
                QString("holds a secret but %1 by other users (").arg(readable ? "is readable" : "can be changed") +
                modeText + ")"),
            qPrintable(text));
        QVERIFY2(text.contains("chmod 600 " + path), qPrintable(text));
        QVERIFY2(!text.contains(kSecretValue), qPrintable(text));
    }

    void acceptsSecretsOnlyTheOwnerCanRead_data() {
        QTest::addColumn<int>("mode");
        QTest::newRow("0600") << 0600;
        QTest::newRow("0400") << 0400;
    }
    void acceptsSecretsOnlyTheOwnerCanRead() {
        QFETCH(int, mode);
        QTemporaryDir dir;
        const QString path = writeFile(
            dir, configWithSettings(QString(R"({"api_key": "k", "api_secret": "%1"})").arg(kSecretValue)), mode);
        auto result = ConfigLoader(m_registry).loadFile(path);
        QVERIFY2(std::holds_alternative<AppConfig>(result),
                 std::get_if<ConfigError>(&result) ? std::get<ConfigError>(result).toString().c_str() : "");
    }

    // Names of environment variables are not secrets, and neither is an empty value.
    void acceptsAReadableFileWithoutSecrets_data() {
        QTest::addColumn<QString>("settings");
        QTest::newRow("no credentials") << R"({"rate": 5})";
        QTest::newRow("environment variable names")
            << R"({"api_key_env": "MY_BINANCE_KEY", "api_secret_env": "MY_BINANCE_SECRET"})";
        QTest::newRow("empty values") << R"({"api_key": "", "api_secret": "  "})";
    }
    void acceptsAReadableFileWithoutSecrets() {
        QFETCH(QString, settings);
        QTemporaryDir dir;
        const QString path = writeFile(dir, configWithSettings(settings), 0644);
        auto result = ConfigLoader(m_registry).loadFile(path);
        QVERIFY2(std::holds_alternative<AppConfig>(result),
                 std::get_if<ConfigError>(&result) ? std::get<ConfigError>(result).toString().c_str() : "");
    }

    void findsSecretsAtAnyDepthOfSettings() {
        const QJsonObject root = QJsonDocument::fromJson(R"({"markets": [
            {"settings": {"api_key_env": "K", "api_secret_env": "S", "nested": {"client_secret": "x"},
                          "list": [{"api_key": "y"}, {"api_key": 7}], "password": "not flagged"}},
            {"settings": {"webhook_secret": "z", "api_secret": ""}},
            {"name": "no settings"}],
          "strategy": {"api_secret": "outside markets[].settings"}})")
                                     .object();
        const std::vector<std::string> expected{"markets[0].settings.list[0].api_key",
                                                "markets[0].settings.nested.client_secret",
                                                "markets[1].settings.webhook_secret"};
        QCOMPARE(SecretExposure::secretFields(root), expected);
        QVERIFY(!SecretExposure::isSecretKey("api_key_env"));
        QVERIFY(!SecretExposure::isSecretKey("api_secret_env"));
        QVERIFY(SecretExposure::isSecretKey("api_secret"));
        QVERIFY(!SecretExposure::check(root, std::nullopt, "x").has_value()); // a Qt resource: no mode
        QCOMPARE(SecretExposure::check(root, 0100644, "x")->message,
                 std::string("holds a secret but is readable by other users (mode 0644) (also "
                             "markets[0].settings.nested.client_secret, markets[1].settings.webhook_secret); "
                             "chmod 600 x"));
    }

    // /dev/zero or a log file passed by mistake: read no more than the cap, say why.
    void refusesAFileAboveTheSizeCap() {
        QTemporaryDir dir;
        QByteArray big = kValid;
        big.append(QByteArray(2 * 1024 * 1024, ' '));
        const QString path = writeFile(dir, big, 0600);
        auto result = ConfigLoader(m_registry).loadFile(path);
        auto* error = std::get_if<ConfigError>(&result);
        QVERIFY2(error, "a 2 MiB configuration was accepted");
        QVERIFY2(QString::fromStdString(error->toString()).contains("larger than 1 MiB"), error->toString().c_str());
    }

    void refusesAMissingFile() {
        auto result = ConfigLoader(m_registry).loadFile("/nonexistent/marketdesk.json");
        QVERIFY(std::holds_alternative<ConfigError>(result));
    }
};

QTEST_APPLESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
