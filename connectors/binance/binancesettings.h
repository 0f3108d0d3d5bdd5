#pragma once

#include <QJsonObject>

#include <optional>
#include <string>

namespace md::binance {

/// The `settings` of a `binance` market, validated.
struct Settings {
    std::string restUrl = "https://api.binance.com";
    std::string streamUrl = "wss://stream.binance.com:9443";
    int depthLimit = 1000;      // levels asked for in the REST snapshot
    int backoffInitialMs = 500; // reconnect: first wait, doubled each time, with ±20 % jitter
    int backoffMaxMs = 30000;
    int requestTimeoutMs = 10000;
    std::string apiKeyEnv = "MARKETDESK_BINANCE_API_KEY";
    std::string apiSecretEnv = "MARKETDESK_BINANCE_API_SECRET";

    static std::optional<Settings> parse(const QJsonObject& settings, const std::string& path, std::string& error);
};

} // namespace md::binance
