#pragma once

#include "domain/decimal.h"
#include "domain/types.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace md::binance {

/// A price level as integer units at the book's scales (the exchange's own precision, see DepthSync).
struct Level {
    std::int64_t price = 0;
    std::int64_t quantity = 0; // 0 removes the level
};

/// `<symbol>@depth@100ms`: changes between update ids U and u (inclusive).
struct DepthDiff {
    std::string symbol;
    std::uint64_t firstUpdateId = 0; // U
    std::uint64_t finalUpdateId = 0; // u
    std::int64_t eventTimeMs = 0;    // E
    std::vector<Level> bids;
    std::vector<Level> asks;
};

/// `GET /api/v3/depth`.
struct DepthSnapshot {
    std::uint64_t lastUpdateId = 0;
    std::vector<Level> bids;
    std::vector<Level> asks;
};

/// `<symbol>@bookTicker`: the best levels as of update id u.
struct BookTicker {
    std::string symbol;
    std::uint64_t updateId = 0;
    Price bid;
    Quantity bidQuantity;
    Price ask;
    Quantity askQuantity;
};

/// `<symbol>@trade` / `<symbol>@aggTrade`.
struct Trade {
    std::string symbol;
    Price price;
    Quantity quantity;
    bool buyerIsMaker = false; // true: the seller was the aggressor
    std::int64_t tradeTimeMs = 0;
};

/// A frame the connector does not use (klines, subscription answers).
struct Ignored {
    std::string stream;
};

/// `{"stream": "!serverShutdown", "data": {"e": "serverShutdown", ...}}`: the server is about to
/// close the connection; open a new one now (web-socket-streams.md "Server Shutdown").
struct StreamShutdown {
    std::int64_t eventTimeMs = 0;
};

using StreamMessage = std::variant<DepthDiff, BookTicker, Trade, Ignored, StreamShutdown>;

} // namespace md::binance
