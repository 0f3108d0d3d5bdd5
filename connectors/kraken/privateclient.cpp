#include "kraken/privateclient.h"

#include "kraken/executionmapping.h"
#include "kraken/tokenclient.h"

#include "common/staleconnectionwatch.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QDateTime>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace md::kraken {

PrivateClient::PrivateClient(Settings settings, MarketSpec market, EventSink sink, Credentials credentials,
                             std::shared_ptr<venue::OrderTracker> tracker, std::shared_ptr<RequestChannel> channel,
                             std::shared_ptr<ExecutionLedger> ledger, std::shared_ptr<PrivateStats> stats,
                             venue::StreamStatus& status, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_market(std::move(market))
    , m_log("market." + m_market.name)
    , m_sink(std::move(sink))
    , m_tracker(std::move(tracker))
    , m_channel(std::move(channel))
    , m_ledger(std::move(ledger))
    , m_stats(std::move(stats))
    , m_status(status)
    , m_tokens(new TokenClient(m_settings, std::move(credentials), this))
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_reconnect(new QTimer(this))
    , m_ping(new QTimer(this))
    , m_deadMan(new QTimer(this))
    , m_watch(new venue::StaleConnectionWatch(m_settings.silenceTimeoutMs, this))
    , m_backoff(m_settings.backoffInitialMs, m_settings.backoffMaxMs) {
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, &PrivateClient::fetchToken);
    connect(m_tokens, &TokenClient::tokenReady, this, &PrivateClient::onToken);
    connect(m_tokens, &TokenClient::failed, this, [this](const QString& why) {
        m_stats->tokenFailures.fetch_add(1);
        retryLater("Kraken token: " + why.toStdString());
    });
    connect(m_socket, &QWebSocket::connected, this, &PrivateClient::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &PrivateClient::onDisconnected);
    // A refused connection never connects, so it never disconnects either: the error starts the backoff.
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &PrivateClient::onFrame);
    connect(m_ping, &QTimer::timeout, this,
            [this] { sendJson("{\"method\":\"ping\",\"req_id\":" + QByteArray::number(++m_reqId) + "}"); });
    connect(m_watch, &venue::StaleConnectionWatch::silent, this, [this](int ms) {
        logging::get(m_log)->warn("Kraken order connection silent for {} ms: reconnecting", ms);
        m_socket->abort();
    });
    connect(m_deadMan, &QTimer::timeout, this, &PrivateClient::deadManTick);
    // The executor hands requests over through the channel: a queued call onto this thread.
    m_channel->attach([this](RequestChannel::Request r) {
        QMetaObject::invokeMethod(
            this, [this, r] { send(r); }, Qt::QueuedConnection);
    });
}

PrivateClient::~PrivateClient() {
    m_channel->detach();
    m_socket->disconnect(this);
    m_socket->abort();
}

void PrivateClient::start() {
    m_status.set("orders", "Kraken order stream not up yet");
    m_deadMan->start(250);
    fetchToken();
}

void PrivateClient::fetchToken() {
    m_stats->reconnectAtMs.store(0);
    m_token.clear();
    m_tokens->fetch();
}

void PrivateClient::onToken(const QString& token) {
    m_stats->tokensFetched.fetch_add(1);
    m_token = token.toUtf8();
    logging::get(m_log)->info("connecting to {} (fresh token)", m_settings.authWsUrl);
    m_socket->open(QUrl(QString::fromStdString(m_settings.authWsUrl)));
}

void PrivateClient::retryLater(const std::string& why) {
    const int delay = m_backoff.next();
    m_stats->reconnectAtMs.store(wallNowMs() + delay);
    const std::string reason = why + ": retrying in " + std::to_string(delay) + " ms";
    logging::get(m_log)->warn("{}", reason);
    m_status.set("orders", reason);
    m_reconnect->start(delay);
}

void PrivateClient::sendJson(const QByteArray& json) {
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendTextMessage(QString::fromUtf8(json));
}

void PrivateClient::onConnected() {
    m_watch->start();
    m_ping->start(m_settings.pingIntervalMs);
    // Open orders and the last fills in the snapshot: what happened while we were away.
    sendJson("{\"method\":\"subscribe\",\"params\":{\"channel\":\"executions\",\"token\":\"" + m_token +
             "\",\"snap_orders\":true,\"snap_trades\":true},\"req_id\":" + QByteArray::number(++m_reqId) + "}");
    sendJson("{\"method\":\"subscribe\",\"params\":{\"channel\":\"balances\",\"token\":\"" + m_token +
             "\",\"snapshot\":true},\"req_id\":" + QByteArray::number(++m_reqId) + "}");
}

void PrivateClient::onDisconnected() {
    if (m_reconnect->isActive())
        return; // already scheduled (the error and the disconnection of one failure)
    m_watch->stop();
    m_ping->stop();
    m_subscribed = false;
    m_stats->up.store(false);
    m_stats->reconnects.fetch_add(1);
    m_ledger->setStreamUp(false, 0);
    m_channel->connectionLost("the Kraken order connection fell before the answer came");
    // Kraken keeps the dead man's timer running on its side; we only forget that we know its state.
    retryLater("Kraken order stream disconnected (" + m_socket->errorString().toStdString() + ")");
}

void PrivateClient::send(const RequestChannel::Request& r) {
    if (!m_subscribed || m_token.isEmpty()) {
        m_channel->refuse(r.reqId, "the Kraken order connection is not up");
        return;
    }
    QByteArray params = "{";
    if (!r.params.isEmpty())
        params += r.params + ",";
    params += "\"token\":\"" + m_token + "\"}";
    sendJson("{\"method\":\"" + r.method + "\",\"params\":" + params + ",\"req_id\":" + QByteArray::number(r.reqId) +
             "}");
    m_channel->markSent(r.reqId);
}

void PrivateClient::onFrame(const QString& frame) {
    m_watch->heard();
    const QByteArray bytes = frame.toUtf8();
    auto parsed = m_parser.parse(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_sink.reportParseError("Kraken order stream: " + error->message);
        return;
    }
    std::visit(Overloaded{[&](const ExecutionsMessage& m) { onExecutions(m); },
                          [&](const BalancesMessage& m) { onBalances(m); }, [&](const MethodAnswer& a) { onAnswer(a); },
                          [&](const StatusMessage& m) {
                              logging::get(m_log)->info("Kraken system status (order connection): {}", m.system);
                          },
                          [&](const auto&) {}},
               std::get<Message>(parsed));
}

void PrivateClient::onExecutions(const ExecutionsMessage& m) {
    m_stats->lastEventMs.store(wallNowMs());
    m_ledger->apply(m);
    const int ps = m_market.instrument.priceScale();
    const int qs = m_market.instrument.quantityScale();
    std::set<ClientOrderId> mentioned;
    for (const Execution& e : m.executions) {
        if (!e.symbol.empty() && e.symbol != m_market.instrument.symbol)
            continue;
        if (const auto ours = m_tracker->ids().ours(e.clOrdId))
            mentioned.insert(*ours);
        if (const auto update = toOrderUpdate(e, ps, qs))
            m_tracker->apply(*update);
    }
    if (!m.snapshot)
        return;
    // Orders we hold as placed that Kraken neither lists as open nor reports on: they ended while we were
    // away (cancelled by the dead man's switch, or by someone else) and are settled, not left dangling.
    for (ClientOrderId id : m_tracker->tracked())
        if (m_tracker->isPlaced(id) && !mentioned.count(id))
            m_tracker->settle(id, "not open on Kraken after reconnecting");
    m_subscribed = true;
    m_stats->up.store(true);
    m_ledger->setStreamUp(true, wallNowMs());
    m_backoff.reset();
    m_status.set("orders", {});
    logging::get(m_log)->info("Kraken order stream up: {} open order(s) in the snapshot",
                              m_ledger->openOrders().size());
}

void PrivateClient::onBalances(const BalancesMessage& m) {
    m_stats->lastEventMs.store(wallNowMs());
    const int qs = m_market.instrument.quantityScale();
    for (const Balance& b : m.balances)
        if (b.asset == m_market.instrument.base || b.asset == m_market.instrument.quote)
            m_sink.fire(BalanceUpdated{b.asset, Quantity(b.balance.rounded(qs, Rounding::Down)), Quantity(0, qs)});
}

void PrivateClient::onAnswer(const MethodAnswer& a) {
    if (a.method == "cancel_all_orders_after") {
        if (a.success) {
            const QDateTime trigger = QDateTime::fromString(QString::fromStdString(a.triggerTime), Qt::ISODateWithMs);
            const std::int64_t ms = trigger.isValid() ? trigger.toMSecsSinceEpoch() : 0;
            m_stats->deadManArmed.store(ms > 0);
            m_stats->deadManTriggerMs.store(ms > 0 ? ms : 0);
            m_stats->deadManRefreshes.fetch_add(1);
        } else {
            m_stats->deadManFailures.fetch_add(1);
            logging::get(m_log)->warn("Kraken refused cancel_all_orders_after: {}", a.error);
        }
    }
    if (a.hasReqId && m_channel->deliver(a))
        return;
    if (a.hasReqId && m_deadManRequests.erase(a.reqId))
        return;
    if (a.method == "pong")
        return;
    if (a.method == "subscribe") {
        if (!a.success) {
            logging::get(m_log)->warn("Kraken refused the {} subscription: {}", a.channel, a.error);
            m_socket->abort(); // a fresh token and another try, with backoff
        }
        return;
    }
    if (a.hasReqId && a.reqId >= 1'000'000) {
        m_stats->lateAnswers.fetch_add(1);
        logging::get(m_log)->warn("late answer to {} (req_id {}): {}", a.method, a.reqId,
                                  a.success ? "accepted" : a.error);
    }
}

void PrivateClient::sendDeadMan(int timeoutSeconds) {
    const std::uint64_t id = ++m_reqId;
    m_deadManRequests.insert(id);
    m_lastDeadManMs = wallNowMs();
    sendJson("{\"method\":\"cancel_all_orders_after\",\"params\":{\"timeout\":" + QByteArray::number(timeoutSeconds) +
             ",\"token\":\"" + m_token + "\"},\"req_id\":" + QByteArray::number(id) + "}");
}

// While any order of ours may rest on Kraken (placed, or sent without an answer yet), the switch is armed
// and pushed back; once none may, it is disabled, so that it never cancels what someone else places later.
void PrivateClient::deadManTick() {
    if (m_settings.deadManTimeoutS <= 0 || !m_subscribed)
        return;
    const bool ours = !m_tracker->tracked().empty();
    const std::int64_t now = wallNowMs();
    const bool armed = m_stats->deadManArmed.load() && m_stats->deadManTriggerMs.load() > now;
    // At most one request a second: an unanswered one is not repeated in a burst.
    if (now - m_lastDeadManMs < 1000)
        return;
    if (ours && (!armed || now - m_lastDeadManMs >= m_settings.deadManRefreshS * 1000LL))
        sendDeadMan(m_settings.deadManTimeoutS);
    else if (!ours && armed)
        sendDeadMan(0);
}

} // namespace md::kraken
