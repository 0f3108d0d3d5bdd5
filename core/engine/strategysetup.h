#pragma once

#include "domain/decimal.h"
#include "domain/orderowner.h"
#include "domain/types.h"
#include "strategy/strategy.h"

#include <QJsonObject>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace md {

/// Limits the risk gate applies to one strategy's placements, beside the desk's and each market's.
struct StrategyLimits {
    std::optional<Decimal> maxPosition; // |position| in the market's base, per market; none: no limit
    std::size_t maxOpenOrders = 0;      // across its markets; 0: no limit
};

/// One strategy of the desk as the engine runs it: its id (config "id"), what it trades and its limits.
/// Its owner id (orders, journal, views) is its index in the engine's list.
struct StrategySetup {
    std::string id;
    std::unique_ptr<Strategy> strategy;
    std::vector<MarketId> markets; // empty: every market
    StrategyLimits limits;
    QJsonObject params; // its configured parameters ("kind" and the kind's own), for live tuning; may be empty
};

/// Running: trading. Paused: hears its markets, places nothing. Halted: it threw (the reason is kept);
/// places nothing. Stopping: told ShuttingDown, its orders cancelled. Stopped: answered, hears nothing.
enum class StrategyState { Running, Paused, Halted, Stopping, Stopped };
std::string_view nameOf(StrategyState state);

/// What the window shows of one strategy (published by the event network, ~20 Hz at most).
struct StrategyStatus {
    std::string id;
    std::string kind; // Strategy::name()
    OwnerId owner = 0;
    StrategyState state = StrategyState::Running;
    std::string failure; // why it halted
    std::vector<MarketId> markets;
    std::size_t openOrders = 0;
    std::size_t fills = 0;
    std::string lastReasoning;
};

/// A change the user made to one running strategy (issue 17 part 5): a parameter it applies at its
/// next decision, or its lifecycle (start, pause, resume, stop) and a halt of its own (it threw).
struct StrategyChange {
    std::string strategy; // its id
    std::string change;   // parameter, start, pause, resume, stop, halted
    std::string key;      // parameter: its key
    std::string before;   // parameter: the value it had (JSON text; empty: the default)
    std::string after;    // parameter: the value it has now (JSON text)
    std::string detail;   // pause: what happened to its orders; halted: why
};

} // namespace md
