#pragma once

#include "domain/action.h"
#include "domain/decimal.h"
#include "risk/fatfingerguard.h"

#include <string>

namespace md {

/// An order the trader asks for from the ticket, the ladder or a hotkey (issue 15 part 4). The event
/// network gives it a client id, runs it through the fat-finger guard (unless `confirmed`), the risk
/// gate, the journal and the market's ActionQueue exactly as a strategy's placement.
struct ManualOrder {
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
    TimeInForce timeInForce = TimeInForce::Gtc;
    bool postOnly = false;
    bool confirmed = false; // the trader saw the fat-finger warning and said yes
};

/// Config "manual": the trader's tools. Hotkeys are Qt key sequences ("Ctrl+B", "F2").
struct ManualTradingSettings {
    FatFingerLimits fatFinger;
    /// Flatten is refused when the touch it would trade at is farther than this from the mid.
    double flattenBandPercent = 1.0;
    /// Click-to-trade: false = a click prepares the order, a second click (or Enter) sends it.
    bool singleClick = false;
    std::string hotkeyBuy = "Ctrl+B";  // buy the ticket's quantity at the best bid (joins the touch)
    std::string hotkeySell = "Ctrl+S"; // sell the ticket's quantity at the best ask (joins the touch)
    std::string hotkeyCancelAll = "Ctrl+Shift+X";
    std::string hotkeyFlatten = "Ctrl+Shift+F";
};

} // namespace md
