#pragma once

#include "engine/health.h"
#include "engine/journalsink.h"

#include <string>
#include <vector>

namespace md {

/// Renders health snapshots in the Prometheus text exposition format (version 0.0.4), one series
/// per market labelled market="<name>". Pure: no sockets here (the endpoint lives in app/).
/// Thread: any.
/// A label value escaped for the text format (backslash, double quote, newline).
std::string prometheusLabel(const std::string& value);

std::string formatPrometheus(const std::vector<MarketHealth>& markets, bool halted, double uptimeSeconds);
/// The order journal's series (appended to the above): healthy, how far behind, records and commits.
std::string formatJournalPrometheus(const JournalHealth& journal);

class AlertBook;
/// The desk's alerts: raised and cleared totals per kind, active ones per kind and severity, and the
/// unacknowledged count (marketdesk_alerts_*).
std::string formatPrometheusAlerts(const AlertBook& alerts);

} // namespace md
