#pragma once

#include "domain/decimal.h"
#include "domain/types.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace md::venue {

/// Where an order stands, in words every venue can be mapped to.
enum class OrderState { New, PartiallyFilled, Filled, Cancelled, Expired, Rejected };

constexpr bool isFinal(OrderState s) {
    return s == OrderState::Filled || s == OrderState::Cancelled || s == OrderState::Expired ||
           s == OrderState::Rejected;
}

constexpr std::string_view nameOf(OrderState s) {
    switch (s) {
    case OrderState::New:
        return "new";
    case OrderState::PartiallyFilled:
        return "partially filled";
    case OrderState::Filled:
        return "filled";
    case OrderState::Cancelled:
        return "cancelled";
    case OrderState::Expired:
        return "expired";
    case OrderState::Rejected:
        return "rejected";
    }
    return "unknown";
}

/// One venue's report about one order (an answer to a request, a stream event, a query result),
/// venue-neutral. Figures are cumulative, so two sources telling the same story merge without
/// counting a fill twice.
struct OrderUpdate {
    std::string clientOrderId; // the order's own client id
    std::string exchangeOrderId;
    Side side = Side::Bid;
    OrderState state = OrderState::New;
    Price price;
    Quantity quantity;
    Quantity executed;      // cumulative filled quantity
    Notional executedQuote; // cumulative quote quantity (zero when the venue does not say)
    Price lastPrice;        // the last fill's price, zero when unknown
    Quantity lastQuantity;  // the last fill's quantity, zero when unknown
    Decimal lastFee;        // the venue's fee for the last fill, in lastFeeAsset; zero when none or unknown
    std::string lastFeeAsset;
    std::string reason; // why rejected / expired, as the venue words it
    std::int64_t eventTimeMs = 0;
};

} // namespace md::venue
