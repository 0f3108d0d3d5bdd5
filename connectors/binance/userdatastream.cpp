#include "binance/userdatastream.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <set>

namespace md::binance {

namespace {
QByteArray q(const std::string& s) {
    return QByteArray::fromStdString(s);
}
} // namespace

UserDataStream::UserDataStream(WsApiConnection& session, MarketSpec market, EventSink sink,
                               std::shared_ptr<venue::OrderTracker> tracker, std::shared_ptr<UserStreamStats> stats,
                               std::shared_ptr<KeyStatus> keys, venue::StreamStatus& status, const Settings& settings,
                               QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_market(std::move(market))
    , m_sink(std::move(sink))
    , m_log("market." + m_market.name)
    , m_parser(m_market.instrument.priceScale(), m_market.instrument.quantityScale())
    , m_tracker(std::move(tracker))
    , m_stats(std::move(stats))
    , m_keys(std::move(keys))
    , m_status(status)
    , m_resubscribe(new QTimer(this))
    , m_backoff(settings.backoffInitialMs, settings.backoffMaxMs) {
    m_resubscribe->setSingleShot(true);
    connect(m_resubscribe, &QTimer::timeout, this, &UserDataStream::subscribe);
    connect(&m_session, &WsApiConnection::ready, this, &UserDataStream::onReady);
    connect(&m_session, &WsApiConnection::lost, this, &UserDataStream::onLost);
    connect(&m_session, &WsApiConnection::userEvent, this, &UserDataStream::onEvent);
}

void UserDataStream::start() {
    m_status.set("orders", "order stream connecting");
}

void UserDataStream::down(const std::string& why) {
    m_stats->up.store(false);
    m_stats->downs.fetch_add(1);
    m_subscriptionId = -1;
    m_pendingQueries = 0;
    ++m_generation;
    m_status.set("orders", why);
}

void UserDataStream::onReady() {
    m_backoff.reset();
    subscribe();
}

void UserDataStream::onLost(const QString& reason) {
    m_resubscribe->stop();
    down(m_keys->refused() ? m_keys->refusal() : reason.toStdString() + ": order stream down");
}

void UserDataStream::subscribe() {
    m_stats->resubscribeAtMs.store(0);
    if (!m_session.isReady())
        return; // the session's ready() brings us back
    const std::uint64_t generation = ++m_generation;
    // web-socket-api.md "User Data Stream requests": with a logged-on (Ed25519) session the plain
    // subscribe; otherwise the signed one, which works with any key type (CHANGELOG 2025-08-12).
    WsRequest request = m_session.loggedOn()
                            ? WsRequest{"userDataStream.subscribe", {}, WsRequest::Security::None, 2}
                            : WsRequest{"userDataStream.subscribe.signature", {}, WsRequest::Security::Signed, 2};
    m_session.request(
        request,
        [this, generation](Response r) {
            if (generation != m_generation)
                return;
            if (!r.ok()) {
                if (m_keys->refused()) {
                    down(m_keys->refusal());
                    logging::get(m_log)->error("{}: the order stream stays down until the market is restarted",
                                               m_keys->refusal());
                    return;
                }
                const int delay = m_backoff.next();
                m_stats->resubscribeAtMs.store(wallNowMs() + delay);
                down("user data subscription failed (" + r.describe() + "): order stream down, again in " +
                     std::to_string(delay) + " ms");
                m_resubscribe->start(delay);
                return;
            }
            const QJsonObject result = QJsonDocument::fromJson(r.body).object();
            m_subscriptionId = result.value("subscriptionId").toInt(-1);
            m_stats->subscriptions.fetch_add(1);
            logging::get(m_log)->info("user data subscribed (subscription {}): reconciling orders and balances",
                                      m_subscriptionId);
            reconcile();
        },
        this);
}

void UserDataStream::reconcile() {
    m_stats->reconciliations.fetch_add(1);
    m_pendingQueries = 0;
    const std::uint64_t generation = m_generation;
    const Params symbol{{"symbol", q(m_market.instrument.symbol)}};
    m_session.request(
        {"openOrders.status", symbol, WsRequest::Security::Signed, 6},
        [this, generation](Response r) {
            if (generation != m_generation)
                return;
            auto parsed = r.ok() ? m_parser.parseOrderList(r.body)
                                 : std::variant<std::vector<OrderReport>, ParseError>(ParseError{r.describe()});
            if (auto* error = std::get_if<ParseError>(&parsed)) {
                // Without the list, reports missed while away stay missed: subscribe again later.
                const int delay = m_backoff.next();
                down("open orders not available after subscribing (" + error->message + "): order stream down");
                m_resubscribe->start(delay);
                return;
            }
            std::set<ClientOrderId> open;
            for (const auto& report : std::get<std::vector<OrderReport>>(parsed)) {
                if (auto id = m_tracker->ids().ours(report.clientOrderId))
                    open.insert(*id);
                m_tracker->apply(OrderParser::toUpdate(report));
            }
            // Orders we track that the exchange no longer lists ended while nobody listened — or the
            // exchange forgot them: ask about each.
            for (ClientOrderId id : m_tracker->tracked())
                if (!open.count(id) && m_tracker->isPlaced(id))
                    reconcileOrder(id);
            ++m_pendingQueries;
            m_session.request(
                {"account.status", {{"omitZeroBalances", "true"}}, WsRequest::Security::Signed, 20},
                [this, generation](Response a) {
                    if (generation != m_generation)
                        return;
                    auto account = a.ok() ? m_parser.parseAccount(a.body)
                                          : std::variant<AccountPosition, ParseError>(ParseError{a.describe()});
                    if (auto* position = std::get_if<AccountPosition>(&account)) {
                        for (const auto& balance : position->balances)
                            if (balance.asset == m_market.instrument.base || balance.asset == m_market.instrument.quote)
                                publishBalance(balance);
                    } else {
                        logging::get(m_log)->warn("balances not available: {}", std::get<ParseError>(account).message);
                    }
                    --m_pendingQueries;
                    finishReconciliation();
                },
                this);
        },
        this);
}

void UserDataStream::reconcileOrder(ClientOrderId id) {
    ++m_pendingQueries;
    const std::uint64_t generation = m_generation;
    const std::string clientId = m_tracker->exchangeClientId(id);
    m_session.request(
        {"order.status",
         {{"symbol", q(m_market.instrument.symbol)}, {"origClientOrderId", q(clientId)}},
         WsRequest::Security::Signed,
         4},
        [this, generation, id, clientId](Response r) {
            if (generation != m_generation)
                return;
            --m_pendingQueries;
            if (r.ok()) {
                auto order = m_parser.parseOrder(r.body);
                if (auto* report = std::get_if<OrderReport>(&order))
                    m_tracker->apply(OrderParser::toUpdate(*report));
            } else if (r.code() == -2013) {
                // What the exchange says wins: it acknowledged this order once and now has no such
                // order (it restarted and forgot it). Left "open", it would be a phantom the
                // strategy waits on and the journal keeps; it is settled, and the log says why.
                m_tracker->settle(id, "after reconnecting, Binance answers -2013 (" +
                                          (r.error ? r.error->message : std::string("Order does not exist.")) +
                                          ") for " + clientId + ": settled as cancelled");
            } else {
                logging::get(m_log)->warn("state of {} not available after reconnecting: {}", clientId, r.describe());
            }
            finishReconciliation();
        },
        this);
}

void UserDataStream::finishReconciliation() {
    if (m_pendingQueries > 0)
        return;
    m_stats->up.store(true);
    m_status.set("orders", {});
}

void UserDataStream::publishBalance(const AssetBalance& balance) {
    m_balances[balance.asset] = balance;
    m_sink.fire(BalanceUpdated{balance.asset, balance.free, balance.locked});
}

void UserDataStream::onEvent(const QByteArray& event, int subscriptionId) {
    m_stats->events.fetch_add(1, std::memory_order_relaxed);
    m_stats->lastEventMs.store(wallNowMs(), std::memory_order_relaxed);
    if (subscriptionId >= 0 && m_subscriptionId >= 0 && subscriptionId != m_subscriptionId)
        return; // an older subscription's last words
    auto parsed = m_parser.parseUserData(event);
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_stats->parseErrors.fetch_add(1);
        m_sink.reportParseError("user data: " + error->message);
        // A lost execution report is recovered by asking the exchange.
        if (event.contains("executionReport"))
            reconcile();
        return;
    }
    std::visit(
        Overloaded{
            [&](OrderReport& report) {
                // The account's other markets: theirs to handle (their client ids may carry this
                // run's tag too).
                if (!report.symbol.empty() && report.symbol != m_market.instrument.symbol)
                    return;
                if (!m_tracker->apply(OrderParser::toUpdate(report)) && !m_tracker->ids().ours(report.clientOrderId))
                    logging::get(m_log)->debug("execution report for an order not ours ({})", report.clientOrderId);
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
            [&](StreamTerminated&) {
                m_stats->terminations.fetch_add(1);
                const int delay = m_backoff.next();
                m_stats->resubscribeAtMs.store(wallNowMs() + delay);
                logging::get(m_log)->warn("eventStreamTerminated: subscribing again in {} ms", delay);
                down("user data stream terminated by Binance: resubscribing in " + std::to_string(delay) + " ms");
                m_resubscribe->start(delay);
            },
            [&](ServerShutdown&) {}, // the session reconnects
            [&](OtherUserEvent&) {}},
        std::get<UserDataEvent>(parsed));
}

} // namespace md::binance
