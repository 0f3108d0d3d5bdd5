#pragma once

#include <Qt>

namespace md {

/// Meaning the models expose; delegates and the theme turn it into colour.
enum UiRole {
    StateRole = Qt::UserRole + 1, // MarketState (int) of a market row
    SideRole,                     // Side (int) of a book level, order or fill
    DepthFractionRole,            // 0..1: a level's cumulative size relative to the deepest shown
    OwnOrderRole,                 // bool: one of our orders rests at this price
    LevelRole,                    // spdlog level (int) of a log record
    SortRole,                     // raw value for sorting (numbers as numbers)
    HaltedRole,                   // bool: trading halted on this market
};

} // namespace md
