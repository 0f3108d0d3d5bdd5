#pragma once

#include "engine/connector.h"
#include "strategy/strategy.h"

#include <QJsonObject>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace md {

/// A kind of strategy ("mirror", "market_maker", "none"): validates its parameters and builds it.
/// `params` is the config's `strategy` object (including "kind"); markets are the configured ones.
/// Errors: validate() returns a message naming the field under `path` (e.g. "strategy.max_exposure").
class StrategyFactory {
public:
    virtual ~StrategyFactory() = default;
    virtual std::string kind() const = 0;
    virtual std::optional<std::string> validate(const QJsonObject& params, const std::vector<MarketSpec>& markets,
                                                const std::string& path) const = 0;
    virtual std::unique_ptr<Strategy> create(const QJsonObject& params,
                                             const std::vector<MarketSpec>& markets) const = 0;
};

/// The strategies that ship with MarketDesk; nullptr for an unknown kind.
const StrategyFactory* findStrategyFactory(const std::string& kind);
std::vector<std::string> strategyKinds();

} // namespace md
