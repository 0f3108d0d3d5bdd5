#pragma once

#include <QJsonObject>

#include <cstdint>
#include <optional>
#include <string>

namespace md::binance {

/// The `settings` of a `binance` market, validated. Defaults are Binance Spot's live endpoints
/// (rest-api.md, web-socket-streams.md, web-socket-api.md "General API Information").
struct Settings {
    enum class OrderTransport { WsApi, Rest };

    std::string restUrl = "https://api.binance.com";
    std::string streamUrl = "wss://stream.binance.com:9443";
    std::string wsApiUrl = "wss://ws-api.binance.com:443/ws-api/v3";
    // Orders and user data go over one WebSocket API session; signed REST is the fallback while it
    // is down. "rest" sends every order over REST (the benchmark's comparison, or a network that
    // blocks the WebSocket API).
    OrderTransport orderTransport = OrderTransport::WsApi;
    int depthLimit = 1000;      // levels asked for in the REST snapshot
    int backoffInitialMs = 500; // reconnect: first wait, doubled each time, with ±20 % jitter
    int backoffMaxMs = 30000;
    int requestTimeoutMs = 10000;
    int recvWindowMs = 5000; // how late a signed request may arrive before Binance refuses it
    // Binance closes every connection after 24 hours; reconnecting earlier on our own terms avoids
    // being cut off at an arbitrary moment.
    std::int64_t maxConnectionAgeMs = 23LL * 60 * 60 * 1000 + 30 * 60 * 1000;
    // Binance's servers ping every 20 s: a connection silent for longer than this is dead.
    int silenceTimeoutMs = 30000;
    // How long a placement may wait for the host's shared rate budget before it is refused.
    int rateWaitMs = 1000;
    // How often the symbol's average price (PERCENT_PRICE_BY_SIDE) is asked for.
    int avgPriceRefreshMs = 30000;
    std::string apiKeyEnv = "MARKETDESK_BINANCE_API_KEY";
    std::string apiSecretEnv = "MARKETDESK_BINANCE_API_SECRET";
    std::string privateKeyFileEnv = "MARKETDESK_BINANCE_PRIVATE_KEY_FILE";
    // Keys written in the config itself (the config loader refuses such a file when others can read
    // it). An Ed25519 key is named by its PEM file, which must be 0600.
    std::string apiKey;
    std::string apiSecret;
    std::string privateKeyFile;

    static std::optional<Settings> parse(const QJsonObject& settings, const std::string& path, std::string& error);
    /// The REST host: the key of the rate budget every market on it shares.
    std::string restHost() const;
};

} // namespace md::binance
