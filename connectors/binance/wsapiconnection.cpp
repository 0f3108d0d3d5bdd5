#include "binance/wsapiconnection.h"

#include "binance/orderparser.h"
#include "binance/wsapigateway.h"

#include "common/staleconnectionwatch.h"
#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cstdio>

namespace md::binance {

namespace {

// Parameters Binance types as numbers (LONG / INT / DECIMAL in web-socket-api.md's tables, written
// unquoted in its examples); everything else goes as a JSON string.
bool isNumeric(const QByteArray& name) {
    return name == "timestamp" || name == "recvWindow" || name == "orderId" || name == "subscriptionId";
}

void appendJsonString(QByteArray& out, const QByteArray& value) {
    out += '"';
    for (char c : value) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
                out += escaped;
            } else {
                out += c; // UTF-8 passes as is (symbols may be non-ASCII since 2025-12)
            }
        }
    }
    out += '"';
}

} // namespace

WsApiConnection::WsApiConnection(Settings settings, Credentials credentials, SessionShared shared,
                                 std::shared_ptr<WsApiStats> stats, std::shared_ptr<WsApiGateway> gateway,
                                 std::string logName, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_credentials(std::move(credentials))
    , m_shared(std::move(shared))
    , m_stats(std::move(stats))
    , m_gateway(std::move(gateway))
    , m_log(std::move(logName))
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_reconnect(new QTimer(this))
    , m_maxAge(new QTimer(this))
    , m_timeouts(new QTimer(this))
    , m_pinger(new QTimer(this))
    , m_watch(new venue::StaleConnectionWatch(m_settings.silenceTimeoutMs, this))
    , m_backoff(m_settings.backoffInitialMs, m_settings.backoffMaxMs) {
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, &WsApiConnection::connectNow);
    m_maxAge->setSingleShot(true);
    m_maxAge->setInterval(static_cast<int>(std::min<std::int64_t>(m_settings.maxConnectionAgeMs, INT32_MAX)));
    connect(m_maxAge, &QTimer::timeout, this, [this] {
        m_stats->ageReconnects.fetch_add(1);
        dropAndReconnect("the WebSocket API connection is " + std::to_string(m_settings.maxConnectionAgeMs / 1000) +
                             " s old: reconnecting before Binance's 24-hour cut",
                         true);
    });
    m_timeouts->setInterval(std::max(20, std::min(250, m_settings.requestTimeoutMs / 4)));
    connect(m_timeouts, &QTimer::timeout, this, &WsApiConnection::checkTimeouts);
    // Binance pings every 20 s and QWebSocket answers by itself, but shows us nothing of it: our own
    // pings' pongs tell that the server still listens when it has nothing else to say.
    m_pinger->setInterval(std::max(50, m_settings.silenceTimeoutMs / 3));
    connect(m_pinger, &QTimer::timeout, this, [this] { m_socket->ping(); });
    connect(m_watch, &venue::StaleConnectionWatch::silent, this, [this](int ms) {
        m_stats->silentDrops.fetch_add(1);
        dropAndReconnect("nothing heard on the WebSocket API for " + std::to_string(ms) + " ms: connection dead", true);
    });
    connect(m_socket, &QWebSocket::connected, this, &WsApiConnection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &WsApiConnection::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WsApiConnection::onFrame);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_watch->heard(); });
}

WsApiConnection::~WsApiConnection() {
    m_gateway->detach(this);
    m_socket->disconnect(this);
    m_socket->abort();
    // Our own requests (logon) are not answered to an object being destroyed; the executor's are.
    for (auto& [id, p] : m_pending)
        if (p.context == this)
            p.context = nullptr;
    failPending("the market stopped before the answer came");
}

void WsApiConnection::start() {
    connectNow();
}

void WsApiConnection::connectNow() {
    m_stats->reconnectAtMs.store(0);
    if (m_stopped)
        return;
    // Connecting costs 2 weight (web-socket-api.md "IP Limits"), from the host's shared budget.
    const auto grant = m_shared.limits->budget().tryAcquire(m_shared.limits->weightOnly(2));
    if (!grant.granted) {
        scheduleReconnect("rate budget: " + grant.reason, static_cast<int>(std::max<std::int64_t>(1, grant.waitMs)));
        return;
    }
    m_stats->connects.fetch_add(1);
    logging::get(m_log)->info("connecting the WebSocket API session to {}", m_settings.wsApiUrl);
    m_socket->open(QUrl(QString::fromStdString(m_settings.wsApiUrl)));
}

void WsApiConnection::onConnected() {
    m_connectedAtMs = wallNowMs();
    m_maxAge->start();
    m_timeouts->start();
    m_pinger->start();
    m_watch->start();
    if (m_credentials.type() == Credentials::KeyType::Ed25519)
        logon();
    else
        becomeReady();
}

void WsApiConnection::logon() {
    // session.logon: Ed25519 keys only; afterwards requests carry neither apiKey nor signature.
    request(
        {"session.logon", {}, WsRequest::Security::Signed, 2},
        [this](Response r) {
            if (r.ok()) {
                m_loggedOn = true;
                logging::get(m_log)->info("WebSocket API session logged on (Ed25519)");
                becomeReady();
                return;
            }
            if (m_shared.keys->refused()) {
                dropAndReconnect(m_shared.keys->refusal(), false);
                return;
            }
            dropAndReconnect("session.logon failed (" + r.describe() + ")", false);
        },
        this);
}

void WsApiConnection::becomeReady() {
    m_ready = true;
    m_stats->ready.store(true);
    m_gateway->attach(this);
    emit ready();
}

void WsApiConnection::onDisconnected() {
    const std::string why = "WebSocket API connection lost (" + m_socket->errorString().toStdString() + ")";
    m_ready = false;
    m_loggedOn = false;
    m_stats->ready.store(false);
    m_gateway->detach(this);
    m_maxAge->stop();
    m_timeouts->stop();
    m_pinger->stop();
    m_watch->stop();
    failPending("connection lost before the answer");
    // Only a connection that lasted is healthy enough to start the backoff over: a server that
    // accepts and drops at once (overloaded, or refusing) must not get a reconnect storm.
    constexpr std::int64_t kStableMs = 10'000;
    if (m_connectedAtMs > 0 && wallNowMs() - m_connectedAtMs >= kStableMs)
        m_backoff.reset();
    m_connectedAtMs = 0;
    emit lost(QString::fromStdString(m_stopped ? m_shared.keys->refusal() : why));
    if (m_stopped) {
        logging::get(m_log)->error("{}: the WebSocket API session stays down until the market is restarted",
                                   m_shared.keys->refusal());
        return;
    }
    if (!m_reconnect->isActive())
        scheduleReconnect(why, m_backoff.next());
}

void WsApiConnection::dropAndReconnect(const std::string& why, bool immediately) {
    if (m_shared.keys->refused())
        m_stopped = true;
    logging::get(m_log)->warn("{}", why);
    if (immediately && !m_stopped) {
        m_backoff.reset();
        scheduleReconnect(why, 0);
    }
    m_socket->abort(); // disconnected() follows, synchronously or soon
}

void WsApiConnection::scheduleReconnect(const std::string& why, int delayMs) {
    m_stats->reconnects.fetch_add(1);
    m_stats->reconnectAtMs.store(wallNowMs() + delayMs);
    logging::get(m_log)->info("WebSocket API: reconnecting in {} ms ({})", delayMs, why);
    m_reconnect->start(delayMs);
}

void WsApiConnection::answer(Pending& pending, Response response) {
    if (pending.hasContext && !pending.context)
        return; // the caller is gone
    pending.done(std::move(response));
}

void WsApiConnection::failPending(const std::string& why) {
    auto pending = std::exchange(m_pending, {});
    for (auto& [id, p] : pending) {
        Response r;
        r.transportError = why;
        r.timestampMs = p.timestampMs;
        answer(p, std::move(r));
    }
}

void WsApiConnection::checkTimeouts() {
    const std::int64_t now = wallNowMs();
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->second.deadlineMs > now) {
            ++it;
            continue;
        }
        Pending p = std::move(it->second);
        it = m_pending.erase(it);
        m_stats->timeouts.fetch_add(1);
        Response r;
        r.transportError =
            "no answer to " + p.method + " within " + std::to_string(m_settings.requestTimeoutMs) + " ms";
        r.timestampMs = p.timestampMs;
        answer(p, std::move(r));
    }
}

QByteArray WsApiConnection::build(const std::string& id, const WsRequest& request, std::int64_t& timestamp) const {
    Params params = request.params;
    if (request.security == WsRequest::Security::Signed) {
        timestamp = m_shared.clock->nowMs();
        if (!m_loggedOn)
            params.push_back({"apiKey", m_credentials.apiKey()});
        params.push_back({"recvWindow", QByteArray::number(m_settings.recvWindowMs)});
        params.push_back({"timestamp", QByteArray::number(static_cast<qint64>(timestamp))});
        // web-socket-api.md "SIGNED request security": every parameter but signature, sorted by name.
        if (!m_loggedOn)
            params.push_back({"signature", m_credentials.sign(wsApiPayload(params))});
    }
    QByteArray out;
    out.reserve(256);
    out += "{\"id\":\"";
    out += QByteArray::fromStdString(id);
    out += "\",\"method\":\"";
    out += QByteArray::fromStdString(request.method);
    out += '"';
    if (!params.empty()) {
        out += ",\"params\":{";
        bool first = true;
        for (const auto& [name, value] : params) {
            if (!first)
                out += ',';
            first = false;
            out += '"';
            out += name;
            out += "\":";
            if (isNumeric(name))
                out += value;
            else
                appendJsonString(out, value);
        }
        out += '}';
    }
    out += '}';
    return out;
}

void WsApiConnection::request(const WsRequest& request, std::function<void(Response)> done, QObject* context,
                              std::atomic<bool>* sent) {
    const bool opening = request.method == "session.logon";
    if (!m_socket->isValid() || (!m_ready && !opening)) {
        Response r;
        r.notSent = true;
        r.transportError = "the WebSocket API session is not up";
        return done(std::move(r));
    }
    const auto costs = m_shared.limits->costs(request.weight, request.orders);
    if (auto refused = preflight(request.security == WsRequest::Security::Signed, true, m_shared, costs))
        return done(std::move(*refused));
    const std::string id = std::to_string(m_nextId++);
    std::int64_t timestamp = 0;
    const QByteArray frame = build(id, request, timestamp);
    if (sent)
        sent->store(true);
    m_stats->requests.fetch_add(1, std::memory_order_relaxed);
    Pending pending;
    pending.done = std::move(done);
    pending.context = context;
    pending.hasContext = context != nullptr;
    pending.deadlineMs = wallNowMs() + m_settings.requestTimeoutMs;
    pending.timestampMs = timestamp;
    pending.costs = costs;
    pending.freeOnSuccess = request.freeOnSuccess;
    pending.weight = request.weight;
    pending.method = request.method;
    m_pending.emplace(id, std::move(pending));
    m_socket->sendTextMessage(QString::fromUtf8(frame));
    // Stamped before the write: on loopback the kernel delivers (and wakes the reader) inside it.
    m_lastWriteNs = steadyNowNs();
    m_socket->flush(); // out now, not at the next turn of the event loop
}

void WsApiConnection::onFrame(const QString& text) {
    m_watch->heard();
    m_stats->lastFrameMs.store(wallNowMs(), std::memory_order_relaxed);
    const QByteArray frame = text.toUtf8();
    auto parsed = OrderParser::parseWsApi(frame);
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_stats->parseErrors.fetch_add(1);
        logging::get(m_log)->warn("WebSocket API: unreadable frame ({})", error->message);
        return;
    }
    const WsApiMessage& m = std::get<WsApiMessage>(parsed);
    if (m.isEvent) {
        if (!m.subscriptionId && m.event.contains("\"serverShutdown\"")) {
            // web-socket-api.md "Server Shutdown": establish a new connection as soon as possible.
            m_stats->serverShutdowns.fetch_add(1);
            dropAndReconnect("serverShutdown from Binance: reconnecting before the cut", true);
            return;
        }
        emit userEvent(m.event, m.subscriptionId.value_or(-1));
        return;
    }
    for (const auto& l : m.rateLimits)
        m_shared.limits->observe(l.type, l.interval, l.intervalNum, l.count);
    if (m.error && KeyStatus::isKeyRefusal(m.error->code))
        m_shared.keys->refuse("Binance " + std::to_string(m.error->code) + ": " + m.error->message);
    if (m.status == 429 || m.status == 418) {
        const std::int64_t until = m.retryAfterMs > 0 ? m.retryAfterMs : wallNowMs() + 60'000;
        const std::string why = "HTTP " + std::to_string(m.status) + " from " + m_shared.limits->budget().name() +
                                " (WebSocket API): nothing is sent there until " +
                                std::to_string(std::max<std::int64_t>(0, until - wallNowMs()) / 1000) + " s from now";
        m_shared.limits->budget().pauseUntil(until, why);
        logging::get(m_log)->warn("{}", why);
    }
    auto it = m_pending.find(m.id);
    if (it == m_pending.end()) {
        // A revoked session answers with id null (web-socket-api.md "Regarding API key revocation").
        if (m.error && KeyStatus::isKeyRefusal(m.error->code))
            dropAndReconnect(m_shared.keys->refusal(), false);
        return;
    }
    Pending p = std::move(it->second);
    m_pending.erase(it);
    Response r;
    r.status = m.status;
    r.body = m.result;
    r.error = m.error;
    r.timestampMs = p.timestampMs;
    if (p.freeOnSuccess && r.ok())
        m_shared.limits->budget().refund(m_shared.limits->weightOnly(p.weight));
    answer(p, std::move(r));
}

} // namespace md::binance
