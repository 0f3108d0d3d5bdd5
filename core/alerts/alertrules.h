#pragma once

#include "alerts/alert.h"
#include "engine/health.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace md {

/// What the rules look at: the engine's health snapshot and the few desk-wide facts beside it.
struct AlertInputs {
    std::vector<MarketHealth> health;
    std::vector<std::uint64_t> unknownOrders; // per market id: our placements never acknowledged (may be empty)
    std::string journalFailure;               // empty: the journal writes
    std::string strategyFailure;              // empty: the strategy has not thrown since the last resume
    std::int64_t nowMs = 0;                   // wall clock
};

struct AlertRuleSettings {
    std::uint64_t rejectionBurst = 20;      // this many placements rejected ...
    std::int64_t rejectionWindowMs = 10000; // ... within this long is a burst
    std::int64_t rejectionQuietMs = 30000;  // the burst lasts until no rejection for this long
};

/// Which alarm conditions hold now, with what to tell the trader and what to advise. The market's
/// lifecycle (Killed, Failed, quarantined, Degraded), its breaker, bursts of rejections, orders
/// left behind on a market that is not running, the journal and the strategy.
/// Stateful only for rejection bursts (counts over a window). Pure otherwise: time comes in.
/// Thread: one thread (the engine's).
class AlertRules {
public:
    explicit AlertRules(AlertRuleSettings settings = {});
    std::vector<AlertCondition> evaluate(const AlertInputs& inputs);

private:
    struct Rejections {
        std::deque<std::pair<std::int64_t, std::uint64_t>> samples; // (time, total) over the window
        std::uint64_t last = 0;
        std::int64_t lastIncreaseMs = 0;
        bool bursting = false;
        bool seeded = false;
    };
    /// Empty when no burst; else the text of the condition.
    std::string rejectionBurst(const MarketHealth& h, std::int64_t nowMs);

    AlertRuleSettings m_settings;
    std::map<std::string, Rejections> m_rejections;
};

} // namespace md
