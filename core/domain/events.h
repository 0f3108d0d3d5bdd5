#pragma once

#include "decimal.h"
#include "orderbook.h"
#include "types.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace md {

/// Book changes from the exchange. `snapshot` replaces the whole book with `changes`.
struct BookUpdated {
    std::uint64_t updateId = 0;
    bool snapshot = false;
    std::vector<BookChange> changes;
};

struct TradePrinted {
    Price price;
    Quantity quantity;
    Side aggressor = Side::Bid;
};

/// Per order: Placed first, then zero or more Filled, then exactly one Cancelled or Done.
/// Rejected instead of Placed when the exchange refused the placement.
struct OrderPlaced {
    ClientOrderId id = 0;
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
};

/// One execution of one of our orders. The fee is what the venue charged for this execution, in
/// `feeAsset` (the base, the quote or a third asset such as BNB); zero with an empty asset when the
/// venue charged nothing or did not say.
struct OrderFilled {
    ClientOrderId id = 0;
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
    Decimal fee;
    std::string feeAsset;
};

struct OrderCancelled {
    ClientOrderId id = 0;
};

struct OrderDone {
    ClientOrderId id = 0;
};

struct OrderRejected {
    ClientOrderId id = 0;
    std::string reason;
};

struct BalanceUpdated {
    std::string asset;
    Quantity free;
    Quantity locked;
};

struct MarketStatusChanged {
    MarketState state = MarketState::Running;
    std::string reason;
};

using TradingEventPayload = std::variant<BookUpdated, TradePrinted, OrderPlaced, OrderFilled, OrderCancelled, OrderDone,
                                         OrderRejected, BalanceUpdated, MarketStatusChanged>;

/// One event of one market, as the strategy sees it.
struct TradingEvent {
    MarketId market = 0;
    std::int64_t receivedNs = 0;     // steady clock when the connector received it (for tick-to-action)
    std::int64_t exchangeTimeMs = 0; // exchange's own time, 0 when unknown
    TradingEventPayload payload;
};

/// Events the framework sends the strategy about the lifecycle.
struct ShuttingDown {};
struct MarketStopping {
    MarketId market = 0;
};
struct MarketStarted {
    MarketId market = 0;
};
using ControlEvent = std::variant<ShuttingDown, MarketStopping, MarketStarted>;

/// What the strategy answers to control events.
struct ShutdownDone {};
struct StrategyError {
    int code = 0;
    std::string message;
};
using ControlAction = std::variant<ShutdownDone, StrategyError>;

template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace md
