#pragma once

#include "domain/decimal.h"
#include "domain/types.h"

#include <QByteArray>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace md::binance {

/// An order as the exchange reports it: an answer to order.place / order.cancel / order.status /
/// openOrders.status (WebSocket API) or their REST twins, or an `executionReport` of the user data
/// stream (user-data-stream.md "Order Update"). Cumulative figures, so two sources telling the same
/// story can be merged without counting a fill twice.
struct OrderReport {
    std::string symbol;        // one account's stream tells of every symbol's orders
    std::string clientOrderId; // the order's own client id (for cancels: the original one)
    std::uint64_t orderId = 0;
    Side side = Side::Bid;
    std::string status;        // NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED, EXPIRED_IN_MATCH
    std::string executionType; // executionReport `x`: NEW, TRADE, CANCELED, EXPIRED, ... ("" for answers)
    Price price;
    Quantity quantity;
    Quantity executed;      // cumulative filled quantity
    Notional executedQuote; // cumulative quote quantity
    Price lastPrice;        // executionReport only: the last fill's price (0 when unknown)
    Quantity lastQuantity;  // executionReport only
    // executionReport `n` / `N`: the commission of this execution and its asset (null when none).
    // Parsed now for the fees on fills that issue #15 will carry.
    Decimal commission;
    std::string commissionAsset;
    std::string rejectReason; // `r`, empty for NONE
    std::string expiryReason; // `eR` / `expiryReason` (CHANGELOG 2026-03-09)
    std::int64_t eventTimeMs = 0;
};

/// `{"code": -2010, "msg": "..."}`.
struct ApiError {
    int code = 0;
    std::string message;
};

struct AssetBalance {
    std::string asset;
    Quantity free;
    Quantity locked;
};

/// `outboundAccountPosition` (changed balances) or the balances of account.status.
struct AccountPosition {
    std::vector<AssetBalance> balances;
};

/// `balanceUpdate`: a deposit, withdrawal or transfer changed one asset's free balance.
struct BalanceDelta {
    std::string asset;
    Quantity delta;
};

/// `eventStreamTerminated`: this subscription delivers nothing more (user-data-stream.md).
struct StreamTerminated {};

/// `serverShutdown`: the server is about to close this connection (web-socket-api.md "Server Shutdown").
struct ServerShutdown {};

/// A user-data event the connector does not use.
struct OtherUserEvent {
    std::string type;
};

using UserDataEvent =
    std::variant<OrderReport, AccountPosition, BalanceDelta, StreamTerminated, ServerShutdown, OtherUserEvent>;

/// A symbol's filters (filters.md) that concern a LIMIT order; zero means "not set / disabled".
struct SymbolFilters {
    Decimal minPrice, maxPrice, tickSize; // PRICE_FILTER
    Decimal minQty, maxQty, stepSize;     // LOT_SIZE
    Decimal minNotional, maxNotional;     // NOTIONAL (or the older MIN_NOTIONAL)
    bool hasPercentPriceBySide = false;   // PERCENT_PRICE_BY_SIDE
    Decimal bidMultiplierUp, bidMultiplierDown, askMultiplierUp, askMultiplierDown;
    bool hasPercentPrice = false; // PERCENT_PRICE
    Decimal multiplierUp, multiplierDown;
    int maxNumOrders = 0; // MAX_NUM_ORDERS
};

/// One entry of exchangeInfo's `rateLimits`.
struct RateLimitEntry {
    std::string type;
    std::string interval;
    int intervalNum = 1;
    std::int64_t limit = 0;
};

/// The parts of exchangeInfo a connector needs for one symbol.
struct SymbolRules {
    std::string symbol;
    std::string status; // TRADING, BREAK, ...
    std::string baseAsset;
    std::string quoteAsset;
    int baseAssetPrecision = 8;
    int quotePrecision = 8;
    SymbolFilters filters;
    std::vector<RateLimitEntry> rateLimits;
};

/// One entry of a WebSocket API answer's `rateLimits`: what Binance has counted so far.
struct RateLimitCount {
    std::string type;
    std::string interval;
    int intervalNum = 1;
    std::int64_t limit = 0;
    std::int64_t count = 0;
};

/// One frame of the WebSocket API (web-socket-api.md "Response format", "Event format"): an answer
/// to a request, or an event pushed on the session — `{"subscriptionId": n, "event": {...}}` for
/// user data, `{"event": {...}}` for serverShutdown.
struct WsApiMessage {
    bool isEvent = false;
    std::string id;    // the request id it answers ("" for events)
    int status = 0;    // HTTP-like status
    QByteArray result; // `result` as raw JSON
    std::optional<ApiError> error;
    std::int64_t retryAfterMs = 0; // 429/418: `error.data.retryAfter`, a timestamp in ms
    std::vector<RateLimitCount> rateLimits;
    std::optional<int> subscriptionId;
    QByteArray event; // `event` as raw JSON
};

} // namespace md::binance
