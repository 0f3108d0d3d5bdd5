#pragma once

#include "domain/decimal.h"
#include "domain/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace md::binance {

/// An order as the exchange reports it, from a REST answer (POST/DELETE/GET /api/v3/order,
/// /api/v3/openOrders) or an `executionReport`: cumulative figures, so two sources telling the same
/// story can be merged without counting a fill twice.
struct OrderReport {
    std::string clientOrderId; // the order's own client id (for cancels: the original one)
    std::uint64_t orderId = 0;
    Side side = Side::Bid;
    std::string status; // NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED, EXPIRED_IN_MATCH
    Price price;
    Quantity quantity;
    Quantity executed;      // cumulative filled quantity
    Notional executedQuote; // cumulative quote quantity
    Price lastPrice;        // executionReport only: the last fill's price (0 when unknown)
    Quantity lastQuantity;  // executionReport only
    // executionReport `n` / `N`: the commission of this execution and its asset (null when none).
    // https://github.com/binance/binance-spot-api-docs/blob/master/user-data-stream.md#order-update
    Decimal commission;
    std::string commissionAsset;
    std::string rejectReason;
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

/// `outboundAccountPosition` (changed balances) or the balances of GET /api/v3/account.
struct AccountPosition {
    std::vector<AssetBalance> balances;
};

/// `balanceUpdate`: a deposit, withdrawal or transfer changed one asset's free balance.
struct BalanceDelta {
    std::string asset;
    Quantity delta;
};

struct ListenKeyExpired {};

/// A user-data event the connector does not use.
struct OtherUserEvent {
    std::string type;
};

using UserDataEvent = std::variant<OrderReport, AccountPosition, BalanceDelta, ListenKeyExpired, OtherUserEvent>;

/// The parts of GET /api/v3/exchangeInfo a connector needs for one symbol.
struct SymbolRules {
    std::string symbol;
    std::string status; // TRADING, BREAK, ...
    std::string baseAsset;
    std::string quoteAsset;
    Decimal tickSize;
    Decimal stepSize;
    Decimal minNotional;            // 0 when no NOTIONAL/MIN_NOTIONAL filter
    int requestWeightPerMinute = 0; // the REQUEST_WEIGHT/MINUTE rate limit, 0 when absent
};

} // namespace md::binance
