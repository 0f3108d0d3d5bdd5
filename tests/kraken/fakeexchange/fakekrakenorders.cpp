// The authenticated half of the fake Kraken: the token endpoint, the private socket's channels and
// methods, the matching engine, the order-rate counter and the dead man's switch.
#include "fakekrakenexchange.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

namespace md::test {

namespace {

QByteArray nowText(qint64 ms = QDateTime::currentMSecsSinceEpoch()) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString("yyyy-MM-ddTHH:mm:ss.zzz000Z").toUtf8();
}

/// The exact number text of `key` in a request frame (the JSON parser would go through a double).
std::optional<QString> rawNumber(const QString& frame, const QString& key) {
    const QRegularExpression re("\"" + key + "\"\\s*:\\s*\"?([-+0-9.eE]+)");
    const auto m = re.match(frame);
    return m.hasMatch() ? std::optional<QString>(m.captured(1)) : std::nullopt;
}

/// Units at `precision`, refusing finer digits (plain decimal text only: the fake expects what the
/// connector sends).
std::optional<std::int64_t> unitsOf(const QString& text, int precision) {
    const QStringList parts = text.split('.');
    if (parts.size() > 2 || parts[0].isEmpty())
        return std::nullopt;
    QString fraction = parts.size() == 2 ? parts[1] : QString();
    while (fraction.size() > precision && fraction.endsWith('0'))
        fraction.chop(1);
    if (fraction.size() > precision)
        return std::nullopt;
    bool ok = false;
    const qlonglong v = (parts[0] + fraction.leftJustified(precision, '0')).toLongLong(&ok);
    return ok ? std::optional<std::int64_t>(v) : std::nullopt;
}

QString fixed(std::int64_t units, int precision) {
    QString digits = QString::number(units < 0 ? -units : units).rightJustified(precision + 1, '0');
    QString out = precision > 0 ? digits.left(digits.size() - precision) + "." + digits.right(precision) : digits;
    return units < 0 ? "-" + out : out;
}

} // namespace

void FakeKrakenExchange::setCredentials(QByteArray apiKey, QByteArray base64Secret) {
    m_apiKey = std::move(apiKey);
    m_secret = std::move(base64Secret);
}

void FakeKrakenExchange::setBalance(const QString& asset, const QString& amount) {
    m_balances[asset] = unitsOf(amount, 8).value_or(0);
    sendBalances();
}

QString FakeKrakenExchange::balanceText(const QString& asset) const {
    auto it = m_balances.find(asset);
    return fixed(it == m_balances.end() ? 0 : it->second, 8);
}

void FakeKrakenExchange::setRateTier(double threshold, double decayPerSecond) {
    m_rateThreshold = threshold;
    m_rateDecay = decayPerSecond;
}

void FakeKrakenExchange::decayRate() {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_rateAtMs)
        m_rate = std::max(0.0, m_rate - m_rateDecay * (now - m_rateAtMs) / 1000.0);
    m_rateAtMs = now;
}

double FakeKrakenExchange::rateCounter() {
    decayRate();
    return m_rate;
}

bool FakeKrakenExchange::deadManArmed() const {
    return m_deadMan->isActive();
}

std::vector<FakeKrakenExchange::OrderInfo> FakeKrakenExchange::openOrders() const {
    std::vector<OrderInfo> out;
    for (const Order& o : m_orders)
        if (o.open)
            out.push_back({o.orderId, o.clOrdId, o.buy ? "buy" : "sell", fixed(o.price, m_pricePrecision),
                           fixed(o.quantity, m_qtyPrecision), fixed(o.filled, m_qtyPrecision)});
    return out;
}

std::optional<FakeKrakenExchange::OrderInfo> FakeKrakenExchange::order(const QString& clOrdId) const {
    for (auto it = m_orders.rbegin(); it != m_orders.rend(); ++it)
        if (it->clOrdId == clOrdId)
            return OrderInfo{it->orderId,
                             it->clOrdId,
                             it->buy ? "buy" : "sell",
                             fixed(it->price, m_pricePrecision),
                             fixed(it->quantity, m_qtyPrecision),
                             fixed(it->filled, m_qtyPrecision)};
    return std::nullopt;
}

// ---- REST: GetWebSocketsToken (https://docs.kraken.com/exchange/guides/rest/authentication) ----

QHttpServerResponse FakeKrakenExchange::onToken(const QHttpServerRequest& request) {
    auto error = [](const char* e) {
        return QHttpServerResponse("application/json", QByteArray("{\"error\":[\"") + e + "\"]}");
    };
    if (request.method() != QHttpServerRequest::Method::Post)
        return error("EGeneral:Invalid arguments");
    const QByteArray body = request.body();
    const QByteArray nonce = QUrlQuery(QString::fromUtf8(body)).queryItemValue("nonce").toUtf8();
    if (request.value("API-Key") != m_apiKey)
        return error("EAPI:Invalid key");
    const QByteArray expected =
        QMessageAuthenticationCode::hash(request.url().path().toUtf8() +
                                             QCryptographicHash::hash(nonce + body, QCryptographicHash::Sha256),
                                         QByteArray::fromBase64(m_secret), QCryptographicHash::Sha512)
            .toBase64();
    if (request.value("API-Sign") != expected) {
        ++m_signatureFailures;
        return error("EAPI:Invalid signature");
    }
    if (nonce.toULongLong() <= m_lastNonce)
        return error("EAPI:Invalid nonce");
    m_lastNonce = nonce.toULongLong();
    const QString token = QString::fromLatin1(
        QCryptographicHash::hash(QByteArray::number(static_cast<qulonglong>(m_rng())), QCryptographicHash::Sha256)
            .toBase64());
    m_tokens.insert(token);
    ++m_tokensIssued;
    return QHttpServerResponse("application/json",
                               "{\"error\":[],\"result\":{\"token\":\"" + token.toUtf8() + "\",\"expires\":900}}");
}

// ---- the authenticated socket ----

void FakeKrakenExchange::onAuthConnection() {
    while (QWebSocket* socket = m_auth->nextPendingConnection()) {
        acceptOrRefuse(socket);
        m_authClients[socket] = AuthClient{};
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, socket](const QString& text) { onAuthMessage(socket, text); });
        connect(socket, &QWebSocket::disconnected, this, [this, socket] {
            m_authClients.erase(socket);
            socket->deleteLater();
        });
        send(socket, statusFrame());
    }
}

bool FakeKrakenExchange::tokenValid(QWebSocket* socket, const QJsonObject& params) {
    const QString token = params.value("token").toString();
    if (m_tokens.count(token))
        return true;
    // A session that subscribed with a token while it was valid keeps it (Kraken: the token does not
    // expire while the connection is maintained).
    auto it = m_authClients.find(socket);
    if (it != m_authClients.end() && it->second.authorised && m_expiredTokens.count(token))
        return true;
    ++m_tokenRefusals;
    return false;
}

void FakeKrakenExchange::onAuthMessage(QWebSocket* socket, const QString& text) {
    const QJsonObject request = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString method = request.value("method").toString();
    const QJsonObject params = request.value("params").toObject();
    auto it = m_authClients.find(socket);
    if (it == m_authClients.end())
        return;
    if (method == "ping") {
        pong(socket, request);
        return;
    }
    if (!tokenValid(socket, params)) {
        answer(socket, request, false, "EAPI:Invalid token");
        return;
    }
    if (method == "subscribe") {
        const QString channel = params.value("channel").toString();
        it->second.authorised = true;
        if (channel == "executions") {
            it->second.executions = true;
            answer(socket, request, true, "{\"channel\":\"executions\",\"snapshot\":true}");
            QByteArray entries;
            const bool trades = params.value("snap_trades").toBool(false);
            for (const Order& o : m_orders) {
                if (trades && o.filled > 0)
                    entries += (entries.isEmpty() ? "" : ",") + executionJson(o, "trade", o.filled, o.price);
                if (o.open)
                    entries += (entries.isEmpty() ? "" : ",") + executionJson(o, "new", 0, 0);
            }
            send(socket,
                 "{\"channel\":\"executions\",\"type\":\"snapshot\",\"data\":[" + entries + "],\"sequence\":1}");
        } else if (channel == "balances") {
            it->second.balances = true;
            answer(socket, request, true, "{\"channel\":\"balances\",\"snapshot\":true}");
            sendBalances(socket);
        } else {
            answer(socket, request, false, "EGeneral:Invalid arguments:channel");
        }
    } else if (method == "add_order") {
        addOrder(socket, request, text);
    } else if (method == "cancel_order") {
        cancelOrder(socket, request);
    } else if (method == "cancel_all") {
        cancelAll(socket, request);
    } else if (method == "cancel_all_orders_after") {
        cancelAllAfter(socket, request);
    } else {
        qWarning("fake Kraken: unreadable request: %s", qPrintable(text.left(300)));
        answer(socket, request, false, "EGeneral:Invalid arguments:method");
    }
}

void FakeKrakenExchange::addOrder(QWebSocket* socket, const QJsonObject& request, const QString& text) {
    const QJsonObject p = request.value("params").toObject();
    if (std::exchange(m_swallowNext, false))
        return;
    decayRate();
    m_rate += 1; // the fixed count applies even to a refused transaction (the rate-limit page)
    if (std::exchange(m_rateRefuseNext, false) || m_rate > m_rateThreshold) {
        ++m_rateRefusals;
        answer(socket, request, false, "EOrder:Rate limit exceeded");
        return;
    }
    if (m_system == "maintenance") {
        answer(socket, request, false, "EService:Unavailable");
        return;
    }
    if (m_system == "cancel_only") {
        answer(socket, request, false, "EOrder:Cancel only mode");
        return;
    }
    if (p.value("symbol").toString() != m_symbol) {
        answer(socket, request, false, "EQuery:Unknown asset pair");
        return;
    }
    if (p.value("order_type").toString() != "limit") {
        answer(socket, request, false, "EGeneral:Invalid arguments:order_type");
        return;
    }
    const QString side = p.value("side").toString();
    const auto price = rawNumber(text, "limit_price");
    const auto qty = rawNumber(text, "order_qty");
    const auto priceUnits = price ? unitsOf(*price, m_pricePrecision) : std::nullopt;
    const auto qtyUnits = qty ? unitsOf(*qty, m_qtyPrecision) : std::nullopt;
    if ((side != "buy" && side != "sell") || !priceUnits || *priceUnits <= 0) {
        answer(socket, request, false, "EGeneral:Invalid arguments:limit_price");
        return;
    }
    if (!qtyUnits || *qtyUnits < 10000) { // qty_min 0.0001
        answer(socket, request, false, "EOrder:Order minimum not met");
        return;
    }
    const QString clOrdId = p.value("cl_ord_id").toString();
    if (clOrdId.size() > 18 && clOrdId.size() != 32 && clOrdId.size() != 36) {
        answer(socket, request, false, "EGeneral:Invalid arguments:cl_ord_id");
        return;
    }
    for (const Order& o : m_orders)
        if (o.open && !clOrdId.isEmpty() && o.clOrdId == clOrdId) {
            ++m_duplicatePlacements;
            answer(socket, request, false, "EOrder:Duplicate cl_ord_id");
            return;
        }
    if (m_system == "post_only") {
        const bool crosses = side == "buy" ? (!m_asks.empty() && *priceUnits >= m_asks.begin()->first)
                                           : (!m_bids.empty() && *priceUnits <= m_bids.begin()->first);
        if (crosses) {
            answer(socket, request, false, "EOrder:Post only order");
            return;
        }
    }
    Order o;
    o.orderId = QString("O%1-FAKE-%2").arg(m_nextOrderId++, 5, 10, QChar('0')).arg(m_rng() % 100000);
    o.clOrdId = clOrdId;
    o.buy = side == "buy";
    o.price = *priceUnits;
    o.quantity = *qtyUnits;
    o.createdMs = QDateTime::currentMSecsSinceEpoch();
    m_orders.push_back(o);
    ++m_placementsAccepted;
    const QByteArray result = "{\"order_id\":\"" + o.orderId.toUtf8() + "\"" +
                              (clOrdId.isEmpty() ? QByteArray() : ",\"cl_ord_id\":\"" + clOrdId.toUtf8() + "\"") + "}";
    const int delay = std::exchange(m_delayNextAnswerMs, 0);
    if (delay == 0)
        answer(socket, request, true, result);
    else if (delay > 0)
        QTimer::singleShot(delay, socket, [this, socket, request, result] {
            if (m_authClients.count(socket))
                answer(socket, request, true, result);
        });
    report(m_orders.back(), "pending_new");
    report(m_orders.back(), "new");
    takeLiquidity(m_orders.back());
}

void FakeKrakenExchange::cancel(Order& order, const char* reason) {
    // Cancelling a young order costs more (the rate-limit page's table).
    const qint64 age = QDateTime::currentMSecsSinceEpoch() - order.createdMs;
    decayRate();
    m_rate += age < 5000     ? 8
              : age < 10000  ? 6
              : age < 15000  ? 5
              : age < 45000  ? 4
              : age < 90000  ? 2
              : age < 300000 ? 1
                             : 0;
    order.open = false;
    QByteArray entry = executionJson(order, "canceled", 0, 0);
    entry.chop(1);
    sendExecutions("{\"channel\":\"executions\",\"type\":\"update\",\"data\":[" + entry + ",\"reason\":\"" + reason +
                   "\"}]}");
}

void FakeKrakenExchange::cancelOrder(QWebSocket* socket, const QJsonObject& request) {
    const QJsonObject p = request.value("params").toObject();
    QStringList ids;
    for (const auto& v : p.value("order_id").toArray())
        ids << v.toString();
    QStringList clIds;
    for (const auto& v : p.value("cl_ord_id").toArray())
        clIds << v.toString();
    for (const QString& id : ids + clIds) {
        const bool byClient = clIds.contains(id) && !ids.contains(id);
        Order* found = nullptr;
        for (Order& o : m_orders)
            if (o.open && (byClient ? o.clOrdId == id : o.orderId == id))
                found = &o;
        if (!found) {
            answer(socket, request, false, "EOrder:Unknown order");
            continue;
        }
        const QByteArray result =
            "{\"order_id\":\"" + found->orderId.toUtf8() + "\"" +
            (found->clOrdId.isEmpty() ? QByteArray() : ",\"cl_ord_id\":\"" + found->clOrdId.toUtf8() + "\"") + "}";
        answer(socket, request, true, result);
        cancel(*found, "User requested");
    }
}

void FakeKrakenExchange::cancelAll(QWebSocket* socket, const QJsonObject& request) {
    int count = 0;
    for (Order& o : m_orders)
        if (o.open) {
            cancel(o, "User requested");
            ++count;
        }
    answer(socket, request, true, "{\"count\":" + QByteArray::number(count) + "}");
}

// https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/cancel_after: a countdown that
// cancels every order when it runs out; a timeout of 0 disables it.
void FakeKrakenExchange::cancelAllAfter(QWebSocket* socket, const QJsonObject& request) {
    const int timeout = request.value("params").toObject().value("timeout").toInt(-1);
    if (timeout < 0 || timeout > 86400) {
        answer(socket, request, false, "EGeneral:Invalid arguments:timeout");
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (timeout == 0) {
        if (m_deadMan->isActive())
            ++m_deadManDisarms;
        m_deadMan->stop();
        answer(socket, request, true,
               "{\"currentTime\":\"" + nowText(now) + "\",\"triggerTime\":\"1970-01-01T00:00:00Z\"}");
        return;
    }
    ++m_deadManArms;
    m_deadManTriggerMs = now + timeout * 1000LL;
    m_deadMan->start(timeout * 1000);
    answer(socket, request, true,
           "{\"currentTime\":\"" + nowText(now) + "\",\"triggerTime\":\"" + nowText(m_deadManTriggerMs) + "\"}");
}

void FakeKrakenExchange::triggerDeadMan() {
    ++m_deadManTriggers;
    for (Order& o : m_orders)
        if (o.open)
            cancel(o, "Cancel all orders after timeout");
}

// ---- matching ----

void FakeKrakenExchange::fill(Order& order, std::int64_t price, std::int64_t quantity) {
    order.filled += quantity;
    // Cost in 1e-8 units of the quote: price (pp decimals) * qty (qp decimals) -> 8 decimals.
    __int128 cost = static_cast<__int128>(price) * quantity;
    for (int s = m_pricePrecision + m_qtyPrecision; s > 8; --s)
        cost /= 10;
    const std::int64_t base = quantity * (m_qtyPrecision <= 8 ? 1 : 1); // qty precision 8 = balance precision
    m_balances[m_base] += order.buy ? base : -base;
    m_balances[m_quote] += order.buy ? -static_cast<std::int64_t>(cost) : static_cast<std::int64_t>(cost);
    // The fee, in the quote at 8 decimals, rounded up (the venue never undercharges).
    const std::int64_t fee = static_cast<std::int64_t>((cost * m_feeBps + 9999) / 10000);
    m_balances[m_quote] -= fee;
    report(order, "trade", quantity, price, fee);
    if (order.filled >= order.quantity) {
        order.open = false;
        report(order, "filled");
    }
    sendBalances();
}

void FakeKrakenExchange::takeLiquidity(Order& order) {
    bool touched = false;
    if (order.buy) {
        while (order.open && !m_asks.empty() && m_asks.begin()->first <= order.price) {
            auto level = m_asks.begin();
            const std::int64_t q = std::min(level->second, order.quantity - order.filled);
            fill(order, level->first, q);
            level->second -= q;
            if (level->second == 0)
                m_asks.erase(level);
            touched = true;
        }
    } else {
        while (order.open && !m_bids.empty() && m_bids.begin()->first >= order.price) {
            auto level = m_bids.begin();
            const std::int64_t q = std::min(level->second, order.quantity - order.filled);
            fill(order, level->first, q);
            level->second -= q;
            if (level->second == 0)
                m_bids.erase(level);
            touched = true;
        }
    }
    if (touched)
        publishBook();
}

void FakeKrakenExchange::matchRestingOrders() {
    for (Order& o : m_orders) {
        if (!o.open)
            continue;
        const bool crossed = o.buy ? (!m_asks.empty() && m_asks.begin()->first <= o.price)
                                   : (!m_bids.empty() && m_bids.begin()->first >= o.price);
        if (crossed)
            fill(o, o.price, o.quantity - o.filled);
    }
}

void FakeKrakenExchange::fillRestingOrders(std::optional<QString> quantity) {
    for (Order& o : m_orders) {
        if (!o.open)
            continue;
        std::int64_t q = o.quantity - o.filled;
        if (quantity)
            q = std::min(q, unitsOf(*quantity, m_qtyPrecision).value_or(0));
        if (q > 0)
            fill(o, o.price, q);
    }
}

// ---- reports ----

QByteArray FakeKrakenExchange::executionJson(const Order& o, const char* execType, std::int64_t lastQty,
                                             std::int64_t lastPrice, std::int64_t fee) const {
    const QByteArray status = !o.open && o.filled >= o.quantity       ? "filled"
                              : !o.open                               ? "canceled"
                              : o.filled > 0                          ? "partially_filled"
                              : QByteArray(execType) == "pending_new" ? "pending_new"
                                                                      : "new";
    QByteArray out = "{\"order_id\":\"" + o.orderId.toUtf8() + "\",\"symbol\":\"" + m_symbol.toUtf8() +
                     "\",\"exec_type\":\"" + execType + "\",\"order_status\":\"" + status + "\",\"side\":\"" +
                     (o.buy ? "buy" : "sell") +
                     "\",\"order_type\":\"limit\",\"order_qty\":" + qtyText(o.quantity).toUtf8() +
                     ",\"limit_price\":" + priceText(o.price).toUtf8() + ",\"cum_qty\":" + qtyText(o.filled).toUtf8() +
                     ",\"time_in_force\":\"GTC\"";
    if (!o.clOrdId.isEmpty())
        out += ",\"cl_ord_id\":\"" + o.clOrdId.toUtf8() + "\"";
    if (lastQty > 0)
        out += ",\"exec_id\":\"T" + QByteArray::number(static_cast<qulonglong>(o.filled)) + "-" + o.orderId.toUtf8() +
               "\",\"last_qty\":" + qtyText(lastQty).toUtf8() + ",\"last_price\":" + priceText(lastPrice).toUtf8() +
               ",\"liquidity_ind\":\"m\"";
    if (fee > 0) // the quote is USD-like in these tests: its USD equivalent is the fee itself
        out += ",\"fee_usd_equiv\":" + numberText(fee, 8).toUtf8() + ",\"fees\":[{\"asset\":\"" + m_quote.toUtf8() +
               "\",\"qty\":" + numberText(fee, 8).toUtf8() + "}]";
    return out + ",\"timestamp\":\"" + nowText() + "\"}";
}

void FakeKrakenExchange::report(const Order& order, const char* execType, std::int64_t lastQty, std::int64_t lastPrice,
                                std::int64_t fee) {
    sendExecutions("{\"channel\":\"executions\",\"type\":\"update\",\"data\":[" +
                   executionJson(order, execType, lastQty, lastPrice, fee) + "]}");
}

void FakeKrakenExchange::sendExecutions(const QByteArray& frame) {
    for (auto& [socket, client] : m_authClients)
        if (client.executions)
            send(socket, frame);
}

void FakeKrakenExchange::sendBalances(QWebSocket* only) {
    QByteArray entries;
    for (const auto& [asset, units] : m_balances)
        entries += (entries.isEmpty() ? "" : ",") + QByteArray("{\"asset\":\"") + asset.toUtf8() +
                   "\",\"asset_class\":\"currency\",\"balance\":" + fixed(units, 8).toUtf8() + "}";
    const QByteArray frame = "{\"channel\":\"balances\",\"type\":\"" + QByteArray(only ? "snapshot" : "update") +
                             "\",\"data\":[" + entries + "]}";
    for (auto& [socket, client] : m_authClients)
        if ((only && socket == only) || (!only && client.balances))
            send(socket, frame);
}

} // namespace md::test
