#include "fakebinanceexchange.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

namespace md::test {

FakeBinanceExchange::FakeBinanceExchange(QString symbol, std::uint64_t seed, QObject* parent)
    : QObject(parent)
    , m_symbol(std::move(symbol))
    , m_lower(m_symbol.toLower())
    , m_rng(seed)
    , m_http(std::make_unique<QHttpServer>())
    , m_ws(new QWebSocketServer("fake-binance", QWebSocketServer::NonSecureMode, this))
    , m_timer(new QTimer(this)) {
    // A book around 64250.00 with 30 levels a side, in units of 1e-8.
    const std::int64_t cent = 1'000'000;
    for (int i = 0; i < 30; ++i) {
        m_bids[(6425000 - i) * cent] = (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
        m_asks[(6425001 + i) * cent] = (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
    }
    m_balances["BTC"] = {10 * 100'000'000LL, 0};
    m_balances["USDT"] = {1'000'000 * 100'000'000LL, 0};
    m_http->route("/api/v3/depth", [this](const QHttpServerRequest& request) {
        if (auto refused = refuseIfLimited())
            return std::move(*refused);
        ++m_snapshots;
        const std::uint64_t age = std::exchange(m_staleBy, 0);
        if (QUrlQuery(request.url()).queryItemValue("symbol") != m_symbol)
            return apiError(400, -1121, "Invalid symbol.");
        return answer(200, snapshotBody(age));
    });
    m_http->route("/api/v3/time", [this] {
        if (auto refused = refuseIfLimited())
            return std::move(*refused);
        return answer(200,
                      QByteArray("{\"serverTime\":") + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + "}");
    });
    m_http->route("/api/v3/exchangeInfo", [this](const QHttpServerRequest& request) {
        if (auto refused = refuseIfLimited())
            return std::move(*refused);
        const QString symbol = QUrlQuery(request.url()).queryItemValue("symbol");
        if (!symbol.isEmpty() && symbol != m_symbol)
            return apiError(400, -1121, "Invalid symbol.");
        return answer(200, exchangeInfoBody());
    });
    m_http->route("/api/v3/order", [this](const QHttpServerRequest& request) { return onOrder(request); });
    m_http->route("/api/v3/openOrders", [this](const QHttpServerRequest& request) { return onOpenOrders(request); });
    m_http->route("/api/v3/account", [this](const QHttpServerRequest& request) { return onAccount(request); });
    m_http->route("/api/v3/userDataStream",
                  [this](const QHttpServerRequest& request) { return onUserDataStream(request); });
    connect(m_ws, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket* socket = m_ws->nextPendingConnection()) {
            if (QDateTime::currentMSecsSinceEpoch() < m_refuseUntilMs) {
                ++m_refused;
                socket->close(QWebSocketProtocol::CloseCodeAbnormalDisconnection, "refused by test");
                socket->deleteLater();
                continue;
            }
            const QString path = socket->requestUrl().path();
            if (path.startsWith("/ws/")) {
                // The user data stream: only for a listenKey this exchange handed out.
                if (!m_listenKeys.count(path.mid(4))) {
                    socket->close(QWebSocketProtocol::CloseCodePolicyViolated, "invalid listenKey");
                    socket->deleteLater();
                    continue;
                }
                m_userClients.insert(socket);
                connect(socket, &QWebSocket::disconnected, this, [this, socket] {
                    m_userClients.erase(socket);
                    socket->deleteLater();
                });
                continue;
            }
            ++m_accepted;
            m_clients.insert(socket);
            connect(socket, &QWebSocket::disconnected, this, [this, socket] {
                m_clients.erase(socket);
                socket->deleteLater();
            });
        }
    });
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &FakeBinanceExchange::tick);
}

FakeBinanceExchange::~FakeBinanceExchange() = default;

bool FakeBinanceExchange::listen(quint16 restPort, quint16 streamPort) {
    m_restPort = m_http->listen(QHostAddress::LocalHost, restPort);
    if (m_restPort == 0 || !m_ws->listen(QHostAddress::LocalHost, streamPort))
        return false;
    m_streamPort = m_ws->serverPort();
    m_timer->start();
    return true;
}

QString FakeBinanceExchange::restUrl() const {
    return QString("http://127.0.0.1:%1").arg(m_restPort);
}
QString FakeBinanceExchange::streamUrl() const {
    return QString("ws://127.0.0.1:%1").arg(m_streamPort);
}

void FakeBinanceExchange::setUpdateIntervalMs(int ms) {
    m_timer->setInterval(ms);
}

void FakeBinanceExchange::pauseUpdates(bool paused) {
    if (paused)
        m_timer->stop();
    else
        m_timer->start();
}

QString FakeBinanceExchange::text(std::int64_t units) {
    return QString("%1.%2").arg(units / 100'000'000).arg(units % 100'000'000, 8, 10, QChar('0'));
}

std::pair<QString, QString> FakeBinanceExchange::bestBidAsk() const {
    return {text(m_bids.begin()->first), text(m_asks.begin()->first)};
}

QByteArray FakeBinanceExchange::snapshotBody(std::uint64_t age) const {
    // A stale snapshot claims an old id: the connector must notice and fetch again.
    QByteArray body =
        "{\"lastUpdateId\":" + QByteArray::number(static_cast<qulonglong>(m_lastUpdateId - age)) + ",\"bids\":[";
    bool first = true;
    for (const auto& [p, q] : m_bids) {
        body += (first ? "" : ",") + QString("[\"%1\",\"%2\"]").arg(text(p), text(q)).toUtf8();
        first = false;
    }
    body += "],\"asks\":[";
    first = true;
    for (const auto& [p, q] : m_asks) {
        body += (first ? "" : ",") + QString("[\"%1\",\"%2\"]").arg(text(p), text(q)).toUtf8();
        first = false;
    }
    return body + "]}";
}

void FakeBinanceExchange::tick() {
    // A few level changes near the top, as one diff covering their update ids.
    const std::uint64_t firstId = m_lastUpdateId + 1;
    QStringList bids, asks;
    // Liquidity our orders took since the last diff goes out with this one.
    for (const auto& [price, quantity] : std::exchange(m_pendingBidChanges, {})) {
        bids << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        ++m_lastUpdateId;
    }
    for (const auto& [price, quantity] : std::exchange(m_pendingAskChanges, {})) {
        asks << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        ++m_lastUpdateId;
    }
    const int changes = 1 + static_cast<int>(m_rng() % 3);
    for (int i = 0; i < changes; ++i) {
        const bool bid = m_rng() % 2;
        const std::int64_t cent = 1'000'000;
        const std::int64_t best = bid ? m_bids.begin()->first : m_asks.begin()->first;
        const std::int64_t offset = static_cast<std::int64_t>(m_rng() % 6) * cent;
        const std::int64_t price = bid ? best - offset : best + offset;
        std::int64_t quantity = m_rng() % 4 == 0 ? 0 : (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
        // Never empty a side completely, never cross.
        if (bid) {
            if (quantity == 0 && m_bids.size() < 10)
                quantity = 1'000'000;
            if (quantity)
                m_bids[price] = quantity;
            else
                m_bids.erase(price);
            bids << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        } else {
            if (quantity == 0 && m_asks.size() < 10)
                quantity = 1'000'000;
            if (quantity)
                m_asks[price] = quantity;
            else
                m_asks.erase(price);
            asks << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        }
        ++m_lastUpdateId;
    }
    matchRestingOrders();
    if (std::exchange(m_dropNext, false))
        return; // the ids were used, the frame never sent: the stream has a gap
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    broadcast(
        QString(
            R"({"stream":"%1@depth@100ms","data":{"e":"depthUpdate","E":%2,"s":"%3","U":%4,"u":%5,"b":[%6],"a":[%7]}})")
            .arg(m_lower)
            .arg(now)
            .arg(m_symbol)
            .arg(firstId)
            .arg(m_lastUpdateId)
            .arg(bids.join(','), asks.join(','))
            .toUtf8());
    const auto [bid, ask] = bestBidAsk();
    broadcast(QString(R"({"stream":"%1@bookTicker","data":{"u":%2,"s":"%3","b":"%4","B":"%5","a":"%6","A":"%7"}})")
                  .arg(m_lower)
                  .arg(m_lastUpdateId)
                  .arg(m_symbol, bid, text(m_bids.begin()->second), ask, text(m_asks.begin()->second))
                  .toUtf8());
    if (m_rng() % 3 == 0)
        broadcast(
            QString(
                R"({"stream":"%1@trade","data":{"e":"trade","E":%2,"s":"%3","t":1,"p":"%4","q":"0.01000000","T":%2,"m":%5}})")
                .arg(m_lower)
                .arg(now)
                .arg(m_symbol, bid, m_rng() % 2 ? "true" : "false")
                .toUtf8());
}

void FakeBinanceExchange::broadcast(const QByteArray& frame) {
    for (QWebSocket* client : m_clients)
        client->sendTextMessage(QString::fromUtf8(frame));
}

void FakeBinanceExchange::sendMalformedFrame() {
    broadcast(QByteArray(R"({"stream":")") + m_lower.toUtf8() + R"(@depth@100ms","data":{"U":"oops","b":[[1,2]]})");
}

void FakeBinanceExchange::dropConnections() {
    for (QWebSocket* client : std::set<QWebSocket*>(m_clients))
        client->abort();
}

void FakeBinanceExchange::rateLimit(int status, int retryAfterSeconds) {
    m_limitStatus = status;
    m_limitedUntilMs = QDateTime::currentMSecsSinceEpoch() + retryAfterSeconds * 1000;
    m_limitAnnounced = false;
}

void FakeBinanceExchange::refuseConnectionsFor(int ms) {
    m_refuseUntilMs = QDateTime::currentMSecsSinceEpoch() + ms;
}

} // namespace md::test
