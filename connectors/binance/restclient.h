#pragma once

#include "binance/binancesettings.h"

#include <QByteArray>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

class QNetworkAccessManager;
class QNetworkReply;

namespace md::binance {

/// What every REST caller of one market shares: the rate-limit state of the host (weight used,
/// Retry-After cooldown) and the clock offset to the server. Atomics: read by the health inspector
/// from any thread, written by whichever market thread made the request.
struct RestGate {
    std::atomic<std::int64_t> cooldownUntilMs{0}; // 429/418: no request to the host before this
    std::atomic<std::uint64_t> cooldowns{0};
    std::atomic<int> usedWeight{-1}; // X-MBX-USED-WEIGHT-1M of the last answer, -1 before any
    std::atomic<int> weightLimit{6000};
    std::atomic<std::int64_t> clockSkewMs{0}; // server time minus ours
    std::atomic<bool> clockSynced{false};
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> requestsRefusedInCooldown{0};
};

/// API key and secret. Never formatted, logged or put in an error message; read once per start.
struct Credentials {
    QByteArray apiKey;
    QByteArray apiSecret;
    std::string source; // where they came from, for the log: "environment (NAME)" or "config"
    bool present() const { return !apiKey.isEmpty() && !apiSecret.isEmpty(); }
    /// The config's inline keys, else the environment variables the settings name.
    static Credentials resolve(const Settings& settings);
};

/// Binance's REST API for one market: builds requests (signed ones with `timestamp`, `recvWindow`
/// and the HMAC-SHA256 of the exact bytes sent), honours the gate's cooldown before sending
/// anything, and records the weight header and any 429/418 Retry-After in the gate.
/// Thread: the thread that creates it (its QNetworkAccessManager lives there). send() blocks that
/// thread in a local event loop, which is right on an executor thread and only used for rare calls
/// elsewhere.
class RestClient : public QObject {
    Q_OBJECT
public:
    enum class Auth { None, ApiKey, Signed };
    struct Response {
        int status = 0; // HTTP status, 0 when no answer came (transport error or timeout)
        QByteArray body;
        std::string error;    // transport error text, or why it was not sent
        bool notSent = false; // refused locally (cooldown, no credentials): the exchange saw nothing
        bool ok() const { return status == 200; }
        /// No answer, or a 5xx: the exchange may or may not have acted on it.
        bool outcomeUnknown() const { return !notSent && (status == 0 || status >= 500); }
        std::string describe() const;
    };

    RestClient(Settings settings, Credentials credentials, std::shared_ptr<RestGate> gate, std::string logName,
               QObject* parent = nullptr);
    ~RestClient() override;

    void sendAsync(const QByteArray& method, const QString& path, QByteArray params, Auth auth,
                   std::function<void(Response)> done);
    Response send(const QByteArray& method, const QString& path, const QByteArray& params, Auth auth);
    /// GET /api/v3/time; records the offset (half the round trip assumed each way). Blocking.
    bool syncClock();
    bool hasCredentials() const { return m_credentials.present(); }

private:
    Response finish(QNetworkReply* reply);

    Settings m_settings;
    Credentials m_credentials;
    std::shared_ptr<RestGate> m_gate;
    std::string m_logName;
    QNetworkAccessManager* m_net;
};

} // namespace md::binance
