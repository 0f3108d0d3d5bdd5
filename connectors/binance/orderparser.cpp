#include "binance/orderparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace md::binance {

namespace {

struct Failure {
    std::string message;
};

QJsonObject object(const QByteArray& body) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        throw Failure{"not JSON: " + error.errorString().toStdString()};
    if (!doc.isObject())
        throw Failure{"expected a JSON object"};
    return doc.object();
}

std::string text(const QJsonObject& o, const char* key) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isString())
        throw Failure{std::string(key) + ": expected a string"};
    return v.toString().toStdString();
}

std::string optionalText(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString().toStdString();
}

std::int64_t integer(const QJsonObject& o, const char* key) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble())
        throw Failure{std::string(key) + ": expected a number"};
    return v.toInteger();
}

template <class T> T fixed(const QJsonObject& o, const char* key, int scale) {
    const std::string s = text(o, key);
    auto value = T::parse(s, scale);
    if (!value)
        throw Failure{std::string(key) + ": \"" + s + "\" is not a decimal at scale " + std::to_string(scale)};
    return *value;
}

Decimal decimal(const QJsonObject& o, const char* key) {
    const std::string s = text(o, key);
    auto value = Decimal::parse(s);
    if (!value)
        throw Failure{std::string(key) + ": \"" + s + "\" is not a decimal"};
    return *value;
}

Side side(const std::string& s) {
    if (s == "BUY")
        return Side::Bid;
    if (s == "SELL")
        return Side::Ask;
    throw Failure{"side: expected BUY or SELL, got \"" + s + "\""};
}

// Quantities of balances come at 8 decimals whatever the instrument's step.
Quantity balanceQuantity(const QJsonObject& o, const char* key) {
    return Quantity(decimal(o, key));
}

OrderReport restOrder(const QJsonObject& o, int ps, int qs) {
    OrderReport r;
    // A cancel's answer names the cancel request "clientOrderId" and the order "origClientOrderId".
    r.clientOrderId = o.contains("origClientOrderId") ? text(o, "origClientOrderId") : text(o, "clientOrderId");
    r.orderId = static_cast<std::uint64_t>(integer(o, "orderId"));
    r.side = side(text(o, "side"));
    r.status = text(o, "status");
    r.price = fixed<Price>(o, "price", ps);
    r.quantity = fixed<Quantity>(o, "origQty", qs);
    r.executed = fixed<Quantity>(o, "executedQty", qs);
    r.executedQuote = Notional(decimal(o, "cummulativeQuoteQty"));
    if (o.contains("transactTime"))
        r.eventTimeMs = integer(o, "transactTime");
    else if (o.contains("updateTime"))
        r.eventTimeMs = integer(o, "updateTime");
    return r;
}

OrderReport executionReport(const QJsonObject& o, int ps, int qs) {
    OrderReport r;
    const std::string execType = text(o, "x");
    const std::string original = optionalText(o, "C");
    // On a cancel, "c" is the cancel request's id and "C" the order's own.
    r.clientOrderId = !original.empty() ? original : text(o, "c");
    r.orderId = static_cast<std::uint64_t>(integer(o, "i"));
    r.side = side(text(o, "S"));
    r.status = text(o, "X");
    r.price = fixed<Price>(o, "p", ps);
    r.quantity = fixed<Quantity>(o, "q", qs);
    r.executed = fixed<Quantity>(o, "z", qs);
    r.executedQuote = Notional(decimal(o, "Z"));
    r.lastQuantity = fixed<Quantity>(o, "l", qs);
    r.lastPrice = fixed<Price>(o, "L", ps);
    // "n": the commission of this execution, "N": its asset, null when there is none
    // (https://github.com/binance/binance-spot-api-docs/blob/master/user-data-stream.md#order-update).
    r.commissionAsset = optionalText(o, "N");
    if (!r.commissionAsset.empty())
        r.commission = decimal(o, "n");
    r.rejectReason = optionalText(o, "r");
    if (r.rejectReason == "NONE")
        r.rejectReason.clear();
    r.eventTimeMs = o.contains("T") ? integer(o, "T") : integer(o, "E");
    (void)execType;
    return r;
}

template <class F> auto guarded(F&& f) -> std::variant<decltype(f()), ParseError> {
    try {
        return f();
    } catch (const Failure& failure) {
        return ParseError{failure.message};
    }
}

} // namespace

std::variant<UserDataEvent, ParseError> OrderParser::parseUserData(const QByteArray& frame) const {
    return guarded([&]() -> UserDataEvent {
        QJsonObject o = object(frame);
        // The WebSocket API wraps events as {"subscriptionId": n, "event": {...}}; a combined stream
        // as {"stream": ..., "data": {...}}.
        if (o.value("event").isObject())
            o = o.value("event").toObject();
        else if (o.value("data").isObject())
            o = o.value("data").toObject();
        const std::string type = text(o, "e");
        if (type == "executionReport")
            return executionReport(o, m_priceScale, m_quantityScale);
        if (type == "outboundAccountPosition") {
            AccountPosition position;
            const QJsonValue list = o.value("B");
            if (!list.isArray())
                throw Failure{"B: expected an array of balances"};
            for (const QJsonValue& entry : list.toArray()) {
                const QJsonObject b = entry.toObject();
                position.balances.push_back({text(b, "a"), balanceQuantity(b, "f"), balanceQuantity(b, "l")});
            }
            return position;
        }
        if (type == "balanceUpdate")
            return BalanceDelta{text(o, "a"), Quantity(decimal(o, "d"))};
        if (type == "listenKeyExpired" || type == "eventStreamTerminated")
            return ListenKeyExpired{};
        return OtherUserEvent{type};
    });
}

std::variant<OrderReport, ParseError> OrderParser::parseOrder(const QByteArray& body) const {
    return guarded([&] { return restOrder(object(body), m_priceScale, m_quantityScale); });
}

std::variant<std::vector<OrderReport>, ParseError> OrderParser::parseOrderList(const QByteArray& body) const {
    return guarded([&] {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
        if (error.error != QJsonParseError::NoError || !doc.isArray())
            throw Failure{"expected a JSON array of orders"};
        std::vector<OrderReport> out;
        for (const QJsonValue& v : doc.array()) {
            if (!v.isObject())
                throw Failure{"expected a JSON array of orders"};
            out.push_back(restOrder(v.toObject(), m_priceScale, m_quantityScale));
        }
        return out;
    });
}

std::variant<AccountPosition, ParseError> OrderParser::parseAccount(const QByteArray& body) const {
    return guarded([&] {
        const QJsonObject o = object(body);
        const QJsonValue list = o.value("balances");
        if (!list.isArray())
            throw Failure{"balances: expected an array"};
        AccountPosition position;
        for (const QJsonValue& entry : list.toArray()) {
            const QJsonObject b = entry.toObject();
            position.balances.push_back({text(b, "asset"), balanceQuantity(b, "free"), balanceQuantity(b, "locked")});
        }
        return position;
    });
}

std::variant<SymbolRules, ParseError> OrderParser::parseExchangeInfo(const QByteArray& body,
                                                                     const std::string& symbol) const {
    return guarded([&] {
        const QJsonObject o = object(body);
        SymbolRules rules;
        for (const QJsonValue& limit : o.value("rateLimits").toArray()) {
            const QJsonObject l = limit.toObject();
            if (l.value("rateLimitType").toString() == "REQUEST_WEIGHT" && l.value("interval").toString() == "MINUTE" &&
                l.value("intervalNum").toInt(1) == 1)
                rules.requestWeightPerMinute = static_cast<int>(integer(l, "limit"));
        }
        for (const QJsonValue& entry : o.value("symbols").toArray()) {
            const QJsonObject s = entry.toObject();
            if (s.value("symbol").toString().toStdString() != symbol)
                continue;
            rules.symbol = symbol;
            rules.status = text(s, "status");
            rules.baseAsset = text(s, "baseAsset");
            rules.quoteAsset = text(s, "quoteAsset");
            for (const QJsonValue& f : s.value("filters").toArray()) {
                const QJsonObject filter = f.toObject();
                const QString type = filter.value("filterType").toString();
                if (type == "PRICE_FILTER")
                    rules.tickSize = decimal(filter, "tickSize");
                else if (type == "LOT_SIZE")
                    rules.stepSize = decimal(filter, "stepSize");
                else if (type == "NOTIONAL" || type == "MIN_NOTIONAL")
                    rules.minNotional = decimal(filter, "minNotional");
            }
            if (!rules.tickSize.isPositive() || !rules.stepSize.isPositive())
                throw Failure{"symbols[" + symbol + "].filters: PRICE_FILTER.tickSize and LOT_SIZE.stepSize expected"};
            return rules;
        }
        throw Failure{"symbols: " + symbol + " not listed"};
    });
}

std::optional<ApiError> OrderParser::parseApiError(const QByteArray& body) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (!o.value("code").isDouble() || !o.value("msg").isString())
        return std::nullopt;
    return ApiError{o.value("code").toInt(), o.value("msg").toString().toStdString()};
}

std::optional<std::int64_t> OrderParser::parseServerTime(const QByteArray& body) {
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (!o.value("serverTime").isDouble())
        return std::nullopt;
    return o.value("serverTime").toInteger();
}

std::optional<std::string> OrderParser::parseListenKey(const QByteArray& body) {
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (!o.value("listenKey").isString() || o.value("listenKey").toString().isEmpty())
        return std::nullopt;
    return o.value("listenKey").toString().toStdString();
}

} // namespace md::binance
