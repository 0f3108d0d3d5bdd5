// The fake exchange's servers and market data: the REST port, one WebSocket port that serves the
// combined market-data streams and the WebSocket API, pings, serverShutdown, silent links.
#include "fakebinanceexchange.h"

#include <QDateTime>

#include <QHttpServer>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>
#include <chrono>

namespace md::test {

FakeBinanceExchange::FakeBinanceExchange(QString symbol, std::uint64_t seed, QObject* parent)
    : QObject(parent)
    , m_http(std::make_unique<QHttpServer>())
    , m_tcp(new QTcpServer(this))
    , m_ws(new QWebSocketServer("fake-binance", QWebSocketServer::NonSecureMode, this))
    , m_timer(new QTimer(this))
    , m_pinger(new QTimer(this)) {
    // A book around 64250.00; 10 BTC and 1,000,000 USDT on the account.
    m_books.push_back(std::make_unique<FakeBook>(symbol, "BTC", "USDT", 6'425'000'000'000LL, seed));
    if (symbol != "BTCUSDT") {
        m_books.front()->base = symbol.left(symbol.size() - 4);
        m_books.front()->quote = symbol.right(4);
    }
    m_balances["BTC"] = {10 * 100'000'000LL, 0};
    m_balances["USDT"] = {1'000'000 * 100'000'000LL, 0};
    m_keys.setHmac("fake-api-key", "fake-api-secret");
    routeRest();
    // Connections are accepted here and handed to the WebSocket server, so that the fake keeps each
    // TCP socket and can make a link fall silent (stallConnections).
    connect(m_tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* tcp = m_tcp->nextPendingConnection())
            acceptConnection(tcp);
    });
    connect(m_ws, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket* socket = m_ws->nextPendingConnection())
            onWebSocket(socket, nullptr);
    });
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &FakeBinanceExchange::tick);
    connect(m_pinger, &QTimer::timeout, this, &FakeBinanceExchange::pingAll);
}

FakeBinanceExchange::~FakeBinanceExchange() {
    for (auto& [socket, session] : m_sessions)
        socket->disconnect(this);
    for (auto& [socket, symbol] : m_streams)
        socket->disconnect(this);
}

bool FakeBinanceExchange::listen(quint16 restPort, quint16 streamPort) {
    m_restPort = m_http->listen(QHostAddress::LocalHost, restPort);
    if (m_restPort == 0 || !m_tcp->listen(QHostAddress::LocalHost, streamPort))
        return false;
    m_streamPort = m_tcp->serverPort();
    m_timer->start();
    return true;
}

QString FakeBinanceExchange::restUrl() const {
    return QString("http://127.0.0.1:%1").arg(m_restPort);
}
QString FakeBinanceExchange::streamUrl() const {
    return QString("ws://127.0.0.1:%1").arg(m_streamPort);
}
QString FakeBinanceExchange::wsApiUrl() const {
    return QString("ws://127.0.0.1:%1/ws-api/v3").arg(m_streamPort);
}

FakeBook& FakeBinanceExchange::book(const QString& symbol) {
    if (symbol.isEmpty())
        return *m_books.front();
    FakeBook* b = bookFor(symbol);
    return b ? *b : *m_books.front();
}

FakeBook* FakeBinanceExchange::bookFor(const QString& symbol) {
    for (auto& b : m_books)
        if (b->symbol() == symbol)
            return b.get();
    return nullptr;
}

FakeBook& FakeBinanceExchange::addSymbol(const QString& symbol, const QString& base, const QString& quote,
                                         const QString& mid) {
    m_books.push_back(
        std::make_unique<FakeBook>(symbol, base, quote, units(mid).value_or(100'000'000), m_books.size() + 17));
    if (!m_balances.count(base))
        m_balances[base] = {1000 * 100'000'000LL, 0};
    return *m_books.back();
}

void FakeBinanceExchange::loadRecording(const QString& symbol, QList<QByteArray> frames, QByteArray snapshot,
                                        int framesBeforeSnapshot, QString tickSize, QString stepSize) {
    FakeBook& b = *m_books.front();
    b = FakeBook(symbol, symbol.left(symbol.size() - 4), symbol.right(4), 100'000'000, 1);
    b.tickSize = std::move(tickSize);
    b.stepSize = std::move(stepSize);
    b.minNotional = "5.00000000";
    b.loadRecording(std::move(frames), std::move(snapshot), framesBeforeSnapshot);
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

std::pair<QString, QString> FakeBinanceExchange::bestBidAsk() const {
    return m_books.front()->bestBidAsk();
}

std::uint64_t FakeBinanceExchange::lastUpdateId() const {
    return m_books.front()->lastUpdateId();
}

void FakeBinanceExchange::stepOnce() {
    tick();
}

void FakeBinanceExchange::tick() {
    if (m_stalled)
        return;
    matchRestingOrders();
    for (auto& b : m_books) {
        if (b->recorded()) {
            // Played back only while someone listens, so the snapshot point is where the recording had it.
            bool listening = false;
            for (const auto& [socket, symbol] : m_streams)
                listening = listening || symbol == b->symbol();
            if (listening)
                broadcast(b->symbol(), b->nextRecordedFrames(20));
            continue;
        }
        broadcast(b->symbol(), b->step(m_takenBids[b->symbol()], m_takenAsks[b->symbol()]));
    }
}

qint64 FakeBinanceExchange::publishTouch() {
    const QByteArray frame = book().touch();
    const qint64 sentNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    broadcast(book().symbol(), {frame});
    for (const auto& [client, symbol] : m_streams)
        client->flush();
    return sentNs;
}

void FakeBinanceExchange::broadcast(const QString& symbol, const QList<QByteArray>& frames) {
    for (const auto& [client, s] : m_streams)
        if (s == symbol)
            for (const QByteArray& frame : frames)
                client->sendTextMessage(QString::fromUtf8(frame));
}

void FakeBinanceExchange::sendMalformedFrame() {
    broadcast(m_books.front()->symbol(), {QByteArray(R"({"stream":")") + m_books.front()->lower().toUtf8() +
                                          R"(@depth@100ms","data":{"U":"oops","b":[[1,2]]})"});
}

void FakeBinanceExchange::dropConnections() {
    for (const auto& [client, symbol] : std::map<QWebSocket*, QString>(m_streams))
        client->abort();
    for (QWebSocket* socket : [&] {
             std::vector<QWebSocket*> v;
             for (const auto& [s, session] : m_sessions)
                 v.push_back(s);
             return v;
         }())
        socket->abort();
}

void FakeBinanceExchange::refuseConnectionsFor(int ms) {
    m_refuseUntilMs = QDateTime::currentMSecsSinceEpoch() + ms;
}

void FakeBinanceExchange::closeRestPort() {
    for (QTcpServer* server : m_http->servers())
        server->close();
}

void FakeBinanceExchange::acceptConnection(QTcpSocket* tcp) {
    if (m_stalled || QDateTime::currentMSecsSinceEpoch() < m_refuseUntilMs) {
        ++m_refused;
        tcp->abort();
        tcp->deleteLater();
        return;
    }
    // No Nagle on the exchange's side: with it, a small frame written while the previous one is not
    // yet acknowledged waits for the peer's delayed ACK (~40 ms on Linux) — the 40 ms maxima of
    // bench_binance_ticktotrade. Our connector's QWebSockets set TCP_NODELAY themselves (Qt does).
    tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // The WebSocket server takes the socket over (handshake and all); we keep a pointer to it.
    m_tcpSockets.emplace_back(tcp);
    m_ws->handleConnection(tcp);
}

void FakeBinanceExchange::onWebSocket(QWebSocket* socket, QTcpSocket*) {
    const QUrl url = socket->requestUrl();
    const QString path = url.path();
    connect(socket, &QWebSocket::pong, this, [this, socket] { m_pingSentAt.erase(socket); });
    if (path.startsWith("/ws-api/v3")) {
        acceptWsApi(socket);
        return;
    }
    if (path.startsWith("/ws/")) {
        // The listenKey user data stream: gone since 2026-02-20 (CHANGELOG 2026-01-21).
        ++m_retiredCalls;
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, "listenKey streams are retired");
        socket->deleteLater();
        return;
    }
    // /stream?streams=<sym>@depth@100ms/<sym>@bookTicker/<sym>@trade
    const QString streams = QUrlQuery(url).queryItemValue("streams", QUrl::FullyDecoded);
    const QString lower = streams.section('@', 0, 0);
    QString symbol;
    for (const auto& b : m_books)
        if (b->lower() == lower)
            symbol = b->symbol();
    if (symbol.isEmpty()) {
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated, "unknown stream " + streams);
        socket->deleteLater();
        return;
    }
    ++m_accepted;
    m_streams[socket] = symbol;
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        m_streams.erase(socket);
        m_pingSentAt.erase(socket);
        socket->deleteLater();
    });
}

void FakeBinanceExchange::setPings(int intervalMs, int pongDeadlineMs) {
    m_pongDeadlineMs = pongDeadlineMs;
    m_pinger->start(intervalMs);
}

void FakeBinanceExchange::pingAll() {
    if (m_stalled)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::vector<QWebSocket*> all;
    for (const auto& [s, symbol] : m_streams)
        all.push_back(s);
    for (const auto& [s, session] : m_sessions)
        all.push_back(s);
    for (QWebSocket* socket : all) {
        auto it = m_pingSentAt.find(socket);
        if (it != m_pingSentAt.end() && now - it->second > m_pongDeadlineMs) {
            // web-socket-api.md: no pong within the deadline, the connection is closed.
            ++m_pongsMissed;
            m_pingSentAt.erase(it);
            socket->close(QWebSocketProtocol::CloseCodeGoingAway, "pong deadline missed");
            continue;
        }
        if (it == m_pingSentAt.end())
            m_pingSentAt[socket] = now;
        ++m_pingsSent;
        socket->ping();
    }
}

void FakeBinanceExchange::announceShutdown(int cutAfterMs) {
    const QByteArray time = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    std::vector<QWebSocket*> doomed;
    for (const auto& [socket, symbol] : m_streams) {
        socket->sendTextMessage(
            QString::fromUtf8(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":)" + time + "}}"));
        doomed.push_back(socket);
    }
    for (const auto& [socket, session] : m_sessions) {
        socket->sendTextMessage(QString::fromUtf8(R"({"event":{"e":"serverShutdown","E":)" + time + "}}"));
        doomed.push_back(socket);
    }
    for (QWebSocket* socket : doomed)
        QTimer::singleShot(cutAfterMs, socket, [socket] { socket->close(QWebSocketProtocol::CloseCodeGoingAway); });
}

void FakeBinanceExchange::stallConnections() {
    m_stalled = true;
    // The sockets stay open but nothing reads them any more, so the client's pings are never
    // answered, and nothing is sent on them (ticks, pings and events stop while stalled).
    for (const QPointer<QTcpSocket>& tcp : m_tcpSockets)
        if (tcp)
            tcp->blockSignals(true);
}

} // namespace md::test
