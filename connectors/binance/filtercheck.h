#pragma once

#include "binance/ordermessages.h"

#include <optional>
#include <string>

namespace md::binance {

/// A LIMIT order checked against the symbol's filters before anything is sent (filters.md:
/// PRICE_FILTER, LOT_SIZE, NOTIONAL / MIN_NOTIONAL, PERCENT_PRICE_BY_SIDE, PERCENT_PRICE,
/// MAX_NUM_ORDERS), so that an order Binance would refuse costs no request weight. The reason
/// starts as Binance's own does ("Filter failure: LOT_SIZE", errors.md "Filter failures") and says
/// which bound was broken.
/// `averagePrice`: the symbol's average price (GET /api/v3/avgPrice) for the percent filters; not
/// known yet, they are left to the exchange. `openOrders`: our open orders on the symbol.
/// Thread: any. Pure.
std::optional<std::string> checkFilters(const SymbolFilters& filters, Side side, Price price, Quantity quantity,
                                        std::optional<Decimal> averagePrice, int openOrders);

} // namespace md::binance
