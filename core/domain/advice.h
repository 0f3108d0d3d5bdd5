#pragma once

#include "action.h"
#include "events.h"
#include "inlinevector.h"

#include <string>
#include <vector>

namespace md {

struct MarketAction {
    MarketId market = 0;
    ActionKind action;
};

/// The actions of one advice: two inline, more on the heap (see InlineVector).
using ActionList = InlineVector<MarketAction, 2>;

/// What the strategy answers to one event: why, then what to do, in order.
/// Advices combine by concatenation.
struct StrategyAdvice {
    std::string reasoning;
    ActionList actions;
    std::vector<ControlAction> control;

    bool isEmpty() const { return reasoning.empty() && actions.empty() && control.empty(); }
    StrategyAdvice& operator+=(StrategyAdvice other);
};

} // namespace md
