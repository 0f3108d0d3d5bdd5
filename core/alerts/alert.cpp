#include "alerts/alert.h"

namespace md {

std::string_view nameOf(AlertKind kind) {
    switch (kind) {
    case AlertKind::MarketKilled:
        return "killed";
    case AlertKind::MarketFailed:
        return "failed";
    case AlertKind::MarketDegraded:
        return "degraded";
    case AlertKind::MarketQuarantined:
        return "quarantined";
    case AlertKind::BreakerTripped:
        return "breaker";
    case AlertKind::RejectionBurst:
        return "rejections";
    case AlertKind::OrdersLeft:
        return "orders_left";
    case AlertKind::JournalTrouble:
        return "journal";
    case AlertKind::StrategyFailed:
        return "strategy";
    }
    return "unknown";
}

std::string_view titleOf(AlertKind kind) {
    switch (kind) {
    case AlertKind::MarketKilled:
        return "Market killed";
    case AlertKind::MarketFailed:
        return "Market failed";
    case AlertKind::MarketDegraded:
        return "Market degraded";
    case AlertKind::MarketQuarantined:
        return "Market quarantined";
    case AlertKind::BreakerTripped:
        return "Breaker tripped";
    case AlertKind::RejectionBurst:
        return "Burst of rejections";
    case AlertKind::OrdersLeft:
        return "Orders left open";
    case AlertKind::JournalTrouble:
        return "Journal trouble";
    case AlertKind::StrategyFailed:
        return "Strategy failed";
    }
    return "Alert";
}

std::string_view nameOf(AlertSeverity severity) {
    return severity == AlertSeverity::Critical ? "critical" : "warning";
}

} // namespace md
