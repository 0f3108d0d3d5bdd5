#pragma once

#include "uiroles.h"

#include "engine/health.h"

#include <QString>

#include <vector>

namespace md {

/// The desk's state in a few words, for the badge at the top and the status bar: "TRADING" only when
/// every running market may place; "TRADING · 1 market halted" (amber) while a market is halted by
/// its breaker or its own switch, with reduce-only and failed or killed markets counted likewise;
/// "HALTED" when the desk is; "SHUTTING DOWN".
struct DeskStatus {
    QString text;
    Tone tone = Tone::Good;
    int marketsHalted = 0;
    int marketsReduceOnly = 0;
    int marketsDown = 0; // Failed or Killed
    int marketsUp = 0;   // Running or Degraded

    static DeskStatus of(const std::vector<MarketHealth>& health, bool deskHalted, bool shuttingDown);
};

} // namespace md
