#pragma once

#include "binance/restclient.h"

#include "common/reconnectbackoff.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <map>
#include <memory>
#include <string>

class QTimer;
class QWebSocket;

namespace md::venue {
class StaleConnectionWatch;
}

namespace md::binance {

class WsApiGateway;

/// One request of the WebSocket API (web-socket-api.md "Request format").
struct WsRequest {
    enum class Security { None, Signed };
    std::string method;
    Params params; // without apiKey, timestamp, recvWindow, signature: added for Signed
    Security security = Security::None;
    int weight = 1;
    int orders = 0;
    bool freeOnSuccess = false; // order.place / order.cancel: weight 0 when successful (CHANGELOG 2026-03-27)
};

/// Live figures of the WebSocket API session, read by the health inspector from any thread.
struct WsApiStats {
    std::atomic<bool> ready{false};
    std::atomic<std::uint64_t> connects{0};
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<std::uint64_t> requests{0};
    std::atomic<std::uint64_t> timeouts{0};
    std::atomic<std::uint64_t> serverShutdowns{0};
    std::atomic<std::uint64_t> silentDrops{0}; // declared dead after silence
    std::atomic<std::uint64_t> ageReconnects{0};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::int64_t> reconnectAtMs{0};
    std::atomic<std::int64_t> lastFrameMs{0};
};

/// The market's session on Binance's WebSocket API (`wss://ws-api.binance.com:443/ws-api/v3`):
/// one connection that carries the user data subscription and the orders. It connects (2 weight),
/// logs on with `session.logon` when the key is Ed25519 (web-socket-api.md "Session
/// Authentication": then requests need no apiKey nor signature), matches answers to requests by
/// id, times out requests that get no answer (their outcome is unknown), feeds every answer's
/// `rateLimits` to the host's budget and pauses the host on 429/418, and keeps the connection
/// alive: it pings, declares the connection dead when nothing came for `silence_timeout_ms`
/// (Binance pings every 20 s), reconnects with backoff after any loss, at once on `serverShutdown`,
/// and on its own terms before the 24-hour cut. A key Binance refuses stops the reconnects.
/// Thread: the market's producer thread (created there, with its socket and timers); the executor
/// reaches it through a WsApiGateway.
class WsApiConnection : public QObject {
    Q_OBJECT
public:
    WsApiConnection(Settings settings, Credentials credentials, SessionShared shared, std::shared_ptr<WsApiStats> stats,
                    std::shared_ptr<WsApiGateway> gateway, std::string logName, QObject* parent = nullptr);
    ~WsApiConnection() override;

    void start();
    bool isReady() const { return m_ready; }
    bool loggedOn() const { return m_loggedOn; }
    const Credentials& credentials() const { return m_credentials; }
    /// When the last request's frame was handed to the socket's write (steady ns; this thread only).
    std::int64_t lastWriteNs() const { return m_lastWriteNs; }
    /// Sends at once (or answers at once: not ready, over budget); `done` runs on this thread —
    /// unless `context` (the caller, on this thread) is destroyed first: then never. `sent`, when
    /// given, is set before anything leaves, so a caller can tell "not sent" from "lost".
    void request(const WsRequest& request, std::function<void(Response)> done, QObject* context = nullptr,
                 std::atomic<bool>* sent = nullptr);

signals:
    void ready();                     // connected (and logged on): requests may go
    void lost(const QString& reason); // every pending request has been answered "no answer"
    void userEvent(const QByteArray& event, int subscriptionId);

private:
    void connectNow();
    void onConnected();
    void onDisconnected();
    void onFrame(const QString& frame);
    void logon();
    void becomeReady();
    void dropAndReconnect(const std::string& why, bool immediately);
    void scheduleReconnect(const std::string& why, int delayMs);
    void failPending(const std::string& why);
    void checkTimeouts();
    QByteArray build(const std::string& id, const WsRequest& request, std::int64_t& timestamp) const;

    struct Pending {
        std::function<void(Response)> done;
        QPointer<QObject> context; // set: answer only while it lives
        bool hasContext = false;
        std::int64_t deadlineMs = 0;
        std::int64_t timestampMs = 0;
        std::vector<venue::RateCost> costs;
        bool freeOnSuccess = false;
        int weight = 0;
        std::string method;
    };
    static void answer(Pending& pending, Response response);

    Settings m_settings;
    Credentials m_credentials;
    SessionShared m_shared;
    std::shared_ptr<WsApiStats> m_stats;
    std::shared_ptr<WsApiGateway> m_gateway;
    std::string m_log;
    QWebSocket* m_socket;
    QTimer* m_reconnect;
    QTimer* m_maxAge;
    QTimer* m_timeouts;
    QTimer* m_pinger;
    venue::StaleConnectionWatch* m_watch;
    venue::ReconnectBackoff m_backoff;
    std::map<std::string, Pending> m_pending;
    std::uint64_t m_nextId = 1;
    bool m_ready = false;
    bool m_loggedOn = false;
    bool m_stopped = false; // keys refused: no more reconnects
    std::int64_t m_connectedAtMs = 0;
    std::int64_t m_lastWriteNs = 0;
};

} // namespace md::binance
