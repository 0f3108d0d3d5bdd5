#pragma once

#include "domain/marketspec.h"

#include <QString>

#include <vector>

namespace md {

/// `--pnl-report`: today's (UTC) fills of every run in the journal, replayed per market (average
/// cost): one JSON object per market that traded (position, average entry, realized, fees) and one
/// per quote currency (totals, never converted). No marks: the report reads the journal only, so
/// unrealized P&L is not in it. Returns the exit code: 0, or 5 when the journal cannot be read.
int printPnlReport(const QString& journalPath, const std::vector<MarketSpec>& markets);

} // namespace md
