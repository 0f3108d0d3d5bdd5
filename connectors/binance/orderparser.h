#pragma once

#include "binance/binanceparser.h"
#include "binance/ordermessages.h"

#include <QByteArray>

#include <variant>
#include <vector>

namespace md::binance {

/// Turns the order side of Binance into messages: REST answers of the signed endpoints, the user data
/// stream's events (bare, or wrapped as {"event": {...}} by the newer WebSocket API), exchange info.
/// These arrive a few times a second at most, so QJsonDocument is used: simdjson is kept for the
/// market-data hot path (docs/BENCHMARKS.md).
/// Thread: any; stateless apart from the instrument's scales.
/// Errors: a malformed or unexpected body gives a ParseError naming the field.
class OrderParser {
public:
    OrderParser(int priceScale, int quantityScale)
        : m_priceScale(priceScale)
        , m_quantityScale(quantityScale) {}

    std::variant<UserDataEvent, ParseError> parseUserData(const QByteArray& frame) const;
    /// POST / DELETE / GET /api/v3/order.
    std::variant<OrderReport, ParseError> parseOrder(const QByteArray& body) const;
    /// GET /api/v3/openOrders.
    std::variant<std::vector<OrderReport>, ParseError> parseOrderList(const QByteArray& body) const;
    /// GET /api/v3/account.
    std::variant<AccountPosition, ParseError> parseAccount(const QByteArray& body) const;
    /// GET /api/v3/exchangeInfo?symbol=...
    std::variant<SymbolRules, ParseError> parseExchangeInfo(const QByteArray& body, const std::string& symbol) const;

    /// {"code": .., "msg": ..}; nullopt when the body is not one.
    static std::optional<ApiError> parseApiError(const QByteArray& body);
    static std::optional<std::int64_t> parseServerTime(const QByteArray& body);
    static std::optional<std::string> parseListenKey(const QByteArray& body);

private:
    int m_priceScale;
    int m_quantityScale;
};

} // namespace md::binance
