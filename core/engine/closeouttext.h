#pragma once

#include "engine/health.h"

#include <string>
#include <vector>

namespace md {

/// The close-out report as lines of text: the summary, a line per market, a line per order left open or
/// of unknown outcome (market, id, side, price, quantity, filled), the net position per asset and
/// whether the strategy answered, then the money lines (moneytext::closeOutLines). The same words go to the log, to
/// stdout in headless mode and (as text beside the JSON) to the journal, so every place tells the same story. Thread:
/// any. Pure.
std::vector<std::string> closeOutLines(const ShutdownReport& report);

/// "+0.0500" / "-3212.51" / "0": a signed decimal without trailing zeros.
std::string signedDecimal(Decimal value);

} // namespace md
