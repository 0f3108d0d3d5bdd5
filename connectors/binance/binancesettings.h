#pragma once

#include <QJsonObject>

#include <cstdint>
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
    std::string userStreamUrl; // empty: the same host as streamUrl (its /ws/<listenKey>)
    int recvWindowMs = 5000;   // how late a signed request may arrive before Binance refuses it
    int listenKeyKeepaliveMs = 30 * 60 * 1000;
    // Binance closes every connection after 24 hours; reconnecting earlier on our own terms avoids
    // being cut off at an arbitrary moment.
    std::int64_t maxConnectionAgeMs = 23LL * 60 * 60 * 1000 + 30 * 60 * 1000;
    std::string apiKeyEnv = "MARKETDESK_BINANCE_API_KEY";
    std::string apiSecretEnv = "MARKETDESK_BINANCE_API_SECRET";
    // Keys written in the config itself (the config loader refuses such a file when others can read it).
    std::string apiKey;
    std::string apiSecret;

    /// The user data stream's base URL.
    std::string userStreamBase() const { return userStreamUrl.empty() ? streamUrl : userStreamUrl; }

    static std::optional<Settings> parse(const QJsonObject& settings, const std::string& path, std::string& error);
};

} // namespace md::binance
