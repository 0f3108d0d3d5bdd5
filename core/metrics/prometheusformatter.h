#pragma once

#include "engine/health.h"

#include <string>
#include <vector>

namespace md {

/// Renders health snapshots in the Prometheus text exposition format (version 0.0.4), one series
/// per market labelled market="<name>". Pure: no sockets here (the endpoint lives in app/).
/// Thread: any.
std::string formatPrometheus(const std::vector<MarketHealth>& markets, bool halted, double uptimeSeconds);

class AlertBook;
/// The desk's alerts: raised and cleared totals per kind, active ones per kind and severity, and the
/// unacknowledged count (marketdesk_alerts_*).
std::string formatPrometheusAlerts(const AlertBook& alerts);

} // namespace md
