#pragma once

#include <string_view>

namespace md {

/// What a market (or the whole desk) may do: everything, only reduce exposure, or only cancel.
enum class TradingState { Active, ReduceOnly, Halted };

constexpr std::string_view nameOf(TradingState s) {
    switch (s) {
    case TradingState::Active:
        return "active";
    case TradingState::ReduceOnly:
        return "reduce-only";
    case TradingState::Halted:
        return "halted";
    }
    return "unknown";
}

/// The stricter of two states.
constexpr TradingState strictest(TradingState a, TradingState b) {
    return a > b ? a : b;
}

} // namespace md
