#include "action.h"
#include "advice.h"

#include <fmt/format.h>

namespace md {

std::string describe(const ActionKind& action) {
    return std::visit(Overloaded{[](const PlaceLimit& p) {
                                     return fmt::format("place #{} {} {} @ {}{}{}", p.id, nameOf(p.side),
                                                        p.quantity.toString(), p.price.toString(),
                                                        p.timeInForce == TimeInForce::Ioc ? " IOC" : "",
                                                        p.postOnly ? " post-only" : "");
                                 },
                                 [](const CancelOrder& c) { return fmt::format("cancel #{}", c.id); },
                                 [](const CancelAll& c) {
                                     switch (c.scope) {
                                     case CancelAll::Scope::ThisRun:
                                         return std::string("cancel all of this run");
                                     case CancelAll::Scope::EarlierRuns:
                                         return std::string("cancel earlier runs' orders");
                                     default:
                                         return std::string("cancel all");
                                     }
                                 }},
                      action);
}

StrategyAdvice& StrategyAdvice::operator+=(StrategyAdvice other) {
    if (!other.reasoning.empty()) {
        if (!reasoning.empty())
            reasoning += "; ";
        reasoning += std::move(other.reasoning);
    }
    actions.reserve(actions.size() + other.actions.size());
    for (auto& action : other.actions)
        actions.push_back(std::move(action));
    control.insert(control.end(), std::make_move_iterator(other.control.begin()),
                   std::make_move_iterator(other.control.end()));
    return *this;
}

} // namespace md
