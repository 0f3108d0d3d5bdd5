#pragma once

#include "domain/types.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace md {

// The simulated exchange's market-data wire format: one text line per message, prices and
// quantities as integer units of the instrument's tick and step scales.
//   D <seq> <b|a> <price> <qty>          one level's new quantity (0 removes it)
//   T <seq> <b|a> <price> <qty>          a trade; the side is the aggressor's
//   S <seq> <nbids> <nasks> (<price> <qty>)...   the whole book, bids best first, then asks
// It exists so that the connector has a real parse step: malformed lines are refused, counted
// and skipped, exactly as with a real venue's frames.

struct SimDepth {
    std::uint64_t seq = 0;
    Side side = Side::Bid;
    std::int64_t price = 0;
    std::int64_t quantity = 0;
};

struct SimTrade {
    std::uint64_t seq = 0;
    Side aggressor = Side::Bid;
    std::int64_t price = 0;
    std::int64_t quantity = 0;
};

struct SimSnapshot {
    std::uint64_t seq = 0;
    std::vector<std::pair<std::int64_t, std::int64_t>> bids;
    std::vector<std::pair<std::int64_t, std::int64_t>> asks;
};

using SimMessage = std::variant<SimDepth, SimTrade, SimSnapshot>;

std::string encodeSimMessage(const SimMessage& message);

struct SimParseResult {
    SimMessage message;
    std::string error; // empty when the line parsed
    bool ok() const { return error.empty(); }
};

/// Pure: bytes in, message or a reason out. Never throws.
SimParseResult parseSimMessage(std::string_view line);

} // namespace md
