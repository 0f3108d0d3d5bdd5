// The order side of the fake exchange: authentication as Binance does it, a matching engine for
// the account's orders, balances, and the user data stream.
#include "fakebinanceexchange.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QMessageAuthenticationCode>
#include <QUrlQuery>
#include <QUuid>
#include <QWebSocket>

namespace md::test {

namespace {
constexpr std::int64_t kUnit = 100'000'000; // 1e-8

QByteArray number(qint64 n) {
    return QByteArray::number(n);
}
} // namespace

std::optional<std::int64_t> FakeBinanceExchange::units(const QString& text) {
    // Exact decimal text to 1e-8 units; anything else (exponents, more digits, junk) is refused.
    const QStringList parts = text.split('.');
    if (parts.size() > 2 || parts[0].isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 whole = parts[0].toLongLong(&ok);
    if (!ok || whole < 0)
        return std::nullopt;
    qint64 fraction = 0;
    if (parts.size() == 2) {
        QString f = parts[1];
        if (f.size() > 8) {
            if (f.mid(8).count('0') != f.size() - 8)
                return std::nullopt;
            f = f.left(8);
        }
        f = f.leftJustified(8, '0');
        fraction = f.toLongLong(&ok);
        if (!ok)
            return std::nullopt;
    }
    return whole * kUnit + fraction;
}

QString FakeBinanceExchange::quoteText(__int128 units16) const {
    // Binance prints quote quantities with 8 decimals.
    const __int128 units8 = (units16 + kUnit / 2) / kUnit;
    return text(static_cast<std::int64_t>(units8));
}

QHttpServerResponse FakeBinanceExchange::answer(int status, const QByteArray& body) {
    // Every answer carries the weight used this minute, like Binance's.
    const qint64 minute = QDateTime::currentMSecsSinceEpoch() / 60000;
    if (minute != m_weightMinute) {
        m_weightMinute = minute;
        m_weightThisMinute = 0;
    }
    m_weightThisMinute += 2;
    QHttpServerResponse response("application/json", body, static_cast<QHttpServerResponse::StatusCode>(status));
    response.setHeader("X-MBX-USED-WEIGHT-1M", QByteArray::number(m_weightThisMinute));
    return response;
}

QHttpServerResponse FakeBinanceExchange::apiError(int status, int code, const char* message) {
    return answer(status, "{\"code\":" + number(code) + ",\"msg\":\"" + QByteArray(message) + "\"}");
}

std::optional<QHttpServerResponse> FakeBinanceExchange::refuseIfLimited() {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now >= m_limitedUntilMs)
        return std::nullopt;
    // The first answer announces the cooldown; anything after it is a client misbehaving.
    if (std::exchange(m_limitAnnounced, true))
        ++m_requestsDuringCooldown;
    const int seconds = static_cast<int>((m_limitedUntilMs - now + 999) / 1000);
    QHttpServerResponse response("application/json",
                                 m_limitStatus == 418 ? R"({"code":-1003,"msg":"Way too many requests; IP banned."})"
                                                      : R"({"code":-1003,"msg":"Too many requests."})",
                                 static_cast<QHttpServerResponse::StatusCode>(m_limitStatus));
    response.setHeader("Retry-After", QByteArray::number(seconds));
    return response;
}

void FakeBinanceExchange::setCredentials(QByteArray apiKey, QByteArray secret) {
    m_apiKey = std::move(apiKey);
    m_secret = std::move(secret);
}

void FakeBinanceExchange::setRules(QString tickSize, QString stepSize, QString minNotional) {
    m_tickSize = std::move(tickSize);
    m_stepSize = std::move(stepSize);
    m_minNotional = std::move(minNotional);
}

void FakeBinanceExchange::setBalance(const QString& asset, const QString& free) {
    balance(asset).free = units(free).value_or(0);
}

QString FakeBinanceExchange::balanceText(const QString& asset) const {
    auto it = m_balances.find(asset);
    if (it == m_balances.end())
        return "0.00000000/0.00000000";
    return text(it->second.free) + "/" + text(it->second.locked);
}

QByteArray FakeBinanceExchange::exchangeInfoBody() const {
    return QString(
               R"({"timezone":"UTC","serverTime":%1,"rateLimits":[)"
               R"({"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},)"
               R"({"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100}],)"
               R"("exchangeFilters":[],"symbols":[{"symbol":"%2","status":"TRADING","baseAsset":"%3",)"
               R"("baseAssetPrecision":8,"quoteAsset":"%4","quotePrecision":8,"orderTypes":["LIMIT","MARKET"],)"
               R"("filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000",)"
               R"("tickSize":"%5"},{"filterType":"LOT_SIZE","minQty":"%6","maxQty":"9000.00000000","stepSize":"%6"},)"
               R"({"filterType":"NOTIONAL","minNotional":"%7","applyMinToMarket":true,"maxNotional":"9000000.00000000",)"
               R"("applyMaxToMarket":false,"avgPriceMins":5}],"permissions":[],"permissionSets":[["SPOT"]]}]})")
        .arg(QDateTime::currentMSecsSinceEpoch())
        .arg(m_symbol, m_base, m_quote, m_tickSize, m_stepSize, m_minNotional)
        .toUtf8();
}

std::optional<QHttpServerResponse> FakeBinanceExchange::authenticate(const QHttpServerRequest& request,
                                                                     bool signedEndpoint,
                                                                     std::map<QString, QString>& params) {
    if (auto refused = refuseIfLimited())
        return refused;
    if (request.value("X-MBX-APIKEY") != m_apiKey)
        return apiError(401, -2015, "Invalid API-key, IP, or permissions for action.");
    // totalParams = query string + body, exactly as received (Binance's definition).
    const QByteArray query = request.url().query(QUrl::FullyEncoded).toUtf8();
    const QByteArray body = request.body();
    for (const QByteArray& part : {query, body})
        for (const auto& [key, value] : QUrlQuery(QString::fromUtf8(part)).queryItems(QUrl::FullyDecoded))
            params[key] = value;
    if (!signedEndpoint)
        return std::nullopt;
    ++m_signedRequests;
    QByteArray total = query + body;
    const int at = total.lastIndexOf("signature=");
    if (at < 0)
        return apiError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const QByteArray given = total.mid(at + 10);
    QByteArray payload = total.left(at);
    if (payload.endsWith('&'))
        payload.chop(1);
    const QByteArray expected = QMessageAuthenticationCode::hash(payload, m_secret, QCryptographicHash::Sha256).toHex();
    if (given != expected) {
        ++m_signatureFailures;
        return apiError(400, -1022, "Signature for this request is not valid.");
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 timestamp = params["timestamp"].toLongLong();
    const qint64 window = params.count("recvWindow") ? params["recvWindow"].toLongLong() : 5000;
    if (timestamp == 0 || timestamp > now + 1000 || now - timestamp > window)
        return apiError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
    return std::nullopt;
}

QByteArray FakeBinanceExchange::orderJson(const Order& o, bool full) const {
    QByteArray json = "{\"symbol\":\"" + m_symbol.toUtf8() +
                      "\",\"orderId\":" + number(static_cast<qint64>(o.orderId)) +
                      ",\"orderListId\":-1,\"clientOrderId\":\"" + o.clientOrderId.toUtf8() + "\",\"price\":\"" +
                      text(o.price).toUtf8() + "\",\"origQty\":\"" + text(o.quantity).toUtf8() +
                      "\",\"executedQty\":\"" + text(o.executed).toUtf8() + "\",\"cummulativeQuoteQty\":\"" +
                      quoteText(o.quote).toUtf8() + "\",\"status\":\"" + o.status.toUtf8() +
                      "\",\"timeInForce\":\"GTC\",\"type\":\"LIMIT\",\"side\":\"" + (o.buy ? "BUY" : "SELL") + "\"";
    if (full)
        json += ",\"stopPrice\":\"0.00000000\",\"icebergQty\":\"0.00000000\",\"time\":" + number(o.time) +
                ",\"updateTime\":" + number(o.updateTime) + ",\"isWorking\":true,\"workingTime\":" + number(o.time) +
                ",\"origQuoteOrderQty\":\"0.00000000\",\"selfTradePreventionMode\":\"EXPIRE_MAKER\"";
    else
        json += ",\"transactTime\":" + number(o.updateTime) + ",\"workingTime\":" + number(o.time) +
                ",\"selfTradePreventionMode\":\"EXPIRE_MAKER\"";
    return json + "}";
}

QHttpServerResponse FakeBinanceExchange::onOrder(const QHttpServerRequest& request) {
    std::map<QString, QString> params;
    if (auto refused = authenticate(request, true, params))
        return std::move(*refused);
    if (params["symbol"] != m_symbol)
        return apiError(400, -1121, "Invalid symbol.");
    switch (request.method()) {
    case QHttpServerRequest::Method::Post:
        return place(params);
    case QHttpServerRequest::Method::Delete:
        return cancel(params);
    case QHttpServerRequest::Method::Get:
        return queryOrder(params);
    default:
        return apiError(405, -1000, "Method not allowed.");
    }
}

QHttpServerResponse FakeBinanceExchange::place(std::map<QString, QString>& params) {
    if (std::exchange(m_fail5xxRefused, false))
        return apiError(503, -1001, "Internal error; unable to process your request. Please try again.");
    if (params["type"] != "LIMIT" || params["timeInForce"] != "GTC")
        return apiError(400, -1116, "Invalid orderType.");
    const QString side = params["side"];
    if (side != "BUY" && side != "SELL")
        return apiError(400, -1117, "Invalid side.");
    const auto price = units(params["price"]);
    const auto quantity = units(params["quantity"]);
    const auto tick = units(m_tickSize);
    const auto step = units(m_stepSize);
    if (!price || !quantity || *price <= 0 || *quantity <= 0)
        return apiError(400, -1100, "Illegal characters found in parameter 'price' or 'quantity'.");
    if (*price % *tick != 0)
        return apiError(400, -1013, "Filter failure: PRICE_FILTER");
    if (*quantity % *step != 0)
        return apiError(400, -1013, "Filter failure: LOT_SIZE");
    const __int128 notional16 = static_cast<__int128>(*price) * *quantity;
    if (notional16 < static_cast<__int128>(*units(m_minNotional)) * kUnit)
        return apiError(400, -1013, "Filter failure: NOTIONAL");
    const QString clientId =
        params["newClientOrderId"].isEmpty() ? QUuid::createUuid().toString(QUuid::Id128) : params["newClientOrderId"];
    for (const auto& [id, o] : m_orders)
        if (o.clientOrderId == clientId && (o.status == "NEW" || o.status == "PARTIALLY_FILLED")) {
            ++m_duplicatePlacements;
            return apiError(400, -2010, "Duplicate order sent.");
        }
    const bool buy = side == "BUY";
    // Funds are locked at the order's price: quote for a buy, base for a sell.
    Balance& funds = balance(buy ? m_quote : m_base);
    const std::int64_t needed = buy ? static_cast<std::int64_t>((notional16 + kUnit - 1) / kUnit) : *quantity;
    if (funds.free < needed)
        return apiError(400, -2010, "Account has insufficient balance for requested action.");
    funds.free -= needed;
    funds.locked += needed;
    Order order;
    order.orderId = m_nextOrderId++;
    order.clientOrderId = clientId;
    order.buy = buy;
    order.price = *price;
    order.quantity = *quantity;
    order.time = order.updateTime = QDateTime::currentMSecsSinceEpoch();
    Order& booked = m_orders[order.orderId] = order;
    ++m_placementsAccepted;
    emit placementAccepted(clientId);
    report(booked, "NEW");
    takeLiquidity(booked);
    reportBalances();
    if (std::exchange(m_fail5xxAccepted, false))
        return apiError(503, -1001, "Internal error; unable to process your request. Please try again.");
    return answer(200, orderJson(booked, false));
}

QHttpServerResponse FakeBinanceExchange::cancel(std::map<QString, QString>& params) {
    for (auto& [id, o] : m_orders) {
        if (o.clientOrderId != params["origClientOrderId"] && QString::number(o.orderId) != params["orderId"])
            continue;
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED")
            continue; // finished orders cannot be cancelled: keep looking, then -2011
        o.status = "CANCELED";
        o.updateTime = QDateTime::currentMSecsSinceEpoch();
        // Release what is still locked.
        const std::int64_t left = o.quantity - o.executed;
        Balance& funds = balance(o.buy ? m_quote : m_base);
        const std::int64_t release =
            o.buy ? static_cast<std::int64_t>((static_cast<__int128>(o.price) * left + kUnit - 1) / kUnit) : left;
        funds.locked -= std::min(release, funds.locked);
        funds.free += release;
        report(o, "CANCELED");
        reportBalances();
        QByteArray body = orderJson(o, false);
        // A cancel's answer names the order "origClientOrderId" and the cancel request "clientOrderId".
        body.replace("\"clientOrderId\":\"" + o.clientOrderId.toUtf8() + "\"",
                     "\"origClientOrderId\":\"" + o.clientOrderId.toUtf8() + "\",\"clientOrderId\":\"cancel" +
                         number(static_cast<qint64>(o.orderId)) + "\"");
        return answer(200, body);
    }
    return apiError(400, -2011, "Unknown order sent.");
}

QHttpServerResponse FakeBinanceExchange::queryOrder(std::map<QString, QString>& params) {
    for (const auto& [id, o] : m_orders)
        if (o.clientOrderId == params["origClientOrderId"] || QString::number(o.orderId) == params["orderId"])
            return answer(200, orderJson(o, true));
    return apiError(400, -2013, "Order does not exist.");
}

QHttpServerResponse FakeBinanceExchange::onOpenOrders(const QHttpServerRequest& request) {
    std::map<QString, QString> params;
    if (auto refused = authenticate(request, true, params))
        return std::move(*refused);
    QByteArray body = "[";
    for (const auto& [id, o] : m_orders)
        if (o.status == "NEW" || o.status == "PARTIALLY_FILLED")
            body += (body.size() > 1 ? "," : "") + orderJson(o, true);
    return answer(200, body + "]");
}

QHttpServerResponse FakeBinanceExchange::onAccount(const QHttpServerRequest& request) {
    std::map<QString, QString> params;
    if (auto refused = authenticate(request, true, params))
        return std::move(*refused);
    QByteArray balances;
    for (const auto& [asset, b] : m_balances)
        balances +=
            (balances.isEmpty() ? "" : ",") +
            QString(R"({"asset":"%1","free":"%2","locked":"%3"})").arg(asset, text(b.free), text(b.locked)).toUtf8();
    return answer(200, R"({"makerCommission":10,"takerCommission":10,"canTrade":true,"canWithdraw":true,)"
                       R"("canDeposit":true,"accountType":"SPOT","balances":[)" +
                           balances + R"(],"permissions":["SPOT"]})");
}

QHttpServerResponse FakeBinanceExchange::onUserDataStream(const QHttpServerRequest& request) {
    std::map<QString, QString> params;
    if (auto refused = authenticate(request, false, params))
        return std::move(*refused);
    switch (request.method()) {
    case QHttpServerRequest::Method::Post: {
        const QString key = QUuid::createUuid().toString(QUuid::Id128) + QUuid::createUuid().toString(QUuid::Id128);
        m_listenKeys.insert(key);
        ++m_listenKeysCreated;
        return answer(200, "{\"listenKey\":\"" + key.toUtf8() + "\"}");
    }
    case QHttpServerRequest::Method::Put:
        if (!m_listenKeys.count(params["listenKey"]))
            return apiError(400, -1125, "This listenKey does not exist.");
        ++m_keepalives;
        return answer(200, "{}");
    case QHttpServerRequest::Method::Delete:
        m_listenKeys.erase(params["listenKey"]);
        return answer(200, "{}");
    default:
        return apiError(405, -1000, "Method not allowed.");
    }
}

void FakeBinanceExchange::fill(Order& order, std::int64_t price, std::int64_t quantity) {
    order.executed += quantity;
    order.quote += static_cast<__int128>(price) * quantity;
    order.lastQty = quantity;
    order.lastPrice = price;
    order.updateTime = QDateTime::currentMSecsSinceEpoch();
    order.status = order.executed == order.quantity ? "FILLED" : "PARTIALLY_FILLED";
    // Balances: a buy pays quote (locked at its limit price, the difference is refunded) and gets base.
    const std::int64_t quote = static_cast<std::int64_t>((static_cast<__int128>(price) * quantity) / kUnit);
    const std::int64_t lockedQuote =
        static_cast<std::int64_t>((static_cast<__int128>(order.price) * quantity + kUnit - 1) / kUnit);
    if (order.buy) {
        Balance& q = balance(m_quote);
        q.locked -= std::min(lockedQuote, q.locked);
        q.free += lockedQuote - quote;
        balance(m_base).free += quantity;
    } else {
        Balance& b = balance(m_base);
        b.locked -= std::min(quantity, b.locked);
        balance(m_quote).free += quote;
    }
    report(order, "TRADE");
}

void FakeBinanceExchange::takeLiquidity(Order& order) {
    // Price-level priority against the public book; each level taken is in the next diff.
    if (order.buy) {
        while (order.executed < order.quantity && !m_asks.empty() && m_asks.begin()->first <= order.price) {
            auto level = m_asks.begin();
            const std::int64_t qty = std::min(level->second, order.quantity - order.executed);
            fill(order, level->first, qty);
            level->second -= qty;
            m_pendingAskChanges[level->first] = level->second;
            if (level->second == 0 && m_asks.size() > 10)
                m_asks.erase(level);
            else if (level->second == 0)
                m_pendingAskChanges[level->first] = level->second = kUnit / 100; // keep the side alive
        }
    } else {
        while (order.executed < order.quantity && !m_bids.empty() && m_bids.begin()->first >= order.price) {
            auto level = m_bids.begin();
            const std::int64_t qty = std::min(level->second, order.quantity - order.executed);
            fill(order, level->first, qty);
            level->second -= qty;
            m_pendingBidChanges[level->first] = level->second;
            if (level->second == 0 && m_bids.size() > 10)
                m_bids.erase(level);
            else if (level->second == 0)
                m_pendingBidChanges[level->first] = level->second = kUnit / 100;
        }
    }
}

void FakeBinanceExchange::matchRestingOrders() {
    bool changed = false;
    for (auto& [id, o] : m_orders) {
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED")
            continue;
        const std::int64_t before = o.executed;
        takeLiquidity(o);
        changed = changed || o.executed != before;
    }
    if (changed)
        reportBalances();
}

void FakeBinanceExchange::fillRestingOrders(std::optional<QString> quantity) {
    const std::int64_t each = quantity ? units(*quantity).value_or(0) : 0;
    for (auto& [id, o] : m_orders) {
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED")
            continue;
        const std::int64_t left = o.quantity - o.executed;
        fill(o, o.price, each > 0 ? std::min(each, left) : left);
    }
    reportBalances();
}

void FakeBinanceExchange::report(const Order& o, const char* execType) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool trade = QByteArray(execType) == "TRADE";
    sendUser(
        QString(R"({"e":"executionReport","E":%1,"s":"%2","c":"%3","S":"%4","o":"LIMIT","f":"GTC",)"
                R"("q":"%5","p":"%6","P":"0.00000000","F":"0.00000000","g":-1,"C":"%7","x":"%8","X":"%9",)"
                R"("r":"NONE","i":%10,"l":"%11","z":"%12","L":"%13","n":"0","N":null,"T":%14,"t":%15,)"
                R"("I":1,"w":%16,"m":%17,"M":false,"O":%18,"Z":"%19","Y":"%20","Q":"0.00000000",)"
                R"("W":%18,"V":"EXPIRE_MAKER"})")
            .arg(now)
            .arg(m_symbol)
            .arg(o.status == "CANCELED" ? "cancel" + QString::number(o.orderId) : o.clientOrderId)
            .arg(o.buy ? "BUY" : "SELL")
            .arg(text(o.quantity), text(o.price))
            .arg(o.status == "CANCELED" ? o.clientOrderId : QString())
            .arg(execType, o.status)
            .arg(o.orderId)
            .arg(text(trade ? o.lastQty : 0), text(o.executed), text(trade ? o.lastPrice : 0))
            .arg(o.updateTime)
            .arg(trade ? static_cast<qint64>(o.orderId) * 10 : -1)
            .arg(o.status == "NEW" || o.status == "PARTIALLY_FILLED" ? "true" : "false")
            .arg(trade && o.lastPrice == o.price ? "true" : "false")
            .arg(o.time)
            .arg(quoteText(o.quote))
            .arg(text(trade ? static_cast<std::int64_t>(static_cast<__int128>(o.lastPrice) * o.lastQty / kUnit) : 0))
            .toUtf8());
}

void FakeBinanceExchange::reportBalances() {
    QByteArray list;
    for (const QString& asset : {m_base, m_quote}) {
        const Balance& b = balance(asset);
        list += (list.isEmpty() ? "" : ",") +
                QString(R"({"a":"%1","f":"%2","l":"%3"})").arg(asset, text(b.free), text(b.locked)).toUtf8();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    sendUser(R"({"e":"outboundAccountPosition","E":)" + number(now) + R"(,"u":)" + number(now) + R"(,"B":[)" + list +
             "]}");
}

void FakeBinanceExchange::sendUser(const QByteArray& event) {
    const QByteArray frame = m_wrapUserEvents ? R"({"subscriptionId":0,"event":)" + event + "}" : event;
    for (QWebSocket* client : m_userClients)
        client->sendTextMessage(QString::fromUtf8(frame));
}

void FakeBinanceExchange::expireListenKeys() {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const QString& key : m_listenKeys)
        sendUser(R"({"e":"listenKeyExpired","E":)" + number(now) + R"(,"listenKey":")" + key.toUtf8() + "\"}");
    m_listenKeys.clear();
    for (QWebSocket* client : std::set<QWebSocket*>(m_userClients))
        client->close();
}

void FakeBinanceExchange::dropUserStreams() {
    for (QWebSocket* client : std::set<QWebSocket*>(m_userClients))
        client->abort();
}

std::vector<FakeBinanceExchange::OrderInfo> FakeBinanceExchange::openOrders() const {
    std::vector<OrderInfo> out;
    for (const auto& [id, o] : m_orders)
        if (o.status == "NEW" || o.status == "PARTIALLY_FILLED")
            out.push_back(
                {o.clientOrderId, o.buy ? "BUY" : "SELL", o.status, text(o.price), text(o.quantity), text(o.executed)});
    return out;
}

std::optional<FakeBinanceExchange::OrderInfo> FakeBinanceExchange::order(const QString& clientOrderId) const {
    for (const auto& [id, o] : m_orders)
        if (o.clientOrderId == clientOrderId)
            return OrderInfo{o.clientOrderId, o.buy ? "BUY" : "SELL", o.status,
                             text(o.price),   text(o.quantity),       text(o.executed)};
    return std::nullopt;
}

} // namespace md::test
