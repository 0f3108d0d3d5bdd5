#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace md {

/// Why a placement was refused: by the risk gate (its limit), by the market's queue, or by the
/// exchange itself. A label in metrics (`marketdesk_orders_rejected_total{reason}`), so the set is
/// small and fixed.
enum class RejectionReason : std::uint8_t {
    Halted,
    ReduceOnly,
    MaxOpenOrders,
    MaxOrderNotional,
    MaxPosition,
    MaxOrdersPerSecond,
    InvalidOrder,
    MarketStopping,
    MarketNotRunning,
    Exchange,
};
inline constexpr std::size_t kRejectionReasons = 10;

constexpr std::string_view nameOf(RejectionReason r) {
    constexpr std::array<std::string_view, kRejectionReasons> names{"halted",
                                                                    "reduce_only",
                                                                    "max_open_orders",
                                                                    "max_order_notional",
                                                                    "max_position",
                                                                    "max_orders_per_second",
                                                                    "invalid_order",
                                                                    "market_stopping",
                                                                    "market_not_running",
                                                                    "exchange"};
    return names[static_cast<std::size_t>(r)];
}

/// A refusal: the reason's kind, and the text the strategy hears (names the limit).
struct Refusal {
    RejectionReason reason = RejectionReason::InvalidOrder;
    std::string text;
};

} // namespace md
