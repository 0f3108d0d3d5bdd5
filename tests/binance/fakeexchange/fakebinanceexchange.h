#pragma once

#include "fakebook.h"
#include "fakekeys.h"
#include "fakeratelimiter.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <QByteArray>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QTcpServer;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace md::test {

/// A local stand-in for Binance Spot as it is today (binance-spot-api-docs, CHANGELOG to
/// 2026-07), on loopback, speaking its wire protocols:
/// - market data: REST `GET /api/v3/depth`, `/api/v3/time`, `/api/v3/exchangeInfo`,
///   `/api/v3/avgPrice` and the combined stream (`/stream?streams=<sym>@depth@100ms/...`) from books
///   it moves itself, for one or more symbols, or a recorded session played back;
/// - the WebSocket API (`/ws-api/v3`): `session.logon` (Ed25519), `userDataStream.subscribe`,
///   `userDataStream.subscribe.signature`, `userDataStream.unsubscribe`, `order.place`,
///   `order.cancel`, `order.status`, `openOrders.status`, `account.status`, `time`; signatures over
///   the parameters sorted by name (HMAC or Ed25519); user data pushed as
///   `{"subscriptionId": n, "event": {...}}`; `rateLimits` in every answer;
/// - signed REST for the same operations (signature over the percent-encoded bytes received);
/// - the retired listenKey endpoints (`/api/v3/userDataStream`, `/api/v1/userDataStream`, the
///   `/ws/<listenKey>` stream) answer 410 Gone;
/// - per-endpoint weights and order counts per IP, `X-MBX-USED-WEIGHT-*` / `X-MBX-ORDER-COUNT-*`
///   headers, 429 when the budget runs out and 418 for a client that ignores it;
/// - server pings with a pong deadline, `serverShutdown`, connections that fall silent;
/// - faults: a dropped diff, a stale snapshot, overlapping diffs, a snapshot inside a diff,
///   malformed frames, dropped or refused connections, -1007 on a placement it did accept, a 5xx on
///   one it did not, a placement that lands after two "does not exist" queries, no answer at all,
///   a restart that forgets the open orders, clock skew (-1021), revoked keys, eventStreamTerminated.
/// Thread: the thread that creates it (its timers and sockets live there).
class FakeBinanceExchange : public QObject {
    Q_OBJECT
public:
    explicit FakeBinanceExchange(QString symbol = "BTCUSDT", std::uint64_t seed = 1, QObject* parent = nullptr);
    ~FakeBinanceExchange() override;

    /// Listens on 127.0.0.1 (REST and WebSocket on two ports); false when it cannot.
    bool listen(quint16 restPort = 0, quint16 streamPort = 0);
    QString restUrl() const;
    QString streamUrl() const;
    QString wsApiUrl() const;

    // ---- symbols and market data ----
    FakeBook& book(const QString& symbol = {});
    /// Another symbol (its own book, the same account and limits).
    FakeBook& addSymbol(const QString& symbol, const QString& base, const QString& quote, const QString& mid);
    /// A recorded session for `symbol`, served as it was received (`limit=1000` snapshot only).
    void loadRecording(const QString& symbol, QList<QByteArray> frames, QByteArray snapshot, int framesBeforeSnapshot,
                       QString tickSize, QString stepSize);
    void setUpdateIntervalMs(int ms);
    void pauseUpdates(bool paused);
    /// One update of every book now (frames sent), for a test or benchmark that drives the clock.
    void stepOnce();
    /// One small diff of the first book (the best bid's quantity changes), sent at once; returns the
    /// steady clock (ns) just before it was handed to the sockets. For the tick-to-trade benchmark.
    qint64 publishTouch();
    void dropNextDiff() { book().dropNext = true; }
    void serveStaleSnapshot(std::uint64_t age) { book().staleBy = age; }
    void sendMalformedFrame();
    void dropConnections();
    void refuseConnectionsFor(int ms);
    std::pair<QString, QString> bestBidAsk() const; // first symbol, exact texts, 8 decimals

    // ---- connection upkeep ----
    /// Pings every connection every `intervalMs` and closes one that has not answered the last ping
    /// within `pongDeadlineMs` (Binance: a ping every 20 s, a minute to answer).
    void setPings(int intervalMs, int pongDeadlineMs);
    /// Sends serverShutdown on every connection (stream and WebSocket API), then closes them after `cutAfterMs`.
    void announceShutdown(int cutAfterMs);
    /// Every connection falls silent both ways: nothing sent, nothing read (a dead link TCP has not noticed).
    void stallConnections();
    /// Ends a stall: the old links stay dead (their owners must notice), new connections are accepted.
    void resumeConnections() { m_stalled = false; }
    /// The REST port stops listening: connections to it are refused.
    void closeRestPort();

    // ---- limits ----
    void setRateLimits(int weightLimit, int weightIntervalSeconds, int orderLimit, int orderIntervalSeconds);
    /// The weight of this window is all spent (another program on the same IP): the next request gets 429.
    void exhaustWeight();
    int tooManyRequests() const { return m_limiter.tooManyRequests(); }
    int bans() const { return m_limiter.bans(); }
    int requestsDuringCooldown() const { return m_limiter.requestsDuringCooldown() + m_decreeViolations; }
    int usedWeight();
    /// 429 by decree, with `Retry-After: seconds` (REST) / `retryAfter` (WebSocket API), for every request.
    void rateLimit(int status, int retryAfterSeconds);

    // ---- keys, orders and user data ----
    void setCredentials(QByteArray apiKey, QByteArray secret);
    bool setEd25519Key(QByteArray apiKey, QByteArray publicKeyPem);
    /// Every key is refused from now on (-2015); WebSocket API sessions are revoked.
    void revokeKeys();
    void setClockSkewMs(qint64 ms) { m_skewMs = ms; }
    void setBalance(const QString& asset, const QString& free);
    /// The commission of every fill, in hundredths of a percent (Binance's standard 0.1 % = 10 by default),
    /// taken from the asset received and reported as `n` / `N` (user-data-stream.md, executionReport); the
    /// account answer's makerCommission / takerCommission say the same rate.
    void setCommissionBasisPoints(int bps) { m_commissionBps = bps; }
    QString balanceText(const QString& asset) const; // "free/locked"

    enum class PlacementFault {
        None,
        AcceptThenUnknown,   // booked, answered -1007 "execution status unknown" (HTTP/status 400)
        AcceptThen5xx,       // booked, answered 503
        RefuseWith5xx,       // not booked, answered 503
        AcceptSilently,      // booked, never answered (WebSocket API) / connection dropped (REST)
        LandAfterTwoQueries, // answered -1007; not booked until two order.status queries said -2013
        LandWhenTold,        // answered -1007; -2013 to every query until landPendingOrder()
    };
    void failNextPlacement(PlacementFault fault) { m_placementFault = fault; }
    void failNextPlacementAfterAccepting() { failNextPlacement(PlacementFault::AcceptThen5xx); }
    void failNextPlacementBeforeAccepting() { failNextPlacement(PlacementFault::RefuseWith5xx); }
    /// eventStreamTerminated on every subscription, which ends.
    void terminateUserStreams();
    /// LandWhenTold: the placement reaches the book now and is reported on the user data stream.
    void landPendingOrder();
    /// A restart: the open orders are gone (queries answer -2013), every connection drops.
    void forgetOrders();
    /// A counterparty fills every resting order of ours (fully, or this much of each) at its price.
    void fillRestingOrders(std::optional<QString> quantity = std::nullopt);

    struct OrderInfo {
        QString symbol;
        QString clientOrderId;
        QString side; // BUY / SELL
        QString status;
        QString price;
        QString quantity;
        QString executed;
    };
    std::vector<OrderInfo> openOrders() const;
    std::optional<OrderInfo> order(const QString& clientOrderId) const;
    int placementsAccepted() const { return m_placementsAccepted; }
    int placementRequests() const { return m_placementRequests; }
    int duplicatePlacements() const { return m_duplicatePlacements; }
    int signatureFailures() const { return m_signatureFailures; }
    int signedRequests() const { return m_signedRequests; }
    int restOrderRequests() const { return m_restOrderRequests; }
    int wsApiOrderRequests() const { return m_wsOrderRequests; }
    int statusQueries() const { return m_statusQueries; }
    int retiredEndpointCalls() const { return m_retiredCalls; }
    int timestampRefusals() const { return m_timestampRefusals; }
    int keyRefusals() const { return m_keyRefusals; }
    int userStreamsConnected() const; // active user data subscriptions
    int subscriptionsStarted() const { return m_subscriptionsStarted; }
    int logons() const { return m_logons; }
    int wsApiSessions() const { return static_cast<int>(m_sessions.size()); }
    int wsApiConnectionsAccepted() const { return m_wsApiAccepted; }
    int pingsSent() const { return m_pingsSent; }
    int pongDeadlinesMissed() const { return m_pongsMissed; }
    std::uint64_t lastUpdateId() const;
    int connectionsAccepted() const { return m_accepted; }
    int connectionsRefused() const { return m_refused; }
    int snapshotsServed() const { return m_snapshots; }

    /// For the tick-to-trade benchmark: called as soon as an order request arrives, before any work
    /// ("order.place", "order.cancel", "POST /api/v3/order", ...).
    void setOrderRequestObserver(std::function<void(const QString& what)> observer) {
        m_orderObserver = std::move(observer);
    }

signals:
    /// A placement was booked (before its answer is sent): a test can act at that very moment.
    void placementAccepted(const QString& clientOrderId);

private:
    struct Order {
        std::uint64_t orderId = 0;
        QString symbol;
        QString clientOrderId;
        bool buy = true;
        std::int64_t price = 0;    // 1e-8 units
        std::int64_t quantity = 0; // 1e-8 units
        std::int64_t executed = 0;
        __int128 quote = 0; // 1e-16 units
        QString status = "NEW";
        qint64 time = 0;
        qint64 updateTime = 0;
        std::int64_t lastQty = 0;
        std::int64_t lastPrice = 0;
        std::int64_t lastCommission = 0;
    };
    struct Balance {
        std::int64_t free = 0; // 1e-8 units
        std::int64_t locked = 0;
    };
    /// An operation's outcome, before any transport wraps it.
    struct Answer {
        int status = 200;
        QByteArray body; // the result (JSON), or {"code":..,"msg":..}
        std::int64_t retryAfterMs = 0;
        bool silent = false;      // never answered
        bool successFree = false; // placement/cancel that succeeded: weight 0
        bool orderCounted = false;
    };
    using Params = std::map<QString, QString>;
    /// One WebSocket API connection.
    struct Session {
        QWebSocket* socket = nullptr;
        QByteArray loggedOnKey;                  // session.logon (Ed25519)
        std::map<int, QByteArray> subscriptions; // subscriptionId -> the key that opened it
    };

    // transport-neutral operations (fakebinanceorders.cpp)
    Answer place(Params& params);
    Answer cancel(Params& params);
    Answer queryOrder(Params& params);
    Answer openOrdersAnswer(Params& params);
    Answer account();
    Answer apiError(int status, int code, const QByteArray& message) const;
    std::optional<Answer> checkTimestamp(const Params& params);
    Answer limited(const FakeRateLimiter::Verdict& verdict) const;
    /// rateLimit(): refused by decree; the first refusal announces it, any later request is a violation.
    std::optional<Answer> decreed();
    QByteArray orderJson(const Order& order, bool full) const;
    void fill(Order& order, std::int64_t price, std::int64_t quantity);
    void takeLiquidity(Order& order);
    void matchRestingOrders();
    void report(const Order& order, const char* execType);
    void reportBalances(const QString& symbol);
    void sendUser(const QByteArray& event);
    FakeBook* bookFor(const QString& symbol);
    Balance& balance(const QString& asset) { return m_balances[asset]; }
    static std::optional<std::int64_t> units(const QString& text);
    QString quoteText(__int128 units16) const;
    qint64 serverNowMs() const;

    // REST (fakebinancerest.cpp)
    void routeRest();
    QHttpServerResponse respond(const Answer& answer, int weight);
    QHttpServerResponse restSigned(const QHttpServerRequest& request, int weight,
                                   const std::function<Answer(Params&)>& operation, const QString& what);
    std::optional<Answer> authenticateRest(const QHttpServerRequest& request, Params& params);
    QByteArray exchangeInfoBody() const;

    // WebSocket API (fakebinancewsapi.cpp)
    void acceptWsApi(QWebSocket* socket);
    void onWsApiFrame(Session& session, const QString& frame);
    void answerWs(Session& session, const QJsonValue& id, const Answer& answer);
    std::optional<Answer> authenticateWs(Session& session, Params& params, bool requireSignature);
    QByteArray rateLimitsJson();

    // market data and connections (fakebinanceexchange.cpp)
    void tick();
    void broadcast(const QString& symbol, const QList<QByteArray>& frames);
    void acceptConnection(QTcpSocket* tcp);
    void onWebSocket(QWebSocket* socket, QTcpSocket* tcp);
    void pingAll();

    std::vector<std::unique_ptr<FakeBook>> m_books;
    std::unique_ptr<QHttpServer> m_http;
    QTcpServer* m_tcp;
    QWebSocketServer* m_ws;
    std::map<QWebSocket*, QString> m_streams; // market-data connections and their symbol
    std::map<QWebSocket*, std::unique_ptr<Session>> m_sessions;
    std::vector<QPointer<QTcpSocket>> m_tcpSockets;
    std::map<QWebSocket*, qint64> m_pingSentAt; // awaiting a pong since
    QTimer* m_timer;
    QTimer* m_pinger;
    int m_pongDeadlineMs = 60000;
    int m_commissionBps = 10;
    quint16 m_restPort = 0;
    quint16 m_streamPort = 0;
    qint64 m_refuseUntilMs = 0;
    bool m_stalled = false;
    int m_accepted = 0;
    int m_refused = 0;
    int m_snapshots = 0;
    int m_wsApiAccepted = 0;
    int m_pingsSent = 0;
    int m_pongsMissed = 0;
    int m_decreeStatus = 0;
    qint64 m_decreeUntilMs = 0;
    bool m_decreeAnnounced = false;
    int m_decreeViolations = 0;

    FakeRateLimiter m_limiter;
    FakeKeys m_keys;
    qint64 m_skewMs = 0;
    std::map<QString, Balance> m_balances;
    std::map<std::uint64_t, Order> m_orders; // by orderId; finished ones stay queryable
    std::uint64_t m_nextOrderId = 5000;
    PlacementFault m_placementFault = PlacementFault::None;
    std::optional<Order> m_landing; // LandAfterTwoQueries / LandWhenTold: not booked yet
    int m_landingQueries = 0;
    bool m_landOnQueries = false;
    void book(Order order);
    int m_nextSubscriptionId = 0;
    int m_placementsAccepted = 0;
    int m_placementRequests = 0;
    int m_duplicatePlacements = 0;
    int m_signatureFailures = 0;
    int m_signedRequests = 0;
    int m_restOrderRequests = 0;
    int m_wsOrderRequests = 0;
    int m_statusQueries = 0;
    int m_retiredCalls = 0;
    int m_timestampRefusals = 0;
    int m_keyRefusals = 0;
    int m_subscriptionsStarted = 0;
    int m_logons = 0;
    std::map<QString, std::map<std::int64_t, std::int64_t>> m_takenBids; // per symbol, for the next diff
    std::map<QString, std::map<std::int64_t, std::int64_t>> m_takenAsks;
    std::function<void(const QString&)> m_orderObserver;
};

} // namespace md::test
