#pragma once

#include "strategy/strategyfactory.h"

namespace md {

/// Trades nothing: watches the markets, answers ShuttingDown at once.
/// Thread: the event-network thread.
class NoneStrategy : public Strategy {
public:
    std::string_view name() const override { return "none"; }
    StrategyAdvice onEvent(const TradingEvent&, const StrategyContext&) override { return {}; }
    StrategyAdvice onControl(const ControlEvent& event, const StrategyContext&) override {
        StrategyAdvice advice;
        if (std::holds_alternative<ShuttingDown>(event))
            advice.control.push_back(ShutdownDone{});
        return advice;
    }
};

class NoneStrategyFactory : public StrategyFactory {
public:
    std::string kind() const override { return "none"; }
    std::optional<std::string> validate(const QJsonObject& params, const std::vector<MarketSpec>&,
                                        const std::string& path) const override {
        for (auto it = params.begin(); it != params.end(); ++it)
            if (it.key() != "kind")
                return path + "." + it.key().toStdString() + ": unknown key for strategy 'none'";
        return std::nullopt;
    }
    std::unique_ptr<Strategy> create(const QJsonObject&, const std::vector<MarketSpec>&) const override {
        return std::make_unique<NoneStrategy>();
    }
};

} // namespace md
