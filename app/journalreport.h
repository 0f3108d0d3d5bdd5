#pragma once

#include <QString>

namespace md {

/// `--journal-report`: the orders the journal holds as open or unknown, one JSON object per line on
/// stdout, then the changes made to running strategies in the latest run that made any (lines with a
/// "strategy_change" key). Returns the exit code: 0 when no order is open, 4 when some, 5 when the
/// journal does not exist or cannot be read.
int printJournalReport(const QString& journalPath);

/// At start-up, the same list as a clear block in the log (headless) so nobody misses it.
void logOpenOrdersFromEarlierRuns(const QString& journalPath);

} // namespace md
