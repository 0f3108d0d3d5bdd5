#include "fakekrakenexchange.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <zlib.h>

namespace md::test {

namespace {
QByteArray nowText() {
    return QDateTime::currentDateTimeUtc().toString("yyyy-MM-ddTHH:mm:ss.zzz000Z").toUtf8();
}
} // namespace

FakeKrakenExchange::FakeKrakenExchange(QString symbol, std::uint64_t seed, QObject* parent)
    : QObject(parent)
    , m_symbol(std::move(symbol))
    , m_rng(seed)
    , m_http(std::make_unique<QHttpServer>())
    , m_public(new QWebSocketServer("fake-kraken", QWebSocketServer::NonSecureMode, this))
    , m_auth(new QWebSocketServer("fake-kraken-auth", QWebSocketServer::NonSecureMode, this))
    , m_timer(new QTimer(this))
    , m_heartbeat(new QTimer(this))
    , m_deadMan(new QTimer(this)) {
    m_base = m_symbol.section('/', 0, 0);
    m_quote = m_symbol.section('/', 1, 1);
    // A book around 64250.0 with 60 levels a side (price precision 1, quantity precision 8).
    for (int i = 0; i < 60; ++i) {
        m_bids[642500 - i] = (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
        m_asks[642501 + i] = (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
    }
    m_balances[m_base] = 10 * 100'000'000LL;
    m_balances[m_quote] = 1'000'000 * 100'000'000LL;
    m_http->route("/0/private/GetWebSocketsToken", [this](const QHttpServerRequest& r) { return onToken(r); });
    connect(m_public, &QWebSocketServer::newConnection, this, &FakeKrakenExchange::onPublicConnection);
    connect(m_auth, &QWebSocketServer::newConnection, this, &FakeKrakenExchange::onAuthConnection);
    connect(m_timer, &QTimer::timeout, this, &FakeKrakenExchange::tick);
    connect(m_heartbeat, &QTimer::timeout, this, &FakeKrakenExchange::heartbeat);
    m_deadMan->setSingleShot(true);
    connect(m_deadMan, &QTimer::timeout, this, &FakeKrakenExchange::triggerDeadMan);
    m_timer->start(100);
    m_heartbeat->start(1000);
}

FakeKrakenExchange::~FakeKrakenExchange() {
    for (auto& [socket, client] : m_clients) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
    for (auto& [socket, client] : m_authClients) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

bool FakeKrakenExchange::listen(quint16 restPort, quint16 publicPort, quint16 authPort) {
    m_restPort = m_http->listen(QHostAddress::LocalHost, restPort);
    if (m_restPort == 0 || !m_public->listen(QHostAddress::LocalHost, publicPort) ||
        !m_auth->listen(QHostAddress::LocalHost, authPort))
        return false;
    m_publicPort = m_public->serverPort();
    m_authPort = m_auth->serverPort();
    return true;
}

QString FakeKrakenExchange::restUrl() const {
    return QString("http://127.0.0.1:%1").arg(m_restPort);
}
QString FakeKrakenExchange::wsUrl() const {
    return QString("ws://127.0.0.1:%1/v2").arg(m_publicPort);
}
QString FakeKrakenExchange::authWsUrl() const {
    return QString("ws://127.0.0.1:%1/v2").arg(m_authPort);
}

QJsonObject FakeKrakenExchange::settings() const {
    return QJsonObject{{"ws_url", wsUrl()},
                       {"auth_ws_url", authWsUrl()},
                       {"rest_url", restUrl()},
                       {"backoff_initial_ms", 50},
                       {"backoff_max_ms", 400}};
}

void FakeKrakenExchange::setUpdateIntervalMs(int ms) {
    m_timer->start(ms);
}
void FakeKrakenExchange::pauseUpdates(bool paused) {
    if (paused)
        m_timer->stop();
    else
        m_timer->start();
}
void FakeKrakenExchange::setHeartbeatIntervalMs(int ms) {
    m_heartbeat->start(ms);
}

void FakeKrakenExchange::step() {
    tick();
}

// ---- numbers as Kraken writes them: JSON numbers, with or without trailing zeros ----

QString FakeKrakenExchange::numberText(std::int64_t units, int precision) const {
    QString digits = QString::number(units < 0 ? -units : units).rightJustified(precision + 1, '0');
    QString out = precision > 0 ? digits.left(digits.size() - precision) + "." + digits.right(precision) : digits;
    if (!m_padNumbers && precision > 0) {
        while (out.endsWith('0'))
            out.chop(1);
        if (out.endsWith('.'))
            out.chop(1);
    }
    return units < 0 ? "-" + out : out;
}
QString FakeKrakenExchange::priceText(std::int64_t units) const {
    return numberText(units, m_pricePrecision);
}
QString FakeKrakenExchange::qtyText(std::int64_t units) const {
    return numberText(units, m_qtyPrecision);
}

QByteArray FakeKrakenExchange::levelJson(std::int64_t price, std::int64_t quantity) const {
    return "{\"price\":" + priceText(price).toUtf8() + ",\"qty\":" + qtyText(quantity).toUtf8() + "}";
}

// The guide's recipe, written out independently of the connector: each level's price and quantity as
// text at the pair's precision, the point removed, leading zeros removed; asks low to high then bids high
// to low, top 10 each; CRC32 of the concatenation.
std::uint32_t FakeKrakenExchange::checksum() const {
    QByteArray text;
    auto add = [&](std::int64_t units, int precision) {
        QString t = QString::number(units).rightJustified(precision + 1, '0');
        t.insert(t.size() - precision, '.');
        t.remove('.');
        while (t.startsWith('0'))
            t.remove(0, 1);
        text += t.toUtf8();
    };
    int n = 0;
    for (auto it = m_asks.begin(); it != m_asks.end() && n < 10; ++it, ++n) {
        add(it->first, m_pricePrecision);
        add(it->second, m_qtyPrecision);
    }
    n = 0;
    for (auto it = m_bids.begin(); it != m_bids.end() && n < 10; ++it, ++n) {
        add(it->first, m_pricePrecision);
        add(it->second, m_qtyPrecision);
    }
    return static_cast<std::uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(text.constData()), static_cast<uInt>(text.size())));
}

std::pair<QString, QString> FakeKrakenExchange::bestBidAsk() const {
    return {m_bids.empty() ? QString() : numberText(m_bids.begin()->first, m_pricePrecision),
            m_asks.empty() ? QString() : numberText(m_asks.begin()->first, m_pricePrecision)};
}

// ---- public socket ----

bool FakeKrakenExchange::acceptOrRefuse(QWebSocket* socket) {
    ++m_accepted;
    return socket != nullptr;
}

void FakeKrakenExchange::onPublicConnection() {
    while (QWebSocket* socket = m_public->nextPendingConnection()) {
        acceptOrRefuse(socket);
        m_clients[socket] = Client{};
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString& text) { onPublicMessage(socket, text); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_clients.erase(socket);
            socket->deleteLater();
        });
        send(socket, statusFrame());
    }
}

void FakeKrakenExchange::send(QWebSocket* socket, const QByteArray& frame) {
    socket->sendTextMessage(QString::fromUtf8(frame));
}

void FakeKrakenExchange::answer(QWebSocket* socket, const QJsonObject& request, bool success,
                                const QByteArray& resultOrError) {
    QByteArray out = "{\"method\":\"" + request.value("method").toString().toUtf8() + "\"";
    if (request.contains("req_id"))
        out += ",\"req_id\":" + QByteArray::number(request.value("req_id").toInteger());
    if (success)
        out += ",\"result\":" + resultOrError + ",\"success\":true";
    else
        out += ",\"error\":\"" + resultOrError + "\",\"success\":false";
    out += ",\"time_in\":\"" + nowText() + "\",\"time_out\":\"" + nowText() + "\"}";
    send(socket, out);
}

void FakeKrakenExchange::pong(QWebSocket* socket, const QJsonObject& request) {
    QByteArray out = "{\"method\":\"pong\"";
    if (request.contains("req_id"))
        out += ",\"req_id\":" + QByteArray::number(request.value("req_id").toInteger());
    send(socket, out + ",\"time_in\":\"" + nowText() + "\",\"time_out\":\"" + nowText() + "\"}");
}

QByteArray FakeKrakenExchange::statusFrame() const {
    return "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"2.0.10\",\"system\":\"" +
           m_system.toUtf8() + "\",\"api_version\":\"v2\",\"connection_id\":12345}]}";
}

QByteArray FakeKrakenExchange::instrumentFrame() const {
    const QString status = m_system == "online" ? "online" : m_system;
    return "{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{\"assets\":[{\"id\":\"" + m_base.toUtf8() +
           "\",\"status\":\"enabled\",\"precision\":10},{\"id\":\"" + m_quote.toUtf8() +
           "\",\"status\":\"enabled\",\"precision\":4}],\"pairs\":[{\"symbol\":\"" + m_symbol.toUtf8() +
           "\",\"base\":\"" + m_base.toUtf8() + "\",\"quote\":\"" + m_quote.toUtf8() + "\",\"status\":\"" +
           status.toUtf8() + "\",\"qty_precision\":" + QByteArray::number(m_qtyPrecision) +
           ",\"qty_increment\":0.00000001,\"price_precision\":" + QByteArray::number(m_pricePrecision) +
           ",\"cost_precision\":5,\"marginable\":true,\"has_index\":true,\"cost_min\":0.5,\"tick_size\":0.1,"
           "\"price_increment\":0.1,\"qty_min\":0.0001}]}}";
}

void FakeKrakenExchange::onPublicMessage(QWebSocket* socket, const QString& text) {
    const QJsonObject request = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString method = request.value("method").toString();
    const QJsonObject params = request.value("params").toObject();
    auto it = m_clients.find(socket);
    if (it == m_clients.end())
        return;
    Client& client = it->second;
    if (method == "ping") {
        pong(socket, request);
        return;
    }
    if (method != "subscribe" && method != "unsubscribe") {
        answer(socket, request, false, "EGeneral:Invalid arguments");
        return;
    }
    const QString channel = params.value("channel").toString();
    const QJsonArray symbols = params.value("symbol").toArray();
    if (channel != "instrument" && (symbols.size() != 1 || symbols.at(0).toString() != m_symbol)) {
        answer(socket, request, false, "Currency pair not supported " + symbols.at(0).toString().toUtf8());
        return;
    }
    const bool on = method == "subscribe";
    if (channel == "book") {
        const int depth = params.value("depth").toInt(10);
        if (on && depth != 10 && depth != 25 && depth != 100 && depth != 500 && depth != 1000) {
            answer(socket, request, false, "EGeneral:Invalid arguments:depth");
            return;
        }
        answer(socket, request, true,
               "{\"channel\":\"book\",\"depth\":" + QByteArray::number(depth) + ",\"snapshot\":true,\"symbol\":\"" +
                   m_symbol.toUtf8() + "\"}");
        client.depth = on ? depth : 0;
        client.bids.clear();
        client.asks.clear();
        if (on) {
            ++m_bookSubscriptions;
            sendSnapshot(socket, client);
        }
    } else if (channel == "instrument") {
        answer(socket, request, true, "{\"channel\":\"instrument\",\"snapshot\":true}");
        client.instrument = on;
        if (on)
            send(socket, instrumentFrame());
    } else if (channel == "trade") {
        answer(socket, request, true,
               "{\"channel\":\"trade\",\"snapshot\":false,\"symbol\":\"" + m_symbol.toUtf8() + "\"}");
        client.trade = on;
    } else {
        answer(socket, request, false, "EGeneral:Invalid arguments:channel");
    }
}

void FakeKrakenExchange::sendSnapshot(QWebSocket* socket, Client& client) {
    QByteArray bids, asks;
    int n = 0;
    for (auto it = m_bids.begin(); it != m_bids.end() && n < client.depth; ++it, ++n) {
        bids += (n ? "," : "") + levelJson(it->first, it->second);
        client.bids[it->first] = it->second;
    }
    n = 0;
    for (auto it = m_asks.begin(); it != m_asks.end() && n < client.depth; ++it, ++n) {
        asks += (n ? "," : "") + levelJson(it->first, it->second);
        client.asks[it->first] = it->second;
    }
    send(socket, "{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"" + m_symbol.toUtf8() +
                     "\",\"bids\":[" + bids + "],\"asks\":[" + asks +
                     "],\"checksum\":" + QByteArray::number(checksum()) + "}]}");
}

// Each subscriber is told what changed within its depth: changed or new levels, and removals of levels
// that left the book. Levels merely pushed below the depth are not announced (the client truncates).
void FakeKrakenExchange::publishBook(std::optional<std::pair<bool, std::int64_t>> perturb) {
    const QByteArray sum = QByteArray::number(checksum());
    const QByteArray time = nowText();
    for (auto& [socket, client] : m_clients) {
        if (client.depth == 0)
            continue;
        auto diff = [&](auto& book, auto& seen, QByteArray& out) {
            std::decay_t<decltype(seen)> view;
            int n = 0;
            for (auto it = book.begin(); it != book.end() && n < client.depth; ++it, ++n)
                view[it->first] = it->second;
            for (const auto& [price, qty] : seen)
                if (!view.count(price) && !book.count(price))
                    out += (out.isEmpty() ? "" : ",") + levelJson(price, 0);
            for (const auto& [price, qty] : view) {
                auto s = seen.find(price);
                if (s == seen.end() || s->second != qty)
                    out += (out.isEmpty() ? "" : ",") + levelJson(price, qty);
            }
            seen = std::move(view);
        };
        QByteArray bids, asks;
        diff(m_bids, client.bids, bids);
        diff(m_asks, client.asks, asks);
        if (perturb) {
            QByteArray& side = perturb->first ? bids : asks;
            const std::int64_t price = perturb->first ? m_bids.begin()->first : m_asks.begin()->first;
            side += (side.isEmpty() ? "" : ",") + levelJson(price, perturb->second);
        }
        if (bids.isEmpty() && asks.isEmpty())
            continue;
        send(socket, "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"" + m_symbol.toUtf8() +
                         "\",\"bids\":[" + bids + "],\"asks\":[" + asks + "],\"checksum\":" + sum +
                         ",\"timestamp\":\"" + time + "\"}]}");
    }
}

void FakeKrakenExchange::tick() {
    decayRate();
    const bool bid = m_rng() % 2 == 0;
    const int op = static_cast<int>(m_rng() % 4);
    const std::int64_t topBid = m_bids.empty() ? 642500 : m_bids.begin()->first;
    const std::int64_t topAsk = m_asks.empty() ? topBid + 1 : m_asks.begin()->first;
    const std::int64_t qty = (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
    const std::int64_t offset = static_cast<std::int64_t>(m_rng() % 12);
    if (op == 0) { // change a level near the top
        if (bid)
            m_bids[topBid - offset] = qty;
        else
            m_asks[topAsk + offset] = qty;
    } else if (op == 1) { // remove one near the top (keep at least 20)
        if (bid && m_bids.size() > 20)
            m_bids.erase(m_bids.lower_bound(topBid - offset));
        else if (!bid && m_asks.size() > 20)
            m_asks.erase(m_asks.lower_bound(topAsk + offset));
    } else if (op == 2) { // improve the best price inside the spread, or refill
        if (bid && topBid + 1 < topAsk)
            m_bids[topBid + 1] = qty;
        else if (!bid && topAsk - 1 > topBid)
            m_asks[topAsk - 1] = qty;
        else if (bid)
            m_bids[m_bids.rbegin()->first - 1] = qty;
        else
            m_asks[m_asks.rbegin()->first + 1] = qty;
    } else { // the best level trades away
        if (bid && m_bids.size() > 20) {
            m_bids.erase(m_bids.begin());
        } else if (!bid && m_asks.size() > 20) {
            m_asks.erase(m_asks.begin());
        }
        const QByteArray trade = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"" +
                                 m_symbol.toUtf8() + "\",\"side\":\"" + (bid ? "sell" : "buy") +
                                 "\",\"price\":" + priceText(bid ? topBid : topAsk).toUtf8() +
                                 ",\"qty\":" + qtyText(qty / 10).toUtf8() +
                                 ",\"ord_type\":\"market\",\"trade_id\":" + QByteArray::number(m_nextTradeId++) +
                                 ",\"timestamp\":\"" + nowText() + "\"}]}";
        for (auto& [socket, client] : m_clients)
            if (client.trade)
                send(socket, trade);
    }
    std::optional<std::pair<bool, std::int64_t>> perturb;
    if (std::exchange(m_perturbNext, false) && !m_bids.empty())
        perturb = std::make_pair(true, m_bids.begin()->second + 1); // one unit off at the best bid
    publishBook(perturb);
    matchRestingOrders();
}

void FakeKrakenExchange::heartbeat() {
    for (auto& [socket, client] : m_clients)
        if (client.depth || client.trade || client.instrument)
            send(socket, "{\"channel\":\"heartbeat\"}");
    for (auto& [socket, client] : m_authClients)
        if (client.executions || client.balances)
            send(socket, "{\"channel\":\"heartbeat\"}");
}

// ---- faults ----

void FakeKrakenExchange::dropConnections() {
    std::vector<QWebSocket*> all;
    for (auto& [socket, client] : m_clients)
        all.push_back(socket);
    for (auto& [socket, client] : m_authClients)
        all.push_back(socket);
    for (QWebSocket* socket : all)
        socket->abort();
}

void FakeKrakenExchange::refuseConnectionsFor(int ms) {
    dropConnections();
    m_public->close();
    m_auth->close();
    QTimer::singleShot(ms, this, [this] {
        m_public->listen(QHostAddress::LocalHost, m_publicPort);
        m_auth->listen(QHostAddress::LocalHost, m_authPort);
    });
}

void FakeKrakenExchange::expireTokens() {
    m_expiredTokens.insert(m_tokens.begin(), m_tokens.end());
    m_tokens.clear();
}

void FakeKrakenExchange::setSystemStatus(const QString& status) {
    m_system = status;
    for (auto& [socket, client] : m_clients)
        send(socket, statusFrame());
    for (auto& [socket, client] : m_authClients)
        send(socket, statusFrame());
}

} // namespace md::test
