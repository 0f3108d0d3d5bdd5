#pragma once

#include <QHostAddress>
#include <QObject>

#include <QByteArray>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <vector>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace md::test {

/// A local stand-in for Binance Spot on loopback, speaking its wire protocol:
/// - market data: REST `GET /api/v3/depth`, `/api/v3/time`, `/api/v3/exchangeInfo`, and the
///   combined WebSocket stream (`/stream?streams=<sym>@depth@100ms/<sym>@bookTicker/<sym>@trade`)
///   from a book it moves itself;
/// - orders: signed REST (`POST/DELETE/GET /api/v3/order`, `GET /api/v3/openOrders`,
///   `GET /api/v3/account`) checked like Binance does — API key header, HMAC-SHA256 over the raw
///   query string and body received, timestamp within recvWindow — a matching engine (limit orders
///   take liquidity from the book and rest; resting orders fill when the book crosses them or when
///   a test says so), balances, and the user data stream (`/api/v3/userDataStream` listenKeys,
///   `/ws/<listenKey>` with executionReport and outboundAccountPosition, bare or wrapped);
/// - faults: a dropped diff (gap), a stale snapshot, malformed frames, dropped connections, refused
///   connections for a while, 429/418 with Retry-After, a 5xx on a placement that was in fact
///   accepted (or not), expired listenKeys.
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

    void setUpdateIntervalMs(int ms);
    void pauseUpdates(bool paused);
    /// The next diff's update ids are skipped on the stream (the book moves on): a gap.
    void dropNextDiff() { m_dropNext = true; }
    /// The next snapshot served is this many update ids old.
    void serveStaleSnapshot(std::uint64_t age) { m_staleBy = age; }
    void sendMalformedFrame();
    void dropConnections();
    void refuseConnectionsFor(int ms);
    /// REST answers `status` (429 or 418) with `Retry-After: seconds` until that time has passed.
    void rateLimit(int status, int retryAfterSeconds);
    /// REST requests that arrived while the client had been told to wait (a well-behaved client: 0).
    int requestsDuringCooldown() const { return m_requestsDuringCooldown; }

    std::pair<QString, QString> bestBidAsk() const; // exact texts, 8 decimals

    // ---- orders and the user data stream ----
    void setCredentials(QByteArray apiKey, QByteArray secret);
    /// exchangeInfo's filters for the symbol (decimal texts).
    void setRules(QString tickSize, QString stepSize, QString minNotional);
    void setBalance(const QString& asset, const QString& free);
    /// User-data events as {"subscriptionId":0,"event":{...}} (the WebSocket API's shape).
    void setWrapUserEvents(bool wrap) { m_wrapUserEvents = wrap; }
    /// The next placement is booked, then answered with HTTP 503 (its outcome unknown to the client).
    void failNextPlacementAfterAccepting() { m_fail5xxAccepted = true; }
    /// The next placement is answered with HTTP 503 and not booked.
    void failNextPlacementBeforeAccepting() { m_fail5xxRefused = true; }
    /// Sends listenKeyExpired on every user stream, closes them and forgets the keys.
    void expireListenKeys();
    void dropUserStreams();
    /// A counterparty fills every resting order of ours (fully, or this much of each) at its price.
    void fillRestingOrders(std::optional<QString> quantity = std::nullopt);

    struct OrderInfo {
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
    int duplicatePlacements() const { return m_duplicatePlacements; }
    int signatureFailures() const { return m_signatureFailures; }
    int signedRequests() const { return m_signedRequests; }
    int userStreamsConnected() const { return static_cast<int>(m_userClients.size()); }
    int listenKeysCreated() const { return m_listenKeysCreated; }
    int keepalives() const { return m_keepalives; }
    QString balanceText(const QString& asset) const; // "free/locked"
    std::uint64_t lastUpdateId() const { return m_lastUpdateId; }
    int connectionsAccepted() const { return m_accepted; }
    int connectionsRefused() const { return m_refused; }
    int snapshotsServed() const { return m_snapshots; }

signals:
    /// A placement was booked (before its answer is sent): a test can act at that very moment.
    void placementAccepted(const QString& clientOrderId);

private:
    struct Order {
        std::uint64_t orderId = 0;
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
    };
    struct Balance {
        std::int64_t free = 0; // 1e-8 units
        std::int64_t locked = 0;
    };
    QHttpServerResponse answer(int status, const QByteArray& body);
    QHttpServerResponse apiError(int status, int code, const char* message);
    std::optional<QHttpServerResponse> refuseIfLimited();
    /// Checks the API key and, when `signedEndpoint`, the signature and timestamp; fills `params`.
    std::optional<QHttpServerResponse> authenticate(const QHttpServerRequest& request, bool signedEndpoint,
                                                    std::map<QString, QString>& params);
    QHttpServerResponse onOrder(const QHttpServerRequest& request);
    QHttpServerResponse place(std::map<QString, QString>& params);
    QHttpServerResponse cancel(std::map<QString, QString>& params);
    QHttpServerResponse queryOrder(std::map<QString, QString>& params);
    QHttpServerResponse onOpenOrders(const QHttpServerRequest& request);
    QHttpServerResponse onAccount(const QHttpServerRequest& request);
    QHttpServerResponse onUserDataStream(const QHttpServerRequest& request);
    QByteArray exchangeInfoBody() const;
    QByteArray orderJson(const Order& order, bool full) const;
    /// Fills `order` with `quantity` at `price`, moving balances; reports it on the user stream.
    void fill(Order& order, std::int64_t price, std::int64_t quantity);
    void takeLiquidity(Order& order);
    void matchRestingOrders();
    void finishIfDone(Order& order);
    void report(const Order& order, const char* execType);
    void reportBalances();
    void sendUser(const QByteArray& event);
    Balance& balance(const QString& asset) { return m_balances[asset]; }
    static std::optional<std::int64_t> units(const QString& text);
    QString quoteText(__int128 units16) const;

    void tick();
    void broadcast(const QByteArray& frame);
    QByteArray snapshotBody(std::uint64_t age) const;
    static QString text(std::int64_t units);

    QString m_symbol;
    QString m_lower;
    std::mt19937_64 m_rng;
    std::map<std::int64_t, std::int64_t, std::greater<>> m_bids; // 8-decimal units
    std::map<std::int64_t, std::int64_t> m_asks;
    std::uint64_t m_lastUpdateId = 1000;
    std::unique_ptr<QHttpServer> m_http;
    QWebSocketServer* m_ws;
    std::set<QWebSocket*> m_clients;
    QTimer* m_timer;
    quint16 m_restPort = 0;
    quint16 m_streamPort = 0;
    bool m_dropNext = false;
    std::uint64_t m_staleBy = 0;
    qint64 m_refuseUntilMs = 0;
    int m_accepted = 0;
    int m_refused = 0;
    int m_snapshots = 0;
    int m_limitStatus = 0;
    qint64 m_limitedUntilMs = 0;
    bool m_limitAnnounced = false;
    int m_requestsDuringCooldown = 0;

    QByteArray m_apiKey = "fake-api-key";
    QByteArray m_secret = "fake-api-secret";
    QString m_base = "BTC";
    QString m_quote = "USDT";
    QString m_tickSize = "0.01000000";
    QString m_stepSize = "0.00000001";
    QString m_minNotional = "5.00000000";
    std::map<QString, Balance> m_balances;
    std::map<std::uint64_t, Order> m_orders; // by orderId; finished ones stay queryable
    std::uint64_t m_nextOrderId = 5000;
    std::set<QString> m_listenKeys;
    std::set<QWebSocket*> m_userClients;
    bool m_wrapUserEvents = false;
    bool m_fail5xxAccepted = false;
    bool m_fail5xxRefused = false;
    int m_placementsAccepted = 0;
    int m_duplicatePlacements = 0;
    int m_signatureFailures = 0;
    int m_signedRequests = 0;
    int m_listenKeysCreated = 0;
    int m_keepalives = 0;
    int m_weightThisMinute = 0;
    qint64 m_weightMinute = 0;
    std::map<std::int64_t, std::int64_t> m_pendingBidChanges; // levels our orders took, for the next diff
    std::map<std::int64_t, std::int64_t> m_pendingAskChanges;
};

} // namespace md::test
