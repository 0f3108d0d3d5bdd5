#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace md {

enum class Side : std::uint8_t { Bid, Ask };

constexpr Side opposite(Side s) {
    return s == Side::Bid ? Side::Ask : Side::Bid;
}
constexpr std::string_view nameOf(Side s) {
    return s == Side::Bid ? "bid" : "ask";
}

/// Index of a market in the configuration, stable for the life of the process.
using MarketId = std::uint16_t;

/// Allocated by the strategy, unique per market; the connector maps it to the exchange's id.
using ClientOrderId = std::uint64_t;

/// Lifecycle of one market (DESIGN §4).
enum class MarketState : std::uint8_t { Stopped, Starting, Running, Degraded, Stopping, Failed, Killed };

constexpr std::string_view nameOf(MarketState s) {
    switch (s) {
    case MarketState::Stopped:
        return "stopped";
    case MarketState::Starting:
        return "starting";
    case MarketState::Running:
        return "running";
    case MarketState::Degraded:
        return "degraded";
    case MarketState::Stopping:
        return "stopping";
    case MarketState::Failed:
        return "failed";
    case MarketState::Killed:
        return "killed";
    }
    return "unknown";
}

/// True for states in which the market's threads may be running.
constexpr bool isActive(MarketState s) {
    return s == MarketState::Starting || s == MarketState::Running || s == MarketState::Degraded ||
           s == MarketState::Stopping;
}

} // namespace md
