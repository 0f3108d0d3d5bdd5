#include "config/configloader.h"

#include "config/duplicatekeys.h"
#include "config/secretexposure.h"
#include "strategy/strategyfactory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace md {
namespace {

/// `text` as an absolute path: as it is when absolute, else taken from `base`.
QString absoluteFrom(const QDir& base, const QString& text) {
    return QFileInfo(text).isRelative() ? QDir::cleanPath(base.absoluteFilePath(text)) : text;
}

/// Paths written in a configuration file are taken from the file's own directory, not from wherever the
/// desk was started: the same file must always open the same journal (the orders an earlier run left
/// open), the same log and the same key files — started from a terminal in the project or from a desktop
/// launcher in $HOME alike. The document is rewritten too, so "Save configuration as…" to another folder
/// keeps pointing at them. Settings keys ending in "_file" (e.g. Binance's private_key_file) are paths.
void resolvePathsAgainst(AppConfig& config, const QDir& base) {
    auto resolve = [&](std::string& path, QJsonObject& holder, const char* key) {
        if (path.empty())
            return;
        path = absoluteFrom(base, QString::fromStdString(path)).toStdString();
        holder.insert(QLatin1String(key), QString::fromStdString(path));
    };
    if (config.document.contains("journal"))
        resolve(config.journal, config.document, "journal");
    if (config.document.contains("log_file"))
        resolve(config.logFile, config.document, "log_file");
    auto resolveFiles = [&](QJsonObject& settings) {
        for (auto it = settings.begin(); it != settings.end(); ++it)
            if (it.key().endsWith(QLatin1String("_file")) && it.value().isString())
                *it = absoluteFrom(base, it.value().toString());
    };
    for (auto& market : config.markets)
        resolveFiles(market.settings);
    if (!config.document.value("markets").isArray())
        return;
    QJsonArray markets = config.document.value("markets").toArray();
    for (auto it = markets.begin(); it != markets.end(); ++it) {
        QJsonObject market = it->toObject();
        if (!market.value("settings").isObject())
            continue;
        QJsonObject settings = market.value("settings").toObject();
        resolveFiles(settings);
        market.insert("settings", settings);
        *it = market;
    }
    config.document.insert("markets", markets);
}

// Thrown inside the loader only, turned into a ConfigError at its boundary.
struct Invalid {
    ConfigError error;
};

[[noreturn]] void fail(const std::string& field, const std::string& message) {
    throw Invalid{{field, message}};
}

std::string join(const std::string& path, const QString& key) {
    return path.empty() ? key.toStdString() : path + "." + key.toStdString();
}

void refuseUnknownKeys(const QJsonObject& object, const std::string& path, std::initializer_list<const char*> known) {
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool ok = false;
        for (const char* k : known)
            ok = ok || it.key() == QLatin1String(k);
        if (!ok) {
            std::string list;
            for (const char* k : known)
                list += (list.empty() ? "" : ", ") + std::string(k);
            fail(join(path, it.key()), "unknown key (expected one of: " + list + ")");
        }
    }
}

QJsonValue require(const QJsonObject& object, const std::string& path, const char* key) {
    if (!object.contains(key))
        fail(join(path, key), "missing");
    return object.value(key);
}

// Names and texts reach the log, the window and files: a newline or an escape sequence in them could
// forge a log line or repaint a terminal. C0 and C1 controls and DEL are refused.
bool hasControlCharacter(const QString& text) {
    for (const QChar c : text)
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f))
            return true;
    return false;
}

std::string requireString(const QJsonObject& object, const std::string& path, const char* key) {
    QJsonValue v = require(object, path, key);
    if (!v.isString() || v.toString().isEmpty())
        fail(join(path, key), "expected a non-empty string");
    if (hasControlCharacter(v.toString()))
        fail(join(path, key), "control characters are not allowed (newlines, tabs, escape sequences)");
    return v.toString().toStdString();
}

Decimal requirePositiveDecimal(const QJsonObject& object, const std::string& path, const char* key) {
    QJsonValue v = require(object, path, key);
    if (!v.isString())
        fail(join(path, key), "expected a decimal string such as \"0.01\" (numbers are refused: they are not exact)");
    const std::string text = v.toString().toStdString();
    auto d = Decimal::parse(text);
    if (!d)
        fail(join(path, key), "\"" + text + "\" " + Decimal::parseFailure(text));
    if (!d->isPositive())
        fail(join(path, key), "must be greater than zero");
    return *d;
}

Instrument parseInstrument(const QJsonObject& o, const std::string& path) {
    refuseUnknownKeys(o, path, {"symbol", "base", "quote", "price_tick", "quantity_step", "min_notional"});
    Instrument i;
    i.symbol = requireString(o, path, "symbol");
    i.base = requireString(o, path, "base");
    i.quote = requireString(o, path, "quote");
    i.tick = Price(requirePositiveDecimal(o, path, "price_tick"));
    i.step = Quantity(requirePositiveDecimal(o, path, "quantity_step"));
    if (o.contains("min_notional")) {
        QJsonValue v = o.value("min_notional");
        auto d = v.isString() ? Decimal::parse(v.toString().toStdString()) : std::nullopt;
        if (v.isString() && !d)
            fail(path + ".min_notional",
                 "\"" + v.toString().toStdString() + "\" " + Decimal::parseFailure(v.toString().toStdString()));
        if (!d || d->isNegative())
            fail(path + ".min_notional", "expected a non-negative decimal string");
        i.minNotional = Notional(*d);
    }
    return i;
}

double requireNumber(const QJsonObject& o, const std::string& path, const char* key, double min, double max) {
    QJsonValue v = o.value(key);
    if (!v.isDouble())
        fail(join(path, key), "expected a number");
    double x = v.toDouble();
    if (x < min || x > max)
        fail(join(path, key), fmt::format("must be between {} and {}", min, max));
    return x;
}

std::map<std::string, Decimal> parsePositionLimits(const QJsonObject& o, const std::string& path) {
    std::map<std::string, Decimal> limits;
    for (auto it = o.begin(); it != o.end(); ++it)
        limits[it.key().toStdString()] = requirePositiveDecimal(o, path, it.key().toUtf8().constData());
    return limits;
}

RiskLimits parseRisk(const QJsonObject& o, const std::string& path, const std::vector<MarketSpec>& markets) {
    refuseUnknownKeys(o, path,
                      {"max_orders_per_second", "order_burst", "max_open_orders", "max_order_notional", "max_position",
                       "max_position_per_market", "stale_data_seconds", "stuck_action_seconds"});
    RiskLimits limits;
    if (o.contains("max_orders_per_second"))
        limits.maxOrdersPerSecond = requireNumber(o, path, "max_orders_per_second", 0.001, 1e6);
    if (o.contains("order_burst"))
        limits.orderBurst = requireNumber(o, path, "order_burst", 1, 1e6);
    if (o.contains("max_open_orders"))
        limits.maxOpenOrders = static_cast<int>(requireNumber(o, path, "max_open_orders", 1, 1e6));
    if (o.contains("max_order_notional"))
        limits.maxOrderNotional = requirePositiveDecimal(o, path, "max_order_notional");
    if (o.contains("stale_data_seconds"))
        limits.staleDataSeconds = requireNumber(o, path, "stale_data_seconds", 0.05, 86400);
    if (o.contains("stuck_action_seconds"))
        limits.stuckActionSeconds = requireNumber(o, path, "stuck_action_seconds", 0.05, 86400);
    if (o.contains("max_position")) {
        if (!o.value("max_position").isObject())
            fail(path + ".max_position", "expected an object of asset: decimal string");
        limits.maxPosition = parsePositionLimits(o.value("max_position").toObject(), path + ".max_position");
    }
    if (o.contains("max_position_per_market")) {
        // {"<market>": {"<asset>": "<limit>"}}: the position one market's own fills may build.
        const std::string where = path + ".max_position_per_market";
        if (!o.value("max_position_per_market").isObject())
            fail(where, "expected an object of market: {asset: decimal string}");
        const QJsonObject perMarket = o.value("max_position_per_market").toObject();
        for (auto it = perMarket.begin(); it != perMarket.end(); ++it) {
            const std::string name = it.key().toStdString();
            const std::string at = where + "." + name;
            auto market =
                std::find_if(markets.begin(), markets.end(), [&](const MarketSpec& m) { return m.name == name; });
            if (market == markets.end())
                fail(at, "no market is named \"" + name + "\"");
            if (!it.value().isObject())
                fail(at, "expected an object of asset: decimal string");
            auto assets = parsePositionLimits(it.value().toObject(), at);
            for (const auto& [asset, limit] : assets)
                if (asset != market->instrument.base && asset != market->instrument.quote)
                    fail(at + "." + asset, "not an asset of " + name + " (" + market->instrument.base + ", " +
                                               market->instrument.quote + ")");
            limits.maxMarketPosition[market->id] = std::move(assets);
        }
    }
    return limits;
}

// A Qt key sequence as the window's shortcuts take it ("Ctrl+Shift+F", "F2", "B"): checked here, in
// core (no QtGui), so a typo is a config error naming the field rather than a hotkey that never fires.
std::string requireHotkey(const QJsonObject& o, const std::string& path, const char* key) {
    const std::string text = requireString(o, path, key);
    static const std::set<std::string> modifiers{"Ctrl", "Shift", "Alt", "Meta"};
    static const std::set<std::string> named{"Space",  "Enter",  "Return", "Esc",    "Escape", "Tab", "Backspace",
                                             "Del",    "Delete", "Ins",    "Insert", "Home",   "End", "PgUp",
                                             "PgDown", "Up",     "Down",   "Left",   "Right"};
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t plus; (plus = text.find('+', start)) != std::string::npos; start = plus + 1)
        parts.push_back(text.substr(start, plus - start));
    parts.push_back(text.substr(start));
    auto isKey = [&](const std::string& k) {
        if (k.size() == 1)
            return (k[0] >= 'A' && k[0] <= 'Z') || (k[0] >= '0' && k[0] <= '9');
        if (k.size() >= 2 && k.size() <= 3 && k[0] == 'F') {
            const int n = std::atoi(k.c_str() + 1);
            return n >= 1 && n <= 24 && std::to_string(n) == k.substr(1);
        }
        return named.count(k) > 0;
    };
    bool ok = isKey(parts.back());
    for (std::size_t i = 0; ok && i + 1 < parts.size(); ++i)
        ok = modifiers.count(parts[i]) > 0;
    if (!ok)
        fail(join(path, key), "\"" + text +
                                  "\" is not a key sequence (modifiers Ctrl, Shift, Alt, Meta joined by + to one key: "
                                  "A-Z, 0-9, F1-F24, or a named key such as Space, Enter, Delete)");
    return text;
}

ManualTradingSettings parseManual(const QJsonObject& o, const std::string& path) {
    refuseUnknownKeys(
        o, path,
        {"fat_finger_band_percent", "fat_finger_max_notional", "flatten_band_percent", "click_to_trade", "hotkeys"});
    ManualTradingSettings m;
    if (o.contains("fat_finger_band_percent"))
        m.fatFinger.bandPercent = requireNumber(o, path, "fat_finger_band_percent", 0.01, 100);
    if (o.contains("fat_finger_max_notional"))
        m.fatFinger.maxNotional = requirePositiveDecimal(o, path, "fat_finger_max_notional");
    if (o.contains("flatten_band_percent"))
        m.flattenBandPercent = requireNumber(o, path, "flatten_band_percent", 0.01, 100);
    if (o.contains("click_to_trade")) {
        const std::string mode = requireString(o, path, "click_to_trade");
        if (mode != "single" && mode != "double")
            fail(path + ".click_to_trade",
                 "expected \"double\" (a click prepares, a second click or Enter sends) or \"single\" (a click sends)");
        m.singleClick = mode == "single";
    }
    if (o.contains("hotkeys")) {
        const std::string at = path + ".hotkeys";
        if (!o.value("hotkeys").isObject())
            fail(at, "expected an object");
        const QJsonObject k = o.value("hotkeys").toObject();
        refuseUnknownKeys(k, at, {"buy_at_touch", "sell_at_touch", "cancel_all", "flatten"});
        if (k.contains("buy_at_touch"))
            m.hotkeyBuy = requireHotkey(k, at, "buy_at_touch");
        if (k.contains("sell_at_touch"))
            m.hotkeySell = requireHotkey(k, at, "sell_at_touch");
        if (k.contains("cancel_all"))
            m.hotkeyCancelAll = requireHotkey(k, at, "cancel_all");
        if (k.contains("flatten"))
            m.hotkeyFlatten = requireHotkey(k, at, "flatten");
        const std::vector<std::pair<const char*, std::string>> all{{"buy_at_touch", m.hotkeyBuy},
                                                                   {"sell_at_touch", m.hotkeySell},
                                                                   {"cancel_all", m.hotkeyCancelAll},
                                                                   {"flatten", m.hotkeyFlatten}};
        for (std::size_t i = 0; i < all.size(); ++i)
            for (std::size_t j = 0; j < i; ++j)
                if (all[i].second == all[j].second)
                    fail(at + "." + all[i].first, "\"" + all[i].second + "\" is already the key of " + all[j].first);
    }
    return m;
}

// One strategy of the desk: "id", "kind", "markets" (names; every market when absent), "limits", and
// the kind's own parameters, which its factory checks against the markets the strategy trades.
StrategyConfig parseStrategy(const QJsonObject& o, const std::string& path, const std::vector<MarketSpec>& markets,
                             bool single) {
    StrategyConfig sc;
    sc.id = o.contains("id") || !single ? requireString(o, path, "id") : std::string("strategy");
    QJsonValue kind = o.value("kind");
    if (!kind.isString())
        fail(path + ".kind", "missing (one of: mirror, market_maker, none)");
    const StrategyFactory* sf = findStrategyFactory(kind.toString().toStdString());
    if (!sf) {
        std::string kinds;
        for (const auto& k : strategyKinds())
            kinds += (kinds.empty() ? "" : ", ") + k;
        fail(path + ".kind", "unknown strategy \"" + kind.toString().toStdString() + "\" (known: " + kinds + ")");
    }
    std::vector<MarketSpec> traded;
    if (o.contains("markets")) {
        const QJsonValue v = o.value("markets");
        if (!v.isArray() || v.toArray().isEmpty())
            fail(path + ".markets", "expected a non-empty list of market names");
        for (const auto& name : v.toArray()) {
            auto it = std::find_if(markets.begin(), markets.end(), [&](const MarketSpec& m) {
                return name.isString() && m.name == name.toString().toStdString();
            });
            if (it == markets.end())
                fail(path + ".markets", "no market named '" + name.toString().toStdString() + "'");
            if (std::find(sc.markets.begin(), sc.markets.end(), it->id) != sc.markets.end())
                fail(path + ".markets", "'" + it->name + "' named twice");
            sc.markets.push_back(it->id);
            traded.push_back(*it);
        }
    } else if (!single) {
        fail(path + ".markets", "missing (the names of the markets it trades)");
    } else {
        traded = markets;
    }
    if (o.contains("limits")) {
        if (!o.value("limits").isObject())
            fail(path + ".limits", "expected an object");
        const QJsonObject l = o.value("limits").toObject();
        const std::string lp = path + ".limits";
        refuseUnknownKeys(l, lp, {"max_position", "max_open_orders"});
        if (l.contains("max_position"))
            sc.limits.maxPosition = requirePositiveDecimal(l, lp, "max_position");
        if (l.contains("max_open_orders")) {
            const double n = requireNumber(l, lp, "max_open_orders", 1, 1e6);
            if (n != static_cast<int>(n))
                fail(lp + ".max_open_orders", "expected a whole number");
            sc.limits.maxOpenOrders = static_cast<std::size_t>(n);
        }
    }
    sc.params = o;
    sc.params.remove("id");
    sc.params.remove("markets");
    sc.params.remove("limits");
    if (auto error = sf->validate(sc.params, traded, path)) {
        // A parameter naming a market the strategy does not trade: say which list to fix.
        if (traded.size() != markets.size() && !sf->validate(sc.params, markets, path))
            fail(path + ".markets", "does not include a market its parameters name (" + *error + ")");
        throw Invalid{{"", *error}};
    }
    return sc;
}

AppConfig parseRoot(const QJsonObject& root, const ConnectorRegistry& connectors) {
    refuseUnknownKeys(root, "",
                      {"markets", "strategy", "strategies", "grace_seconds", "strategy_timeout_seconds", "log_level",
                       "log_file", "journal", "journal_sync", "journal_max_lag_seconds", "risk",
                       "quarantine_after_kills", "open_orders_timeout_seconds", "manual"});
    AppConfig config;
    QJsonValue marketsValue = require(root, "", "markets");
    if (!marketsValue.isArray() || marketsValue.toArray().isEmpty())
        fail("markets", "expected a non-empty list of markets");
    const QJsonArray markets = marketsValue.toArray();
    if (markets.size() > 1000)
        fail("markets", "too many markets (at most 1000)");
    std::set<std::string> names;
    for (int i = 0; i < markets.size(); ++i) {
        const std::string path = fmt::format("markets[{}]", i);
        if (!markets[i].isObject())
            fail(path, "expected an object");
        const QJsonObject m = markets[i].toObject();
        refuseUnknownKeys(m, path, {"name", "connector", "instrument", "settings", "enabled"});
        MarketSpec spec;
        spec.id = static_cast<MarketId>(i);
        spec.name = requireString(m, path, "name");
        if (!names.insert(spec.name).second)
            fail(path + ".name", "duplicate market name \"" + spec.name + "\"");
        spec.connector = requireString(m, path, "connector");
        const ConnectorFactory* factory = connectors.find(spec.connector);
        if (!factory) {
            std::string kinds;
            for (const auto& k : connectors.kinds())
                kinds += (kinds.empty() ? "" : ", ") + k;
            fail(path + ".connector", "unknown connector \"" + spec.connector + "\" (known: " + kinds + ")");
        }
        QJsonValue instrument = require(m, path, "instrument");
        if (!instrument.isObject())
            fail(path + ".instrument", "expected an object");
        spec.instrument = parseInstrument(instrument.toObject(), path + ".instrument");
        if (m.contains("settings")) {
            if (!m.value("settings").isObject())
                fail(path + ".settings", "expected an object");
            spec.settings = m.value("settings").toObject();
        }
        if (auto error = factory->validateMarket(spec, path))
            throw Invalid{{"", *error}};
        bool enabled = true;
        if (m.contains("enabled")) {
            if (!m.value("enabled").isBool())
                fail(path + ".enabled", "expected true or false");
            enabled = m.value("enabled").toBool();
        }
        config.markets.push_back(std::move(spec));
        config.enabled.push_back(enabled);
    }

    // Issue 17: "strategies" lists the desk's strategies; the single "strategy" object is a list of one.
    if (root.contains("strategy") && root.contains("strategies"))
        fail("strategies", "give either \"strategy\" (one) or \"strategies\" (a list), not both");
    if (root.contains("strategies")) {
        const QJsonValue list = root.value("strategies");
        if (!list.isArray() || list.toArray().isEmpty())
            fail("strategies", "expected a non-empty list of strategies");
        if (list.toArray().size() > 256)
            fail("strategies", "at most 256 strategies");
        std::set<std::string> ids;
        for (qsizetype i = 0; i < list.toArray().size(); ++i) {
            const std::string path = "strategies[" + std::to_string(i) + "]";
            const QJsonValue item = list.toArray().at(i);
            if (!item.isObject())
                fail(path, "expected an object");
            StrategyConfig sc = parseStrategy(item.toObject(), path, config.markets, false);
            if (!ids.insert(sc.id).second)
                fail(path + ".id", "duplicate strategy id '" + sc.id + "'");
            config.strategies.push_back(std::move(sc));
        }
    } else {
        QJsonValue strategy = require(root, "", "strategy");
        if (!strategy.isObject())
            fail("strategy", "expected an object");
        config.strategies.push_back(parseStrategy(strategy.toObject(), "strategy", config.markets, true));
    }
    config.strategy = config.strategies.front().params;

    if (root.contains("grace_seconds"))
        config.graceSeconds = requireNumber(root, "", "grace_seconds", 0.05, 3600);
    if (root.contains("quarantine_after_kills")) {
        const double kills = requireNumber(root, "", "quarantine_after_kills", 0, 1000);
        if (kills != static_cast<int>(kills))
            fail("quarantine_after_kills", "expected a whole number");
        config.quarantineAfterKills = static_cast<int>(kills);
    }
    if (root.contains("open_orders_timeout_seconds"))
        config.openOrdersTimeoutSeconds = requireNumber(root, "", "open_orders_timeout_seconds", 0.05, 3600);
    if (root.contains("strategy_timeout_seconds"))
        config.strategyTimeoutSeconds = requireNumber(root, "", "strategy_timeout_seconds", 0.01, 600);
    if (root.contains("log_level")) {
        config.logLevel = requireString(root, "", "log_level");
        static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
        if (!levels.count(config.logLevel))
            fail("log_level", "expected one of trace, debug, info, warn, error, critical, off");
    }
    if (root.contains("log_file"))
        config.logFile = requireString(root, "", "log_file");
    if (root.contains("risk")) {
        if (!root.value("risk").isObject())
            fail("risk", "expected an object");
        config.risk = parseRisk(root.value("risk").toObject(), "risk", config.markets);
    }
    if (root.contains("manual")) {
        if (!root.value("manual").isObject())
            fail("manual", "expected an object");
        config.manual = parseManual(root.value("manual").toObject(), "manual");
    }
    if (root.contains("journal"))
        config.journal = requireString(root, "", "journal");
    if (root.contains("journal_sync")) {
        const std::string sync = requireString(root, "", "journal_sync");
        if (sync != "normal" && sync != "full")
            fail("journal_sync",
                 "expected \"normal\" (survives a crash of MarketDesk) or \"full\" (also a power loss)");
        config.journalSync = sync == "full" ? JournalSync::Full : JournalSync::Normal;
    }
    if (root.contains("journal_max_lag_seconds"))
        config.journalMaxLagSeconds = requireNumber(root, "", "journal_max_lag_seconds", 0.05, 60);
    return config;
}

std::optional<unsigned> fileMode(const QFile& file) {
#ifdef Q_OS_UNIX
    // fstat on the descriptor that was read: the mode of the very bytes parsed, not of whatever the
    // name points at a moment later. A Qt resource has no descriptor and no mode.
    struct stat st {};
    if (file.handle() >= 0 && ::fstat(file.handle(), &st) == 0)
        return static_cast<unsigned>(st.st_mode);
#else
    Q_UNUSED(file);
#endif
    return std::nullopt;
}

} // namespace

std::variant<AppConfig, ConfigError> ConfigLoader::loadFile(const QString& path) const {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ConfigError{"", "cannot read " + path.toStdString() + ": " + file.errorString().toStdString()};
    // Never more than the cap: /dev/zero or a log file given by mistake must not be read to exhaustion.
    const QByteArray json = file.read(kMaxFileBytes + 1);
    if (json.size() > kMaxFileBytes)
        return ConfigError{"", "cannot read " + path.toStdString() +
                                   ": larger than 1 MiB, which no configuration is (is it the right file?)"};
    // Before any other check: an exposed key is the first thing its owner needs to hear about.
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    if (doc.isObject())
        if (auto exposed = SecretExposure::check(doc.object(), fileMode(file), path.toStdString()))
            return *exposed;
    auto result = parse(json);
    if (auto* config = std::get_if<AppConfig>(&result)) {
        config->sourcePath = path.toStdString();
        resolvePathsAgainst(*config, QFileInfo(path).absoluteDir());
    }
    return result;
}

std::variant<AppConfig, ConfigError> ConfigLoader::parse(const QByteArray& json) const {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Report a line and column a person can find, not a byte offset.
        int line = 1, column = 1;
        for (int i = 0; i < parseError.offset && i < json.size(); ++i) {
            if (json[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        return ConfigError{"", fmt::format("invalid JSON at line {}, column {}: {}", line, column,
                                           parseError.errorString().toStdString())};
    }
    if (!doc.isObject())
        return ConfigError{"", "expected a JSON object at the top level"};
    if (auto duplicate = findDuplicateKey(json))
        return ConfigError{*duplicate, "duplicate key (each key may appear once; which one counts would be a guess)"};
    try {
        AppConfig config = parseRoot(doc.object(), m_connectors);
        config.document = doc.object();
        return config;
    } catch (const Invalid& invalid) {
        return invalid.error;
    }
}

} // namespace md
