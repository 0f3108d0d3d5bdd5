#pragma once

#include <Qt>

namespace md {

/// Meaning the models expose; delegates and the theme turn it into colour.
enum UiRole {
    StateRole = Qt::UserRole + 1, // MarketState (int), on the cells that show a market's state
    SideRole,                     // Side (int) of a book level, order or fill
    DepthFractionRole,            // 0..1: a level's cumulative size relative to the deepest shown
    OwnOrderRole,                 // bool: one of our orders rests at this price
    LevelRole,                    // spdlog level (int) of a log record
    SortRole,                     // raw value for sorting (numbers as numbers)
    HaltedRole,                   // bool: trading halted on this market (on the cell that shows it)
    ToggleRole,                   // bool: the cell is an on/off switch (its state in Qt::CheckStateRole)
    ToneRole,                     // Tone (int): the meaning of a status text, for its colour
    SpreadEdgeRole,               // bool: the best ask's row (the spread is drawn under it)
    OpenRole,                     // bool: the order can still be cancelled
    ExportRole,                   // the text a CSV export writes when it differs from the display (full dates)
    AlertIdRole,                  // quint64: the alert a row shows
};

/// What a status means, independent of the theme's colours.
enum class Tone { Normal, Good, Warning, Bad, Muted, Accent };

} // namespace md
