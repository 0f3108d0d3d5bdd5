#pragma once

#include "domain/marketspec.h"
#include "journal/sqlitejournal.h"
#include "positions/pnlledger.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace md {

/// The day's fills of one market replayed through a PnlLedger (average cost, exact).
struct ReplayedMarket {
    PnlLedger ledger;
    std::uint64_t skipped = 0; // rows whose numbers or side could not be read (counted, never guessed)
};

/// Start of the current UTC day in ms since the epoch: "today" for P&L (crypto venues settle in UTC).
std::int64_t startOfUtcDayMs(std::int64_t nowMs);

/// Replays the journal's fills market by market (by name; markets not in `markets` are ignored),
/// leaving out the fills of run `excludeRun` (the current run, which counts its own). Pure.
/// Thread: any.
std::map<std::string, ReplayedMarket> replayFills(const std::vector<JournalFill>& fills,
                                                  const std::vector<MarketSpec>& markets,
                                                  const std::string& excludeRun = {});

} // namespace md
