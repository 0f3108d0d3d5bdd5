#pragma once

#include "binance/binanceparser.h"
#include "binance/ordermessages.h"

#include "common/orderupdate.h"

#include <QByteArray>

#include <variant>
#include <vector>

namespace md::binance {

/// Turns the order side of Binance into messages: WebSocket API frames (answers and pushed events),
/// the answers of the signed REST endpoints, user data events (bare or wrapped), exchange info.
/// These arrive a few times a second at most, so QJsonDocument is used: simdjson is kept for the
/// market-data hot path (docs/BENCHMARKS.md).
/// Thread: any; stateless apart from the instrument's scales.
/// Errors: a malformed or unexpected body gives a ParseError naming the field.
class OrderParser {
public:
    OrderParser(int priceScale, int quantityScale)
        : m_priceScale(priceScale)
        , m_quantityScale(quantityScale) {}

    /// A user data event: bare, wrapped as {"subscriptionId": n, "event": {...}} (WebSocket API) or
    /// {"stream": ..., "data": {...}}.
    std::variant<UserDataEvent, ParseError> parseUserData(const QByteArray& frame) const;
    /// One order: order.place / order.cancel / order.status results, or POST/DELETE/GET /api/v3/order.
    std::variant<OrderReport, ParseError> parseOrder(const QByteArray& body) const;
    /// openOrders.status / GET /api/v3/openOrders.
    std::variant<std::vector<OrderReport>, ParseError> parseOrderList(const QByteArray& body) const;
    /// account.status / GET /api/v3/account.
    std::variant<AccountPosition, ParseError> parseAccount(const QByteArray& body) const;
    /// exchangeInfo for one symbol.
    std::variant<SymbolRules, ParseError> parseExchangeInfo(const QByteArray& body, const std::string& symbol) const;

    /// A WebSocket API frame.
    static std::variant<WsApiMessage, ParseError> parseWsApi(const QByteArray& frame);
    /// {"code": .., "msg": ..}; nullopt when the body is not one.
    static std::optional<ApiError> parseApiError(const QByteArray& body);
    static std::optional<std::int64_t> parseServerTime(const QByteArray& body);
    /// GET /api/v3/avgPrice: {"mins": 5, "price": "..."}.
    static std::optional<Decimal> parseAvgPrice(const QByteArray& body);

    /// A report in the venue-neutral words of the OrderTracker.
    static venue::OrderUpdate toUpdate(const OrderReport& report);

private:
    int m_priceScale;
    int m_quantityScale;
};

} // namespace md::binance
