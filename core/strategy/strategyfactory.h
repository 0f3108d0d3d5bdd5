#pragma once

#include "domain/marketspec.h"
#include "strategy/strategy.h"

#include <QJsonObject>

#include <memory>
#include <optional>
#include <stdexcept>
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

/// A factory whose strategy is built from a parameter struct that `Read` checks and fills: validate()
/// and create() share the one reading, so what validates is exactly what runs.
template <class StrategyT, class Params,
          std::optional<Params> (*Read)(const QJsonObject&, const std::vector<MarketSpec>&, const std::string&,
                                        std::string&)>
class ParamsStrategyFactory : public StrategyFactory {
public:
    explicit ParamsStrategyFactory(std::string kind)
        : m_kind(std::move(kind)) {}
    std::string kind() const override { return m_kind; }
    std::optional<std::string> validate(const QJsonObject& params, const std::vector<MarketSpec>& markets,
                                        const std::string& path) const override {
        std::string error;
        if (!Read(params, markets, path, error))
            return error;
        return std::nullopt;
    }
    std::unique_ptr<Strategy> create(const QJsonObject& params, const std::vector<MarketSpec>& markets) const override {
        std::string error;
        auto p = Read(params, markets, "strategy", error);
        if (!p)
            throw std::invalid_argument(error);
        return std::make_unique<StrategyT>(std::move(*p));
    }

private:
    std::string m_kind;
};

/// The strategies that ship with MarketDesk; nullptr for an unknown kind.
const StrategyFactory* findStrategyFactory(const std::string& kind);
std::vector<std::string> strategyKinds();

} // namespace md
