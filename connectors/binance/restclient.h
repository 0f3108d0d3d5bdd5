#pragma once

#include "binance/binancesettings.h"
#include "binance/binancesignature.h"
#include "binance/credentials.h"
#include "binance/keystatus.h"
#include "binance/ordermessages.h"
#include "binance/ratelimits.h"
#include "binance/serverclock.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <string>

class QNetworkAccessManager;
class QNetworkReply;

namespace md::binance {

/// What the REST client and the WebSocket API session of one market share.
struct SessionShared {
    std::shared_ptr<RateLimits> limits;
    std::shared_ptr<ServerClock> clock = std::make_shared<ServerClock>();
    std::shared_ptr<KeyStatus> keys = std::make_shared<KeyStatus>();
};

/// The answer to one request, REST or WebSocket API.
struct Response {
    int status = 0;  // HTTP status (the WebSocket API uses the same numbers); 0 when no answer came
    QByteArray body; // REST body, or the WebSocket API's `result` (or whole answer on error)
    std::optional<ApiError> error;
    std::string transportError;   // why no answer came, or why it was not sent
    bool notSent = false;         // refused before anything left (budget, pause, no key, connection refused)
    std::int64_t retryInMs = 0;   // notSent by the rate budget: when it could go
    std::int64_t timestampMs = 0; // signed requests: the `timestamp` sent (server clock)
    bool ok() const { return status == 200; }
    /// No answer, a 5xx, or Binance's -1006/-1007 "execution status unknown" whatever the status:
    /// the exchange may or may not have acted on it (rest-api.md "HTTP Return Codes", errors.md).
    bool outcomeUnknown() const;
    int code() const { return error ? error->code : 0; }
    std::string describe() const;
};

/// What every request must pass before anything is sent, REST or WebSocket API: keys present and
/// not refused by Binance (when it needs them), and room in the host's shared budget (counted when
/// there is). nullopt: it may go; otherwise the "not sent" answer to give.
std::optional<Response> preflight(bool needsKeys, bool haveKeys, const SessionShared& shared,
                                  const std::vector<venue::RateCost>& costs);

/// Binance's REST API for one market: builds requests (signed ones with `timestamp`, `recvWindow`
/// and the signature of the percent-encoded payload), asks the host's shared rate budget before
/// sending anything, records what Binance says it counted and any 429/418 Retry-After (which
/// pauses every market on the host), and tells a refused connection (nothing sent) from a lost
/// answer (outcome unknown).
/// Thread: the thread that creates it (its QNetworkAccessManager lives there). send() blocks that
/// thread in a local event loop, which is right on an executor thread and only used for rare calls
/// elsewhere.
class RestClient : public QObject {
    Q_OBJECT
public:
    enum class Auth { None, ApiKey, Signed };
    struct Request {
        QByteArray method = "GET";
        QString path;
        Params params;
        Auth auth = Auth::None;
        int weight = 1;
        int orders = 0;             // placements: counted against the ORDERS quotas
        bool freeOnSuccess = false; // order placement and cancel: weight 0 when successful (CHANGELOG 2026-03-27)
    };

    RestClient(Settings settings, Credentials credentials, SessionShared shared, std::string logName,
               QObject* parent = nullptr);
    ~RestClient() override;

    /// `done` runs on this thread — unless `context` (the caller) is destroyed first: then never.
    void sendAsync(Request request, std::function<void(Response)> done, QObject* context = nullptr);
    /// Blocking; a -1021 (timestamp outside recvWindow) makes it measure the clock and retry once.
    Response send(const Request& request);
    /// GET /api/v3/time; records the offset. Blocking.
    bool syncClock();
    bool hasCredentials() const { return m_credentials.present(); }
    const Settings& settings() const { return m_settings; }

private:
    Response finish(QNetworkReply* reply, const Request& request, const std::vector<venue::RateCost>& costs);

    Settings m_settings;
    Credentials m_credentials;
    SessionShared m_shared;
    std::string m_logName;
    QNetworkAccessManager* m_net;
};

} // namespace md::binance
