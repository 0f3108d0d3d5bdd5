#include "config/strategysetups.h"

#include "strategy/strategyfactory.h"

#include <algorithm>

namespace md {

std::vector<StrategySetup> makeStrategySetups(const AppConfig& config) {
    std::vector<StrategySetup> out;
    for (const auto& sc : config.strategies) {
        std::vector<MarketSpec> traded;
        for (const auto& spec : config.markets)
            if (sc.markets.empty() || std::find(sc.markets.begin(), sc.markets.end(), spec.id) != sc.markets.end())
                traded.push_back(spec);
        const StrategyFactory* factory = findStrategyFactory(sc.params.value("kind").toString().toStdString());
        if (!factory)
            throw std::invalid_argument("strategy " + sc.id + ": unknown kind");
        out.push_back(StrategySetup{sc.id, factory->create(sc.params, traded), sc.markets, sc.limits, sc.params});
    }
    return out;
}

} // namespace md
