#include "binance/userdataclient.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cmath>
#include <set>

namespace md::binance {

namespace {
QByteArray q(const std::string& s) {
    return QByteArray::fromStdString(s);
}
} // namespace

UserDataClient::UserDataClient(Settings settings, MarketSpec market, EventSink sink, Credentials credentials,
                               std::shared_ptr<RestGate> gate, std::shared_ptr<OrderTracker> tracker,
                               std::shared_ptr<UserStreamStats> stats, ConnectionStatus& status, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_market(std::move(market))
    , m_sink(std::move(sink))
    , m_log("market." + m_market.name)
    , m_rest(new RestClient(m_settings, std::move(credentials), std::move(gate), m_log, this))
    , m_parser(m_market.instrument.priceScale(), m_market.instrument.quantityScale())
    , m_tracker(std::move(tracker))
    , m_stats(std::move(stats))
    , m_status(status)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_reconnect(new QTimer(this))
    , m_keepalive(new QTimer(this))
    , m_maxAge(new QTimer(this))
    , m_backoff(m_settings.backoffInitialMs, m_settings.backoffMaxMs) {
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, &UserDataClient::createListenKey);
    m_keepalive->setInterval(m_settings.listenKeyKeepaliveMs);
    connect(m_keepalive, &QTimer::timeout, this, &UserDataClient::keepAlive);
    m_maxAge->setSingleShot(true);
    m_maxAge->setInterval(static_cast<int>(std::min<std::int64_t>(m_settings.maxConnectionAgeMs, INT32_MAX)));
    connect(m_maxAge, &QTimer::timeout, this, [this] {
        logging::get(m_log)->info("order stream connection is {} s old: reconnecting before Binance cuts it",
                                  m_settings.maxConnectionAgeMs / 1000);
        m_backoff.reset();
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, "planned reconnect");
    });
    connect(m_socket, &QWebSocket::connected, this, &UserDataClient::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &UserDataClient::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &UserDataClient::onFrame);
}

UserDataClient::~UserDataClient() {
    m_socket->disconnect(this);
    m_socket->abort();
}

void UserDataClient::start() {
    m_status.set("orders", "order stream connecting");
    createListenKey();
}

void UserDataClient::createListenKey() {
    m_stats->reconnectAtMs.store(0);
    m_rest->sendAsync("POST", "/api/v3/userDataStream", {}, RestClient::Auth::ApiKey, [this](RestClient::Response r) {
        const auto key = r.ok() ? OrderParser::parseListenKey(r.body) : std::nullopt;
        if (!key) {
            scheduleReconnect("listenKey not created (" + r.describe() + ")");
            return;
        }
        m_stats->listenKeys.fetch_add(1);
        m_listenKey = *key;
        // The listenKey is a bearer token for the account's events: not logged.
        const QUrl url(QString::fromStdString(m_settings.userStreamBase()) + "/ws/" +
                       QString::fromStdString(m_listenKey));
        logging::get(m_log)->info("connecting the order stream to {}/ws/<listenKey>", m_settings.userStreamBase());
        m_socket->open(url);
    });
}

void UserDataClient::onConnected() {
    m_stats->up.store(true);
    m_connectedAtMs = wallNowMs();
    m_keepalive->start();
    m_maxAge->start();
    logging::get(m_log)->info("order stream connected: reconciling orders and balances over REST");
    reconcile();
}

void UserDataClient::onDisconnected() {
    m_stats->up.store(false);
    m_keepalive->stop();
    m_maxAge->stop();
    // Only a connection that lasted is healthy enough to start the backoff over: a server that
    // accepts and drops at once (overloaded, or refusing) must not get a reconnect storm.
    constexpr std::int64_t kStableMs = 10'000;
    if (m_connectedAtMs > 0 && wallNowMs() - m_connectedAtMs >= kStableMs)
        m_backoff.reset();
    m_connectedAtMs = 0;
    scheduleReconnect("order stream disconnected (" + m_socket->errorString().toStdString() + ")");
}

void UserDataClient::scheduleReconnect(const std::string& why) {
    const int delay = m_backoff.next();
    m_stats->reconnects.fetch_add(1);
    m_stats->reconnectAtMs.store(wallNowMs() + delay);
    const std::string reason = why + ": order stream down, reconnecting in " + std::to_string(delay) + " ms";
    logging::get(m_log)->warn("{}", reason);
    m_status.set("orders", reason);
    m_reconnect->start(delay);
}

void UserDataClient::keepAlive() {
    m_rest->sendAsync("PUT", "/api/v3/userDataStream", "listenKey=" + q(m_listenKey), RestClient::Auth::ApiKey,
                      [this](RestClient::Response r) {
                          if (r.ok()) {
                              m_stats->keepalives.fetch_add(1);
                              return;
                          }
                          // An expired or unknown key: start over with a new one.
                          logging::get(m_log)->warn("listenKey keepalive failed ({}): new key", r.describe());
                          m_socket->close(QWebSocketProtocol::CloseCodeNormal, "listenKey renewal");
                      });
}

void UserDataClient::reconcile() {
    m_stats->reconciliations.fetch_add(1);
    const QByteArray symbol = "symbol=" + q(m_market.instrument.symbol);
    m_rest->sendAsync(
        "GET", "/api/v3/openOrders", symbol, RestClient::Auth::Signed, [this, symbol](RestClient::Response r) {
            auto parsed = r.ok() ? m_parser.parseOrderList(r.body)
                                 : std::variant<std::vector<OrderReport>, ParseError>(ParseError{r.describe()});
            if (auto* error = std::get_if<ParseError>(&parsed)) {
                // Without the list, reports missed while away stay missed: try the whole connection again.
                logging::get(m_log)->warn("open orders not available after reconnect: {}", error->message);
                m_socket->close(QWebSocketProtocol::CloseCodeNormal, "reconciliation failed");
                return;
            }
            std::set<ClientOrderId> open;
            for (const auto& report : std::get<std::vector<OrderReport>>(parsed)) {
                if (auto id = m_tracker->ourId(report.clientOrderId))
                    open.insert(*id);
                m_tracker->apply(report);
            }
            // Orders we track that the exchange no longer lists ended while we were away: ask each.
            for (ClientOrderId id : m_tracker->tracked()) {
                if (open.count(id))
                    continue;
                m_rest->sendAsync("GET", "/api/v3/order",
                                  symbol + "&origClientOrderId=" + q(m_tracker->exchangeClientId(id)),
                                  RestClient::Auth::Signed, [this](RestClient::Response answer) {
                                      if (!answer.ok())
                                          return; // -2013: never reached the exchange; the executor settles it
                                      auto order = m_parser.parseOrder(answer.body);
                                      if (auto* report = std::get_if<OrderReport>(&order))
                                          m_tracker->apply(*report);
                                  });
            }
            m_rest->sendAsync("GET", "/api/v3/account", {}, RestClient::Auth::Signed, [this](RestClient::Response a) {
                auto account = a.ok() ? m_parser.parseAccount(a.body)
                                      : std::variant<AccountPosition, ParseError>(ParseError{a.describe()});
                if (auto* position = std::get_if<AccountPosition>(&account)) {
                    for (const auto& balance : position->balances)
                        if (balance.asset == m_market.instrument.base || balance.asset == m_market.instrument.quote)
                            publishBalance(balance);
                } else {
                    logging::get(m_log)->warn("balances not available: {}", std::get<ParseError>(account).message);
                }
                m_status.set("orders", {});
            });
        });
}

void UserDataClient::publishBalance(const AssetBalance& balance) {
    m_balances[balance.asset] = balance;
    m_sink.fire(BalanceUpdated{balance.asset, balance.free, balance.locked});
}

void UserDataClient::onFrame(const QString& frame) {
    m_stats->events.fetch_add(1, std::memory_order_relaxed);
    m_stats->lastEventMs.store(wallNowMs(), std::memory_order_relaxed);
    auto parsed = m_parser.parseUserData(frame.toUtf8());
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_stats->parseErrors.fetch_add(1);
        m_sink.reportParseError("user data: " + error->message);
        // A lost execution report is recovered by asking the exchange: reconnecting reconciles.
        if (frame.contains("executionReport"))
            m_socket->close(QWebSocketProtocol::CloseCodeNormal, "malformed execution report");
        return;
    }
    std::visit(Overloaded{[&](OrderReport& report) {
                              if (!m_tracker->apply(report) && !m_tracker->ourId(report.clientOrderId))
                                  logging::get(m_log)->debug("execution report for an order not ours ({})",
                                                             report.clientOrderId);
                          },
                          [&](AccountPosition& position) {
                              for (const auto& balance : position.balances)
                                  publishBalance(balance);
                          },
                          [&](BalanceDelta& delta) {
                              AssetBalance& balance = m_balances[delta.asset];
                              balance.asset = delta.asset;
                              balance.free = Quantity(balance.free.decimal() + delta.delta.decimal());
                              m_sink.fire(BalanceUpdated{balance.asset, balance.free, balance.locked});
                          },
                          [&](ListenKeyExpired&) {
                              logging::get(m_log)->info("listenKey expired: new key, new connection");
                              m_socket->close(QWebSocketProtocol::CloseCodeNormal, "listenKey expired");
                          },
                          [&](OtherUserEvent&) {}},
               std::get<UserDataEvent>(parsed));
}

} // namespace md::binance
