#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace md {

/// Every market a log line concerns: the market of a "market.<name>" logger, and the names in the
/// line's leading tag — "[SIM-THIN]", or "[SIM-LIQUID → SIM-THIN, SIM-B]" for a line caused by one
/// market's event about actions on others (the event network writes them so).
/// Thread: any. Pure.
std::vector<std::string> marketsOfLogLine(std::string_view logger, std::string_view text);

} // namespace md
