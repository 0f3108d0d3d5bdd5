#pragma once

#include <QJsonObject>

#include <optional>
#include <string>

namespace md::kraken {

/// Kraken's per-pair order-rate counter: the threshold and decay of the account's tier
/// (https://docs.kraken.com/exchange/guides/general/ratelimits: Starter 60 at -1/s, Intermediate 125 at
/// -2.34/s, Pro 180 at -3.75/s).
struct RateTier {
    std::string name = "starter";
    double threshold = 60;
    double decayPerSecond = 1.0;
    static std::optional<RateTier> named(const std::string& name);
};

/// The `settings` of a `kraken` market, validated.
struct Settings {
    std::string wsUrl = "wss://ws.kraken.com/v2";          // public: instrument, book, trade, status
    std::string authWsUrl = "wss://ws-auth.kraken.com/v2"; // private: executions, balances, orders
    std::string restUrl = "https://api.kraken.com";        // GetWebSocketsToken only
    int depth = 10;                                        // book subscription depth: 10, 25, 100, 500, 1000
    int backoffInitialMs = 500;
    int backoffMaxMs = 30000;
    int requestTimeoutMs = 10000; // REST token request
    int answerTimeoutMs = 5000;   // an order request without an answer by then has an unknown outcome
    int pingIntervalMs = 20000;   // application-level ping; also the liveness check
    int silenceTimeoutMs = 15000; // no frame (not even a heartbeat) for this long: reconnect
    int deadManTimeoutS = 60;     // cancel_all_orders_after timeout while orders are open (0: never arm)
    int deadManRefreshS = 20;     // how often it is pushed back
    RateTier rateTier;
    int rateHeadroom = 5; // placements wait while the local counter is within this of the threshold
    // A placement that would have to wait longer is refused at once (OrderRejected): a long wait would
    // hold up the cancels queued behind it.
    int rateMaxWaitMs = 2000;
    // The API key trades nothing but this market: a halt or shutdown may use Kraken's account-wide
    // cancel_all (one request). Otherwise each order of ours is cancelled by its cl_ord_id.
    bool cancelAllAccount = false;
    std::string apiKeyEnv = "MARKETDESK_KRAKEN_API_KEY";
    std::string apiSecretEnv = "MARKETDESK_KRAKEN_API_SECRET";
    std::string apiKey;
    std::string apiSecret;

    static std::optional<Settings> parse(const QJsonObject& settings, const std::string& path, std::string& error);
};

} // namespace md::kraken
