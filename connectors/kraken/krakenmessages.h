#pragma once

#include "domain/decimal.h"
#include "domain/types.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace md::kraken {

/// A book level as integer units at the pair's price and quantity precision (from `instrument`).
struct Level {
    std::int64_t price = 0;
    std::int64_t quantity = 0; // 0 removes the level
};

/// `book` channel: a snapshot replaces the book, an update changes levels; both carry the CRC32 of
/// the top 10 levels after the message is applied.
/// https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book
struct BookMessage {
    std::string symbol;
    bool snapshot = false;
    std::vector<Level> bids;
    std::vector<Level> asks;
    std::uint32_t checksum = 0;
    bool hasChecksum = false;
};

/// One pair of the `instrument` channel.
/// https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/instrument
struct PairInfo {
    std::string symbol; // "BTC/USD"
    std::string base;
    std::string quote;
    std::string status; // online, cancel_only, post_only, limit_only, reduce_only, maintenance, delisted, ...
    int pricePrecision = -1;
    int qtyPrecision = -1;
    Decimal priceIncrement;
    Decimal qtyIncrement;
    Decimal qtyMin;
    Decimal costMin;
};

struct InstrumentMessage {
    bool snapshot = false;
    std::vector<PairInfo> pairs;
};

/// `trade` channel, one message may carry several trades.
struct Trade {
    std::string symbol;
    Side aggressor = Side::Bid; // "buy": the taker bought
    Decimal price;
    Decimal quantity;
};
struct TradeMessage {
    std::vector<Trade> trades;
};

/// `status` channel: the exchange's trading state (online, maintenance, cancel_only, post_only).
/// https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/status
struct StatusMessage {
    std::string system;
    std::string apiVersion;
};

struct Heartbeat {};

/// The answer to a request we sent (subscribe, unsubscribe, ping, add_order, cancel_order,
/// cancel_all, cancel_all_orders_after): matched to it by `req_id`.
struct MethodAnswer {
    std::string method;
    std::uint64_t reqId = 0;
    bool hasReqId = false;
    bool success = false;
    std::string error;
    std::string orderId;     // add_order / cancel_order
    std::string clOrdId;     // add_order / cancel_order
    std::string channel;     // subscribe / unsubscribe
    int count = -1;          // cancel_all
    std::string triggerTime; // cancel_all_orders_after: "1970-01-01T00:00:00Z" when disabled
    std::string currentTime;
};

/// One event of the `executions` channel.
/// https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/executions
struct Execution {
    std::string execType;    // pending_new, new, trade, filled, canceled, expired, amended, restated, status
    std::string orderStatus; // pending_new, new, partially_filled, filled, canceled, expired
    std::string orderId;
    std::string clOrdId;
    std::string symbol;
    std::string side; // buy / sell
    Decimal orderQty;
    Decimal limitPrice;
    Decimal cumQty;
    Decimal lastQty;
    Decimal lastPrice;
    bool hasOrderQty = false;
    bool hasLimitPrice = false;
    bool hasCumQty = false;
    bool hasLast = false;
    std::string reason;
    /// What this execution cost: `fees`, a list of {asset, qty} (the docs' trade example:
    /// `"fees":[{"asset":"USD","qty":0.3458}]`, beside `fee_usd_equiv`, a USD valuation we do not use:
    /// the fee is counted in the asset charged, never converted). Empty when none was charged.
    struct Fee {
        std::string asset;
        Decimal qty;
    };
    std::vector<Fee> fees;
};
struct ExecutionsMessage {
    bool snapshot = false;
    std::vector<Execution> executions;
};

/// `balances` channel: a snapshot lists every asset's balance; an update is one ledger entry with
/// the asset's new total balance.
/// https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/balances
struct Balance {
    std::string asset;
    Decimal balance;
};
struct BalancesMessage {
    bool snapshot = false;
    std::vector<Balance> balances;
};

/// Frames we read and do not use (subscription echoes of other channels, ticker, ...).
struct Ignored {
    std::string what;
};

using Message = std::variant<BookMessage, InstrumentMessage, TradeMessage, StatusMessage, Heartbeat, MethodAnswer,
                             ExecutionsMessage, BalancesMessage, Ignored>;

} // namespace md::kraken
