// The fake exchange's account: a matching engine for the account's orders, balances, the placement
// faults, and the user data it pushes. Transport-neutral: REST and the WebSocket API wrap the answers.
#include "fakebinanceexchange.h"

#include <QDateTime>
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
    return FakeBook::text(static_cast<std::int64_t>(units8));
}

qint64 FakeBinanceExchange::serverNowMs() const {
    return QDateTime::currentMSecsSinceEpoch() + m_skewMs;
}

FakeBinanceExchange::Answer FakeBinanceExchange::apiError(int status, int code, const QByteArray& message) const {
    Answer a;
    a.status = status;
    a.body = "{\"code\":" + number(code) + ",\"msg\":\"" + message + "\"}";
    return a;
}

FakeBinanceExchange::Answer FakeBinanceExchange::limited(const FakeRateLimiter::Verdict& v) const {
    Answer a = apiError(v.status, v.code, v.message);
    a.retryAfterMs = v.retryAfterMs;
    return a;
}

std::optional<FakeBinanceExchange::Answer> FakeBinanceExchange::checkTimestamp(const Params& params) {
    // rest-api.md / web-socket-api.md "Timing security".
    const qint64 now = serverNowMs();
    const auto ts = params.find("timestamp");
    const qint64 timestamp = ts == params.end() ? 0 : ts->second.toLongLong();
    const auto rw = params.find("recvWindow");
    const double window = rw == params.end() ? 5000 : rw->second.toDouble();
    if (timestamp == 0 || timestamp >= now + 1000 || now - timestamp > window) {
        ++m_timestampRefusals;
        return apiError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
    }
    return std::nullopt;
}

void FakeBinanceExchange::setCredentials(QByteArray apiKey, QByteArray secret) {
    m_keys.setHmac(apiKey, secret);
}

bool FakeBinanceExchange::setEd25519Key(QByteArray apiKey, QByteArray publicKeyPem) {
    return m_keys.setEd25519(apiKey, publicKeyPem);
}

void FakeBinanceExchange::setBalance(const QString& asset, const QString& free) {
    balance(asset).free = units(free).value_or(0);
}

QString FakeBinanceExchange::balanceText(const QString& asset) const {
    auto it = m_balances.find(asset);
    if (it == m_balances.end())
        return "0.00000000/0.00000000";
    return FakeBook::text(it->second.free) + "/" + FakeBook::text(it->second.locked);
}

void FakeBinanceExchange::setRateLimits(int weightLimit, int weightIntervalSeconds, int orderLimit,
                                        int orderIntervalSeconds) {
    m_limiter.configure(weightLimit, weightIntervalSeconds, orderLimit, orderIntervalSeconds);
}

void FakeBinanceExchange::exhaustWeight() {
    m_limiter.exhaust(QDateTime::currentMSecsSinceEpoch());
}

int FakeBinanceExchange::usedWeight() {
    return m_limiter.usedWeight(QDateTime::currentMSecsSinceEpoch());
}

void FakeBinanceExchange::rateLimit(int status, int retryAfterSeconds) {
    m_decreeStatus = status;
    m_decreeUntilMs = QDateTime::currentMSecsSinceEpoch() + retryAfterSeconds * 1000LL;
    m_decreeAnnounced = false;
}

std::optional<FakeBinanceExchange::Answer> FakeBinanceExchange::decreed() {
    if (QDateTime::currentMSecsSinceEpoch() >= m_decreeUntilMs)
        return std::nullopt;
    if (std::exchange(m_decreeAnnounced, true))
        ++m_decreeViolations;
    FakeRateLimiter::Verdict v;
    v.status = m_decreeStatus;
    v.code = -1003;
    v.message = m_decreeStatus == 418 ? "Way too much request weight used; IP banned." : "Too many requests.";
    v.retryAfterMs = m_decreeUntilMs;
    return limited(v);
}

QByteArray FakeBinanceExchange::orderJson(const Order& o, bool full) const {
    QByteArray json = "{\"symbol\":\"" + o.symbol.toUtf8() +
                      "\",\"orderId\":" + number(static_cast<qint64>(o.orderId)) +
                      ",\"orderListId\":-1,\"clientOrderId\":\"" + o.clientOrderId.toUtf8() + "\",\"price\":\"" +
                      FakeBook::text(o.price).toUtf8() + "\",\"origQty\":\"" + FakeBook::text(o.quantity).toUtf8() +
                      "\",\"executedQty\":\"" + FakeBook::text(o.executed).toUtf8() + "\",\"cummulativeQuoteQty\":\"" +
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

FakeBinanceExchange::Answer FakeBinanceExchange::place(Params& params) {
    ++m_placementRequests;
    FakeBook* b = bookFor(params["symbol"]);
    if (!b)
        return apiError(400, -1121, "Invalid symbol.");
    const PlacementFault fault = std::exchange(m_placementFault, PlacementFault::None);
    if (fault == PlacementFault::RefuseWith5xx)
        return apiError(503, -1001, "Internal error; unable to process your request. Please try again.");
    if (params["type"] != "LIMIT" || params["timeInForce"] != "GTC")
        return apiError(400, -1116, "Invalid orderType.");
    const QString side = params["side"];
    if (side != "BUY" && side != "SELL")
        return apiError(400, -1117, "Invalid side.");
    const auto price = units(params["price"]);
    const auto quantity = units(params["quantity"]);
    const auto tick = units(b->tickSize);
    const auto step = units(b->stepSize);
    if (!price || !quantity || *price <= 0 || *quantity <= 0)
        return apiError(400, -1100, "Illegal characters found in parameter 'price' or 'quantity'.");
    if (*price % *tick != 0)
        return apiError(400, -1013, "Filter failure: PRICE_FILTER");
    if (*quantity % *step != 0)
        return apiError(400, -1013, "Filter failure: LOT_SIZE");
    const __int128 notional16 = static_cast<__int128>(*price) * *quantity;
    if (notional16 < static_cast<__int128>(*units(b->minNotional)) * kUnit)
        return apiError(400, -1013, "Filter failure: NOTIONAL");
    const QString clientId =
        params["newClientOrderId"].isEmpty() ? QUuid::createUuid().toString(QUuid::Id128) : params["newClientOrderId"];
    for (const auto& [id, o] : m_orders)
        if (o.clientOrderId == clientId && (o.status == "NEW" || o.status == "PARTIALLY_FILLED")) {
            ++m_duplicatePlacements;
            return apiError(400, -2010, "Duplicate order sent.");
        }
    const bool buy = side == "BUY";
    Balance& funds = balance(buy ? b->quote : b->base);
    const std::int64_t needed = buy ? static_cast<std::int64_t>((notional16 + kUnit - 1) / kUnit) : *quantity;
    if (funds.free < needed)
        return apiError(400, -2010, "Account has insufficient balance for requested action.");
    Order order;
    order.orderId = m_nextOrderId++;
    order.symbol = b->symbol();
    order.clientOrderId = clientId;
    order.buy = buy;
    order.price = *price;
    order.quantity = *quantity;
    order.time = order.updateTime = QDateTime::currentMSecsSinceEpoch();
    const Answer unknown = apiError(400, -1007,
                                    "Timeout waiting for response from backend server. Send status unknown; "
                                    "execution status unknown.");
    if (fault == PlacementFault::LandAfterTwoQueries || fault == PlacementFault::LandWhenTold) {
        // Still somewhere between the API and the matching engine: queries do not find it yet.
        m_landing = order;
        m_landingQueries = 0;
        m_landOnQueries = fault == PlacementFault::LandAfterTwoQueries;
        return unknown;
    }
    funds.free -= needed;
    funds.locked += needed;
    Order& booked = m_orders[order.orderId] = order;
    ++m_placementsAccepted;
    emit placementAccepted(clientId);
    report(booked, "NEW");
    takeLiquidity(booked);
    reportBalances(booked.symbol);
    switch (fault) {
    case PlacementFault::AcceptThenUnknown:
        return unknown;
    case PlacementFault::AcceptThen5xx:
        return apiError(503, -1001, "Internal error; unable to process your request. Please try again.");
    case PlacementFault::AcceptSilently: {
        Answer a;
        a.silent = true;
        return a;
    }
    default:
        break;
    }
    Answer a;
    a.body = orderJson(booked, false);
    a.successFree = true;
    a.orderCounted = true;
    return a;
}

FakeBinanceExchange::Answer FakeBinanceExchange::cancel(Params& params) {
    for (auto& [id, o] : m_orders) {
        if (o.symbol != params["symbol"] ||
            (o.clientOrderId != params["origClientOrderId"] && QString::number(o.orderId) != params["orderId"]))
            continue;
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED")
            continue; // finished orders cannot be cancelled: keep looking, then -2011
        o.status = "CANCELED";
        o.updateTime = QDateTime::currentMSecsSinceEpoch();
        const std::int64_t left = o.quantity - o.executed;
        FakeBook* b = bookFor(o.symbol);
        Balance& funds = balance(o.buy ? b->quote : b->base);
        const std::int64_t release =
            o.buy ? static_cast<std::int64_t>((static_cast<__int128>(o.price) * left + kUnit - 1) / kUnit) : left;
        funds.locked -= std::min(release, funds.locked);
        funds.free += release;
        report(o, "CANCELED");
        reportBalances(o.symbol);
        QByteArray body = orderJson(o, false);
        // A cancel's answer names the order "origClientOrderId" and the cancel request "clientOrderId".
        body.replace("\"clientOrderId\":\"" + o.clientOrderId.toUtf8() + "\"",
                     "\"origClientOrderId\":\"" + o.clientOrderId.toUtf8() + "\",\"clientOrderId\":\"cancel" +
                         number(static_cast<qint64>(o.orderId)) + "\"");
        Answer a;
        a.body = body;
        a.successFree = true;
        return a;
    }
    return apiError(400, -2011, "Unknown order sent.");
}

FakeBinanceExchange::Answer FakeBinanceExchange::queryOrder(Params& params) {
    ++m_statusQueries;
    if (m_landing && m_landOnQueries && m_landing->clientOrderId == params["origClientOrderId"]) {
        // The fault: the first two queries do not find it; then it lands.
        if (++m_landingQueries <= 2)
            return apiError(400, -2013, "Order does not exist.");
        book(*std::exchange(m_landing, std::nullopt));
    }
    for (const auto& [id, o] : m_orders)
        if (o.symbol == params["symbol"] &&
            (o.clientOrderId == params["origClientOrderId"] || QString::number(o.orderId) == params["orderId"])) {
            Answer a;
            a.body = orderJson(o, true);
            return a;
        }
    return apiError(400, -2013, "Order does not exist.");
}

void FakeBinanceExchange::book(Order order) {
    FakeBook* b = bookFor(order.symbol);
    Balance& funds = balance(order.buy ? b->quote : b->base);
    const std::int64_t needed =
        order.buy ? static_cast<std::int64_t>((static_cast<__int128>(order.price) * order.quantity + kUnit - 1) / kUnit)
                  : order.quantity;
    funds.free -= needed;
    funds.locked += needed;
    Order& booked = m_orders[order.orderId] = order;
    ++m_placementsAccepted;
    emit placementAccepted(booked.clientOrderId);
    report(booked, "NEW");
    reportBalances(booked.symbol);
}

void FakeBinanceExchange::landPendingOrder() {
    if (m_landing)
        book(*std::exchange(m_landing, std::nullopt));
}

FakeBinanceExchange::Answer FakeBinanceExchange::openOrdersAnswer(Params& params) {
    QByteArray body = "[";
    for (const auto& [id, o] : m_orders)
        if ((o.status == "NEW" || o.status == "PARTIALLY_FILLED") &&
            (params["symbol"].isEmpty() || o.symbol == params["symbol"]))
            body += (body.size() > 1 ? "," : "") + orderJson(o, true);
    Answer a;
    a.body = body + "]";
    return a;
}

FakeBinanceExchange::Answer FakeBinanceExchange::account() {
    QByteArray balances;
    for (const auto& [asset, b] : m_balances)
        balances += (balances.isEmpty() ? "" : ",") + QString(R"({"asset":"%1","free":"%2","locked":"%3"})")
                                                          .arg(asset, FakeBook::text(b.free), FakeBook::text(b.locked))
                                                          .toUtf8();
    Answer a;
    a.body = QString(R"({"makerCommission":%1,"takerCommission":%1,"canTrade":true,"canWithdraw":true,)")
                 .arg(m_commissionBps)
                 .toUtf8() +
             R"("canDeposit":true,"accountType":"SPOT","balances":[)" + balances + R"(],"permissions":["SPOT"]})";
    return a;
}

void FakeBinanceExchange::fill(Order& order, std::int64_t price, std::int64_t quantity) {
    FakeBook* b = bookFor(order.symbol);
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
    // The commission (0.1 % unless set) in what was received (faqs/commission_faq.md), reported as `n` / `N`.
    if (order.buy) {
        Balance& q = balance(b->quote);
        q.locked -= std::min(lockedQuote, q.locked);
        q.free += lockedQuote - quote;
        order.lastCommission = quantity * m_commissionBps / 10000;
        balance(b->base).free += quantity - order.lastCommission;
    } else {
        Balance& base = balance(b->base);
        base.locked -= std::min(quantity, base.locked);
        order.lastCommission = quote * m_commissionBps / 10000;
        balance(b->quote).free += quote - order.lastCommission;
    }
    report(order, "TRADE");
}

void FakeBinanceExchange::takeLiquidity(Order& order) {
    // Price-level priority against the public book; each level taken is in the next diff.
    FakeBook& b = *bookFor(order.symbol);
    auto& takenBids = m_takenBids[order.symbol];
    auto& takenAsks = m_takenAsks[order.symbol];
    if (order.buy) {
        while (order.executed < order.quantity && !b.asks.empty() && b.asks.begin()->first <= order.price) {
            auto level = b.asks.begin();
            const std::int64_t qty = std::min(level->second, order.quantity - order.executed);
            fill(order, level->first, qty);
            level->second -= qty;
            takenAsks[level->first] = level->second;
            if (level->second == 0 && b.asks.size() > 10)
                b.asks.erase(level);
            else if (level->second == 0)
                takenAsks[level->first] = level->second = kUnit / 100; // keep the side alive
        }
    } else {
        while (order.executed < order.quantity && !b.bids.empty() && b.bids.begin()->first >= order.price) {
            auto level = b.bids.begin();
            const std::int64_t qty = std::min(level->second, order.quantity - order.executed);
            fill(order, level->first, qty);
            level->second -= qty;
            takenBids[level->first] = level->second;
            if (level->second == 0 && b.bids.size() > 10)
                b.bids.erase(level);
            else if (level->second == 0)
                takenBids[level->first] = level->second = kUnit / 100;
        }
    }
}

void FakeBinanceExchange::matchRestingOrders() {
    std::set<QString> changed;
    for (auto& [id, o] : m_orders) {
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED")
            continue;
        if (FakeBook* b = bookFor(o.symbol); !b || b->recorded())
            continue;
        const std::int64_t before = o.executed;
        takeLiquidity(o);
        if (o.executed != before)
            changed.insert(o.symbol);
    }
    for (const QString& symbol : changed)
        reportBalances(symbol);
}

void FakeBinanceExchange::fillRestingOrders(std::optional<QString> quantity) {
    const std::int64_t each = quantity ? units(*quantity).value_or(0) : 0;
    std::set<QString> changed;
    for (auto& [id, o] : m_orders) {
        if (o.status != "NEW" && o.status != "PARTIALLY_FILLED")
            continue;
        const std::int64_t left = o.quantity - o.executed;
        fill(o, o.price, each > 0 ? std::min(each, left) : left);
        changed.insert(o.symbol);
    }
    for (const QString& symbol : changed)
        reportBalances(symbol);
}

void FakeBinanceExchange::forgetOrders() {
    // A restart that lost the book of open orders: they are simply gone (queries answer -2013).
    for (auto it = m_orders.begin(); it != m_orders.end();)
        if (it->second.status == "NEW" || it->second.status == "PARTIALLY_FILLED")
            it = m_orders.erase(it);
        else
            ++it;
    dropConnections();
}

void FakeBinanceExchange::report(const Order& o, const char* execType) {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool trade = QByteArray(execType) == "TRADE";
    FakeBook* b = bookFor(o.symbol);
    const QString commissionAsset = trade ? QString("\"%1\"").arg(o.buy ? b->base : b->quote) : QString("null");
    sendUser(QString(R"({"e":"executionReport","E":%1,"s":"%2","c":"%3","S":"%4","o":"LIMIT","f":"GTC",)"
                     R"("q":"%5","p":"%6","P":"0.00000000","F":"0.00000000","g":-1,"C":"%7","x":"%8","X":"%9",)"
                     R"("r":"NONE","i":%10,"l":"%11","z":"%12","L":"%13","n":"%14","N":%15,"T":%16,"t":%17,)"
                     R"("I":1,"w":%18,"m":%19,"M":false,"O":%20,"Z":"%21","Y":"%22","Q":"0.00000000",)"
                     R"("W":%20,"V":"EXPIRE_MAKER"})")
                 .arg(now)
                 .arg(o.symbol)
                 .arg(o.status == "CANCELED" ? "cancel" + QString::number(o.orderId) : o.clientOrderId)
                 .arg(o.buy ? "BUY" : "SELL")
                 .arg(FakeBook::text(o.quantity), FakeBook::text(o.price))
                 .arg(o.status == "CANCELED" ? o.clientOrderId : QString())
                 .arg(execType, o.status)
                 .arg(o.orderId)
                 .arg(FakeBook::text(trade ? o.lastQty : 0), FakeBook::text(o.executed),
                      FakeBook::text(trade ? o.lastPrice : 0), FakeBook::text(trade ? o.lastCommission : 0))
                 .arg(commissionAsset)
                 .arg(o.updateTime)
                 .arg(trade ? static_cast<qint64>(o.orderId) * 10 : -1)
                 .arg(o.status == "NEW" || o.status == "PARTIALLY_FILLED" ? "true" : "false")
                 .arg(trade && o.lastPrice == o.price ? "true" : "false")
                 .arg(o.time)
                 .arg(quoteText(o.quote))
                 .arg(FakeBook::text(
                     trade ? static_cast<std::int64_t>(static_cast<__int128>(o.lastPrice) * o.lastQty / kUnit) : 0))
                 .toUtf8());
}

void FakeBinanceExchange::reportBalances(const QString& symbol) {
    FakeBook* b = bookFor(symbol);
    QByteArray list;
    for (const QString& asset : {b->base, b->quote}) {
        const Balance& bal = balance(asset);
        list += (list.isEmpty() ? "" : ",") + QString(R"({"a":"%1","f":"%2","l":"%3"})")
                                                  .arg(asset, FakeBook::text(bal.free), FakeBook::text(bal.locked))
                                                  .toUtf8();
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    sendUser(R"({"e":"outboundAccountPosition","E":)" + number(now) + R"(,"u":)" + number(now) + R"(,"B":[)" + list +
             "]}");
}

void FakeBinanceExchange::sendUser(const QByteArray& event) {
    // web-socket-api.md "Event format": {"subscriptionId": n, "event": {...}}.
    for (const auto& [socket, session] : m_sessions)
        for (const auto& [id, key] : session->subscriptions)
            socket->sendTextMessage(
                QString::fromUtf8(R"({"subscriptionId":)" + number(id) + R"(,"event":)" + event + "}"));
}

void FakeBinanceExchange::terminateUserStreams() {
    const QByteArray time = number(QDateTime::currentMSecsSinceEpoch());
    for (const auto& [socket, session] : m_sessions) {
        for (const auto& [id, key] : session->subscriptions)
            socket->sendTextMessage(QString::fromUtf8(R"({"subscriptionId":)" + number(id) +
                                                      R"(,"event":{"e":"eventStreamTerminated","E":)" + time + "}}"));
        session->subscriptions.clear();
    }
}

int FakeBinanceExchange::userStreamsConnected() const {
    int n = 0;
    for (const auto& [socket, session] : m_sessions)
        n += static_cast<int>(session->subscriptions.size());
    return n;
}

std::vector<FakeBinanceExchange::OrderInfo> FakeBinanceExchange::openOrders() const {
    std::vector<OrderInfo> out;
    for (const auto& [id, o] : m_orders)
        if (o.status == "NEW" || o.status == "PARTIALLY_FILLED")
            out.push_back({o.symbol, o.clientOrderId, o.buy ? "BUY" : "SELL", o.status, FakeBook::text(o.price),
                           FakeBook::text(o.quantity), FakeBook::text(o.executed)});
    return out;
}

std::optional<FakeBinanceExchange::OrderInfo> FakeBinanceExchange::order(const QString& clientOrderId) const {
    for (const auto& [id, o] : m_orders)
        if (o.clientOrderId == clientOrderId)
            return OrderInfo{o.symbol,
                             o.clientOrderId,
                             o.buy ? "BUY" : "SELL",
                             o.status,
                             FakeBook::text(o.price),
                             FakeBook::text(o.quantity),
                             FakeBook::text(o.executed)};
    return std::nullopt;
}

} // namespace md::test
