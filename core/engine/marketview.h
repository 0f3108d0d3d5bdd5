#pragma once

#include "domain/decimal.h"
#include "domain/instrument.h"
#include "domain/orderbook.h"
#include "domain/orderowner.h"
#include "domain/types.h"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace md {

/// Gone: an order of an earlier session that the exchange no longer lists at a restart (filled or
/// cancelled meanwhile; the exchange did not say which).
enum class OrderStatus : std::uint8_t { Pending, Open, PartiallyFilled, Filled, Cancelled, Rejected, Gone };
std::string_view nameOf(OrderStatus s);

/// One of our orders as the event network last saw it.
struct OrderView {
    MarketId market = 0;
    ClientOrderId id = 0;
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
    Quantity filled;
    OrderStatus status = OrderStatus::Pending;
    std::string reason;         // rejection reason
    std::int64_t createdMs = 0; // wall clock, ms since epoch
    std::int64_t updatedMs = 0;
    OwnerId owner = 0; // a strategy's number, or kManualOwner: the trader's
};

struct FillView {
    MarketId market = 0;
    ClientOrderId id = 0;
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
    std::int64_t timeMs = 0; // wall clock
    Decimal fee;             // in feeAsset; zero when none or not told
    std::string feeAsset;
    OwnerId owner = 0;
};

/// One line of a market's trades tape: a public trade (side = the aggressor's) or one of our own
/// fills (ours, side = our side). On a venue our fill is also a public trade; both are shown, the
/// fill marked, as an exchange's own terminal does.
struct TapeTrade {
    std::uint64_t sequence = 0; // per market, counting up: the tape's order and its rows' key
    std::int64_t timeMs = 0;    // wall clock, ms since epoch
    Price price;
    Quantity quantity;
    Side side = Side::Bid;
    bool ours = false;
    ClientOrderId orderId = 0; // ours only
};

struct MidPoint {
    std::int64_t timeMs = 0;
    double mid = 0;
};

/// A coalesced, immutable picture of one market for the UI: published by the event network at
/// most every ~50 ms, read by anyone through a shared_ptr swap.
struct MarketView {
    MarketId id = 0;
    std::string name;
    Instrument instrument;
    std::uint64_t version = 0;
    std::vector<BookLevel> bids; // best first, at most kViewDepth
    std::vector<BookLevel> asks;
    std::vector<OrderView> openOrders;
    std::vector<OrderView> closedOrders; // most recent last, bounded
    std::vector<FillView> fills;         // most recent last, bounded
    std::vector<MidPoint> mids;          // sampled mid price history, bounded
    bool halted = false;                 // no placements: the desk, this market or its breaker
    std::string tradingState;            // "active", "reduce-only", "halted"
    std::string breakerReason;           // set while the stale-data breaker holds the market
    std::vector<TapeTrade> tape;         // public trades and our fills, oldest first, at most kTape
    std::string manualNotice;            // what became of the trader's last manual request (ticket's status)

    static constexpr std::size_t kViewDepth = 50;
    static constexpr std::size_t kHistory = 1000;
    static constexpr std::size_t kTape = 200;
};

/// One advice's reasoning, for the strategy panel.
struct ReasoningRecord {
    std::uint64_t sequence = 0;
    std::int64_t timeMs = 0;
    MarketId market = 0;
    std::string marketName; // the market whose event led to it
    std::string text;
    std::string tag; // every market it concerns: "SIM-LIQUID → SIM-THIN" (the log's tag)
};

} // namespace md
