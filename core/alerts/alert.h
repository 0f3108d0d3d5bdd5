#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace md {

/// What an alarm is about. One alert at most is active per (kind, market) at any time.
enum class AlertKind : std::uint8_t {
    MarketKilled,      // a thread outlived its grace and was abandoned
    MarketFailed,      // a producer, executor or terminator threw
    MarketDegraded,    // stuck executor, stale or crossed book, a stream down
    MarketQuarantined, // killed too often: not started again in this run
    BreakerTripped,    // the stale-data breaker halts the market's placements
    RejectionBurst,    // many placements refused in a short time
    OrdersLeft,        // orders left open, or of unknown outcome, on a market that is not running
    JournalTrouble,    // the journal cannot be written (trading halted)
    StrategyFailed,    // the strategy threw (trading halted)
};
inline constexpr std::array<AlertKind, 9> kAlertKinds{
    AlertKind::MarketKilled,      AlertKind::MarketFailed,   AlertKind::MarketDegraded,
    AlertKind::MarketQuarantined, AlertKind::BreakerTripped, AlertKind::RejectionBurst,
    AlertKind::OrdersLeft,        AlertKind::JournalTrouble, AlertKind::StrategyFailed};

enum class AlertSeverity : std::uint8_t { Warning, Critical };

/// Stable, lower-case names: "killed", "failed", "degraded", "quarantined", "breaker", "rejections",
/// "orders_left", "journal", "strategy" (metrics labels, log lines, settings keys).
std::string_view nameOf(AlertKind kind);
/// What the Alerts panel calls a kind ("Market killed", ...).
std::string_view titleOf(AlertKind kind);
std::string_view nameOf(AlertSeverity severity);

/// An alarm as a value (STYLE: "an alarm is a value"): what, where, how bad, since when, what to
/// do. Raised once when its condition appears, cleared once when it goes; acknowledged by the user.
struct Alert {
    std::uint64_t id = 0; // unique in the process, increasing
    AlertKind kind = AlertKind::MarketDegraded;
    std::string market; // empty: the whole desk
    AlertSeverity severity = AlertSeverity::Warning;
    std::int64_t sinceMs = 0;   // wall clock when raised
    std::int64_t clearedMs = 0; // wall clock when cleared; 0 while it lasts
    std::string what;           // what happened (kept current while it lasts)
    std::string todo;           // what to do about it
    bool acknowledged = false;

    bool active() const { return clearedMs == 0; }
};

/// A condition an AlertRules evaluation found present now; AlertBook turns it into an Alert.
struct AlertCondition {
    AlertKind kind = AlertKind::MarketDegraded;
    std::string market;
    AlertSeverity severity = AlertSeverity::Warning;
    std::string what;
    std::string todo;
};

} // namespace md
