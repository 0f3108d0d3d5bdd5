#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>
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

/// A local stand-in for Kraken Spot on loopback, speaking WebSocket v2 as docs.kraken.com describes it:
/// - REST `POST /0/private/GetWebSocketsToken`, checked like Kraken does (API-Key, API-Sign = HMAC-SHA512
///   of path + SHA-256(nonce + body) with the base64-decoded secret, increasing nonce);
/// - public socket (`/v2`): `status` on connect, `instrument`, `book` at depths 10..1000 with the CRC32
///   checksum of the top 10 computed here independently of the connector (levels written at the pair's
///   precision, point and leading zeros removed), levels falling out of a client's depth never announced
///   (the client must truncate), `trade`, heartbeats, ping/pong;
/// - authenticated socket (`/v2`, another port): `executions` (snapshot of open orders and fills),
///   `balances`, `add_order` with `cl_ord_id`, `cancel_order`, `cancel_all`, `cancel_all_orders_after`
///   (the dead man's switch: when it runs out every order is cancelled), a matching engine, and the
///   per-pair order-rate counter with its decay and the cancel penalties of young orders;
/// - faults: a perturbed level (checksum mismatch), dropped connections, refused reconnects, expired
///   tokens, an add_order answered late (or never), a rate-limit refusal, a system status change.
/// Thread: the thread that creates it (its timers and sockets live there).
class FakeKrakenExchange : public QObject {
    Q_OBJECT
public:
    explicit FakeKrakenExchange(QString symbol = "BTC/USD", std::uint64_t seed = 1, QObject* parent = nullptr);
    ~FakeKrakenExchange() override;

    /// Listens on 127.0.0.1 (REST, public socket, authenticated socket); 0 picks free ports.
    bool listen(quint16 restPort = 0, quint16 publicPort = 0, quint16 authPort = 0);
    QString restUrl() const;
    QString wsUrl() const;
    QString authWsUrl() const;
    /// A connector settings object pointing at this exchange (tests add their own keys).
    QJsonObject settings() const;

    void setUpdateIntervalMs(int ms);
    void pauseUpdates(bool paused);
    void setHeartbeatIntervalMs(int ms);
    /// Numbers on the wire with their trailing zeros (0.10000000) or without (0.1, the default).
    void setPadNumbers(bool pad) { m_padNumbers = pad; }
    /// The fee of every execution, in hundredths of a percent of its cost (Kraken's starter taker rate, 26 =
    /// 0.26 %, by default), charged in the quote (add_order's default fee preference) and reported as
    /// `fees` [{asset, qty}] and `fee_usd_equiv` (https://docs.kraken.com/api/docs/websocket-v2/executions).
    void setFeeBasisPoints(int bps) { m_feeBps = bps; }
    /// Moves the book once (one update message to every subscriber).
    void step();

    // ---- faults ----
    /// The next book update carries one level with a wrong quantity (its checksum is the true book's).
    void perturbNextLevel() { m_perturbNext = true; }
    void dropConnections();
    /// Stops listening for `ms`: reconnects are refused at TCP level.
    void refuseConnectionsFor(int ms);
    /// Every token handed out so far is refused from now on (open sessions that subscribed keep working,
    /// as on Kraken).
    void expireTokens();
    /// The next add_order is booked at once but its answer comes `ms` later (or never, for -1).
    void delayNextAddOrderAnswer(int ms) { m_delayNextAnswerMs = ms; }
    /// The next add_order is lost on the way: neither booked nor answered.
    void swallowNextAddOrder() { m_swallowNext = true; }
    /// The next add_order is refused with "EOrder:Rate limit exceeded".
    void refuseNextAddOrderForRate() { m_rateRefuseNext = true; }
    /// online, maintenance, cancel_only, post_only: announced on every socket; orders refused accordingly.
    void setSystemStatus(const QString& status);

    // ---- orders ----
    void setCredentials(QByteArray apiKey, QByteArray base64Secret);
    void setBalance(const QString& asset, const QString& amount);
    /// A counterparty fills each resting order of ours (fully, or this much of each) at its price.
    void fillRestingOrders(std::optional<QString> quantity = std::nullopt);
    void setRateTier(double threshold, double decayPerSecond);

    struct OrderInfo {
        QString orderId;
        QString clOrdId;
        QString side; // buy / sell
        QString price;
        QString quantity;
        QString filled;
    };
    std::vector<OrderInfo> openOrders() const;
    std::optional<OrderInfo> order(const QString& clOrdId) const;
    int placementsAccepted() const { return m_placementsAccepted; }
    int duplicatePlacements() const { return m_duplicatePlacements; }
    int tokensIssued() const { return m_tokensIssued; }
    int tokenRefusals() const { return m_tokenRefusals; }
    int signatureFailures() const { return m_signatureFailures; }
    int deadManArms() const { return m_deadManArms; }
    int deadManDisarms() const { return m_deadManDisarms; }
    int deadManTriggers() const { return m_deadManTriggers; }
    bool deadManArmed() const;
    int rateRefusals() const { return m_rateRefusals; }
    double rateCounter();
    int bookSubscriptions() const { return m_bookSubscriptions; }
    int connectionsAccepted() const { return m_accepted; }
    int authConnections() const { return static_cast<int>(m_authClients.size()); }
    QString balanceText(const QString& asset) const;
    std::pair<QString, QString> bestBidAsk() const;
    /// The checksum the exchange would send for its book now.
    std::uint32_t checksum() const;

private:
    struct Client {
        int depth = 0; // 0: not subscribed to book
        bool instrument = false;
        bool trade = false;
        std::map<std::int64_t, std::int64_t, std::greater<>> bids; // what this client has been told
        std::map<std::int64_t, std::int64_t> asks;
    };
    struct AuthClient {
        bool executions = false;
        bool balances = false;
        bool authorised = false; // subscribed with a valid token: the session stays valid (Kraken's rule)
    };
    struct Order {
        QString orderId;
        QString clOrdId;
        bool buy = true;
        std::int64_t price = 0;    // pair price precision
        std::int64_t quantity = 0; // pair qty precision
        std::int64_t filled = 0;
        qint64 createdMs = 0;
        bool open = true;
    };

    // market data (fakekrakenexchange.cpp)
    void onPublicConnection();
    void onPublicMessage(QWebSocket* socket, const QString& text);
    void sendSnapshot(QWebSocket* socket, Client& client);
    void publishBook(std::optional<std::pair<bool, std::int64_t>> perturb = std::nullopt);
    void tick();
    void heartbeat();
    QByteArray instrumentFrame() const;
    QByteArray statusFrame() const;
    QByteArray levelJson(std::int64_t price, std::int64_t quantity) const;
    QString priceText(std::int64_t units) const;
    QString qtyText(std::int64_t units) const;
    QString numberText(std::int64_t units, int precision) const;
    void send(QWebSocket* socket, const QByteArray& frame);
    void answer(QWebSocket* socket, const QJsonObject& request, bool success, const QByteArray& resultOrError);
    void pong(QWebSocket* socket, const QJsonObject& request);
    bool acceptOrRefuse(QWebSocket* socket);

    // orders (fakekrakenorders.cpp)
    QHttpServerResponse onToken(const QHttpServerRequest& request);
    void onAuthConnection();
    void onAuthMessage(QWebSocket* socket, const QString& text);
    bool tokenValid(QWebSocket* socket, const QJsonObject& params);
    void addOrder(QWebSocket* socket, const QJsonObject& request, const QString& text);
    void cancelOrder(QWebSocket* socket, const QJsonObject& request);
    void cancelAll(QWebSocket* socket, const QJsonObject& request);
    void cancelAllAfter(QWebSocket* socket, const QJsonObject& request);
    void cancel(Order& order, const char* reason);
    void fill(Order& order, std::int64_t price, std::int64_t quantity);
    void takeLiquidity(Order& order);
    void matchRestingOrders();
    void report(const Order& order, const char* execType, std::int64_t lastQty = 0, std::int64_t lastPrice = 0,
                std::int64_t fee = 0);
    QByteArray executionJson(const Order& order, const char* execType, std::int64_t lastQty, std::int64_t lastPrice,
                             std::int64_t fee = 0) const;
    void sendBalances(QWebSocket* only = nullptr);
    void sendExecutions(const QByteArray& frame);
    void decayRate();
    void triggerDeadMan();

    QString m_symbol;
    QString m_base;
    QString m_quote;
    int m_pricePrecision = 1;
    int m_qtyPrecision = 8;
    std::mt19937_64 m_rng;
    std::map<std::int64_t, std::int64_t, std::greater<>> m_bids;
    std::map<std::int64_t, std::int64_t> m_asks;
    std::unique_ptr<QHttpServer> m_http;
    QWebSocketServer* m_public;
    QWebSocketServer* m_auth;
    std::map<QWebSocket*, Client> m_clients;
    std::map<QWebSocket*, AuthClient> m_authClients;
    QTimer* m_timer;
    QTimer* m_heartbeat;
    QTimer* m_deadMan;
    quint16 m_restPort = 0;
    quint16 m_publicPort = 0;
    quint16 m_authPort = 0;
    bool m_padNumbers = false;
    int m_feeBps = 26;
    bool m_perturbNext = false;
    int m_accepted = 0;
    int m_bookSubscriptions = 0;
    QString m_system = "online";

    QByteArray m_apiKey = "fake-kraken-key";
    QByteArray m_secret = "ZmFrZS1rcmFrZW4tc2VjcmV0LWZvci10ZXN0cy1vbmx5LXBhZGRpbmctcGFkZGluZw==";
    std::uint64_t m_lastNonce = 0;
    std::set<QString> m_tokens;
    std::set<QString> m_expiredTokens;
    int m_tokensIssued = 0;
    int m_tokenRefusals = 0;
    int m_signatureFailures = 0;
    std::map<QString, std::int64_t> m_balances; // asset -> units at 1e-8
    std::vector<Order> m_orders;
    std::uint64_t m_nextOrderId = 1;
    std::uint64_t m_nextTradeId = 1;
    int m_placementsAccepted = 0;
    int m_duplicatePlacements = 0;
    int m_delayNextAnswerMs = 0;
    bool m_rateRefuseNext = false;
    bool m_swallowNext = false;
    int m_rateRefusals = 0;
    double m_rateThreshold = 60;
    double m_rateDecay = 1.0;
    double m_rate = 0;
    qint64 m_rateAtMs = 0;
    int m_deadManArms = 0;
    int m_deadManDisarms = 0;
    int m_deadManTriggers = 0;
    qint64 m_deadManTriggerMs = 0;
};

} // namespace md::test
