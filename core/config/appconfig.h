#pragma once

#include "engine/connector.h"
#include "engine/journalsink.h"
#include "engine/manualorder.h"
#include "engine/strategysetup.h"
#include "risk/risklimits.h"

#include <QJsonObject>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace md {

/// One strategy of the desk as configured (issue 17); its owner id is its index in AppConfig::strategies.
struct StrategyConfig {
    std::string id;
    QJsonObject params;            // "kind" and the kind's parameters, validated by its StrategyFactory
    std::vector<MarketId> markets; // empty: every market (the single "strategy" form without "markets")
    StrategyLimits limits;
};

/// The validated contents of one configuration file.
struct AppConfig {
    std::vector<MarketSpec> markets;
    std::vector<bool> enabled;              // per market: started with the engine
    std::vector<StrategyConfig> strategies; // at least one; "strategy" alone is a list of one
    QJsonObject strategy;                   // the first strategy's params (kept for single-strategy callers)
    double graceSeconds = 30;
    double strategyTimeoutSeconds = 2;
    int quarantineAfterKills = 3;         // 0: never quarantine a market that keeps hanging
    double openOrdersTimeoutSeconds = 10; // a market's open-orders query before it trades
    std::string logLevel = "info";
    std::string logFile;                           // empty: no file
    std::string journal;                           // empty: the default location
    JournalSync journalSync = JournalSync::Normal; // "journal_sync": normal or full
    double journalMaxLagSeconds = 1.0;             // "journal_max_lag_seconds"
    RiskLimits risk;                               // "risk": safe defaults unless raised
    ManualTradingSettings manual;                  // "manual": ticket, click-to-trade, fat-finger, hotkeys
    std::string sourcePath;
    QJsonObject document; // the JSON it was read from (File → Save configuration as… writes it back)
};

/// The connector kinds the application knows (filled by app/, read by the loader).
class ConnectorRegistry {
public:
    void add(const ConnectorFactory* factory) { m_factories[factory->kind()] = factory; }
    const ConnectorFactory* find(const std::string& kind) const {
        auto it = m_factories.find(kind);
        return it == m_factories.end() ? nullptr : it->second;
    }
    std::vector<std::string> kinds() const {
        std::vector<std::string> out;
        for (const auto& [kind, f] : m_factories)
            out.push_back(kind);
        return out;
    }

private:
    std::map<std::string, const ConnectorFactory*> m_factories;
};

/// What went wrong and where: `field` is a path such as "markets[1].instrument.price_tick".
struct ConfigError {
    std::string field;
    std::string message;
    std::string toString() const { return field.empty() ? message : field + ": " + message; }
};

} // namespace md
