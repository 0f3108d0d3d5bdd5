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

// Order prices and quantities are read at the exchange's own precision (Binance prints 8
// decimals): what we send is governed by the instrument's tick and step, what we are told is not —
// an order placed before a precision change, or by hand, may be finer than today's tick.
template <class T> T fixed(const QJsonObject& o, const char* key, int minScale) {
    const std::string s = text(o, key);
    auto value = T::parse(s);
    if (!value)
        throw Failure{std::string(key) + ": \"" + s + "\" is not a decimal"};
    // At the instrument's scale whenever that is exact, finer only when it has to be.
    if (auto exact = value->rescaled(minScale))
        return *exact;
    if (value->scale() < minScale)
        throw Failure{std::string(key) + ": \"" + s + "\" is out of range"};
    return *value;
}

Decimal decimal(const QJsonObject& o, const char* key) {
    const std::string s = text(o, key);
    auto value = Decimal::parse(s);
    if (!value)
        throw Failure{std::string(key) + ": \"" + s + "\" is not a decimal"};
    return *value;
}

Decimal optionalDecimal(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).isString() ? decimal(o, key) : Decimal();
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
    r.symbol = optionalText(o, "symbol");
    // A cancel's answer names the cancel request "clientOrderId" and the order "origClientOrderId".
    r.clientOrderId = o.contains("origClientOrderId") ? text(o, "origClientOrderId") : text(o, "clientOrderId");
    r.orderId = static_cast<std::uint64_t>(integer(o, "orderId"));
    r.side = side(text(o, "side"));
    r.status = text(o, "status");
    r.price = fixed<Price>(o, "price", ps);
    r.quantity = fixed<Quantity>(o, "origQty", qs);
    r.executed = fixed<Quantity>(o, "executedQty", qs);
    r.executedQuote = Notional(decimal(o, "cummulativeQuoteQty"));
    r.expiryReason = optionalText(o, "expiryReason");
    if (o.contains("transactTime"))
        r.eventTimeMs = integer(o, "transactTime");
    else if (o.contains("updateTime"))
        r.eventTimeMs = integer(o, "updateTime");
    return r;
}

OrderReport executionReport(const QJsonObject& o, int ps, int qs) {
    OrderReport r;
    r.symbol = optionalText(o, "s");
    r.executionType = text(o, "x");
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
    // "n": commission of this execution, "N": its asset (null when there is none).
    r.commission = optionalDecimal(o, "n");
    r.commissionAsset = optionalText(o, "N");
    r.rejectReason = optionalText(o, "r");
    if (r.rejectReason == "NONE")
        r.rejectReason.clear();
    r.expiryReason = optionalText(o, "eR");
    r.eventTimeMs = o.contains("T") ? integer(o, "T") : integer(o, "E");
    return r;
}

template <class F> auto guarded(F&& f) -> std::variant<decltype(f()), ParseError> {
    try {
        return f();
    } catch (const Failure& failure) {
        return ParseError{failure.message};
    }
}

QByteArray raw(const QJsonValue& v) {
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    return {};
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
        if (type == "eventStreamTerminated")
            return StreamTerminated{};
        if (type == "serverShutdown")
            return ServerShutdown{};
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
            rules.rateLimits.push_back({text(l, "rateLimitType"), text(l, "interval"),
                                        static_cast<int>(integer(l, "intervalNum")), integer(l, "limit")});
        }
        for (const QJsonValue& entry : o.value("symbols").toArray()) {
            const QJsonObject s = entry.toObject();
            if (s.value("symbol").toString().toStdString() != symbol)
                continue;
            rules.symbol = symbol;
            rules.status = text(s, "status");
            rules.baseAsset = text(s, "baseAsset");
            rules.quoteAsset = text(s, "quoteAsset");
            rules.baseAssetPrecision = s.value("baseAssetPrecision").toInt(8);
            rules.quotePrecision = s.value("quotePrecision").toInt(8);
            SymbolFilters& f = rules.filters;
            for (const QJsonValue& value : s.value("filters").toArray()) {
                const QJsonObject filter = value.toObject();
                const QString type = filter.value("filterType").toString();
                if (type == "PRICE_FILTER") {
                    f.minPrice = optionalDecimal(filter, "minPrice");
                    f.maxPrice = optionalDecimal(filter, "maxPrice");
                    f.tickSize = decimal(filter, "tickSize");
                } else if (type == "LOT_SIZE") {
                    f.minQty = optionalDecimal(filter, "minQty");
                    f.maxQty = optionalDecimal(filter, "maxQty");
                    f.stepSize = decimal(filter, "stepSize");
                } else if (type == "NOTIONAL") {
                    f.minNotional = optionalDecimal(filter, "minNotional");
                    f.maxNotional = optionalDecimal(filter, "maxNotional");
                } else if (type == "MIN_NOTIONAL") {
                    f.minNotional = decimal(filter, "minNotional");
                } else if (type == "PERCENT_PRICE_BY_SIDE") {
                    f.hasPercentPriceBySide = true;
                    f.bidMultiplierUp = decimal(filter, "bidMultiplierUp");
                    f.bidMultiplierDown = decimal(filter, "bidMultiplierDown");
                    f.askMultiplierUp = decimal(filter, "askMultiplierUp");
                    f.askMultiplierDown = decimal(filter, "askMultiplierDown");
                } else if (type == "PERCENT_PRICE") {
                    f.hasPercentPrice = true;
                    f.multiplierUp = decimal(filter, "multiplierUp");
                    f.multiplierDown = decimal(filter, "multiplierDown");
                } else if (type == "MAX_NUM_ORDERS") {
                    f.maxNumOrders = static_cast<int>(integer(filter, "maxNumOrders"));
                }
            }
            if (!f.tickSize.isPositive() || !f.stepSize.isPositive())
                throw Failure{"symbols[" + symbol + "].filters: PRICE_FILTER.tickSize and LOT_SIZE.stepSize expected"};
            return rules;
        }
        throw Failure{"symbols: " + symbol + " not listed"};
    });
}

std::variant<WsApiMessage, ParseError> OrderParser::parseWsApi(const QByteArray& frame) {
    return guarded([&] {
        const QJsonObject o = object(frame);
        WsApiMessage m;
        if (o.value("event").isObject()) {
            m.isEvent = true;
            m.event = raw(o.value("event"));
            if (o.value("subscriptionId").isDouble())
                m.subscriptionId = o.value("subscriptionId").toInt();
            return m;
        }
        const QJsonValue id = o.value("id");
        if (id.isString())
            m.id = id.toString().toStdString();
        else if (id.isDouble())
            m.id = std::to_string(id.toInteger());
        m.status = static_cast<int>(integer(o, "status"));
        m.result = raw(o.value("result"));
        if (o.value("error").isObject()) {
            const QJsonObject e = o.value("error").toObject();
            m.error = ApiError{e.value("code").toInt(), e.value("msg").toString().toStdString()};
            m.retryAfterMs = e.value("data").toObject().value("retryAfter").toInteger();
        }
        for (const QJsonValue& v : o.value("rateLimits").toArray()) {
            const QJsonObject l = v.toObject();
            m.rateLimits.push_back({l.value("rateLimitType").toString().toStdString(),
                                    l.value("interval").toString().toStdString(), l.value("intervalNum").toInt(1),
                                    l.value("limit").toInteger(), l.value("count").toInteger()});
        }
        return m;
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

std::optional<Decimal> OrderParser::parseAvgPrice(const QByteArray& body) {
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (!o.value("price").isString())
        return std::nullopt;
    return Decimal::parse(o.value("price").toString().toStdString());
}

venue::OrderUpdate OrderParser::toUpdate(const OrderReport& r) {
    venue::OrderUpdate u;
    u.clientOrderId = r.clientOrderId;
    u.exchangeOrderId = std::to_string(r.orderId);
    u.side = r.side;
    if (r.status == "PARTIALLY_FILLED")
        u.state = venue::OrderState::PartiallyFilled;
    else if (r.status == "FILLED")
        u.state = venue::OrderState::Filled;
    else if (r.status == "CANCELED")
        u.state = venue::OrderState::Cancelled;
    else if (r.status == "REJECTED")
        u.state = venue::OrderState::Rejected;
    else if (r.status == "EXPIRED" || r.status == "EXPIRED_IN_MATCH")
        u.state = venue::OrderState::Expired;
    else
        u.state = venue::OrderState::New; // NEW, PENDING_NEW, PENDING_CANCEL: still working
    u.price = r.price;
    u.quantity = r.quantity;
    u.executed = r.executed;
    u.executedQuote = r.executedQuote;
    u.lastPrice = r.lastPrice;
    u.lastQuantity = r.lastQuantity;
    // executionReport `n` / `N`: the commission of this (last) execution and its asset; the tracker
    // passes it to the fill only when the fill is that execution alone
    // (https://github.com/binance/binance-spot-api-docs/blob/master/user-data-stream.md#order-update).
    u.lastFee = r.commission;
    u.lastFeeAsset = r.commissionAsset;
    if (u.state == venue::OrderState::Rejected || u.state == venue::OrderState::Expired) {
        const std::string why = !r.rejectReason.empty() ? r.rejectReason : r.expiryReason;
        u.reason = "Binance " + r.status + (why.empty() ? "" : ": " + why);
    }
    u.eventTimeMs = r.eventTimeMs;
    return u;
}

} // namespace md::binance
