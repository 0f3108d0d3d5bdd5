#pragma once

#include "binance/credentials.h"

#include "common/ratebudget.h"
#include "engine/connector.h"

#include <memory>

namespace md::binance {
struct SymbolRules;
}

namespace md {

/// The `binance` connector (Binance Spot) over its current wire protocol. Producer thread: exchange
/// info checked against the config, the market data stream with the local book, and — with API
/// keys — the WebSocket API session carrying the user data subscription and the orders. Executor
/// thread: order entry over that session, signed REST while it is down. Without keys it runs market
/// data only and says so; placements are then rejected with that reason.
/// Every market of one factory shares one rate budget per exchange host (Binance's limits are per
/// IP): the app has one factory, so the whole process shares it.
/// Thread: initialize() on the engine's thread; the parts on the market's threads.
class BinanceConnectorFactory : public ConnectorFactory {
public:
    BinanceConnectorFactory();
    explicit BinanceConnectorFactory(std::shared_ptr<venue::RateBudgetRegistry> budgets);

    /// Keys a person stored in the OS keychain (the window's Connect dialog), used when neither the
    /// config nor the environment has any. Set by the app before the first market starts.
    void setStoredKeysProvider(binance::StoredKeysProvider provider) { m_keychain = std::move(provider); }
    venue::RateBudgetRegistry& budgets() const { return *m_budgets; }

    std::string kind() const override { return "binance"; }
    std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const override;
    ConnectorParts initialize(const MarketSpec& market, EventSink sink) const override;

    /// A configured tick or step that is not the exchange's own: the book would never sync at that
    /// scale, or every order would be refused. Errors: the message names both values.
    static std::optional<std::string> mismatch(const binance::SymbolRules& rules, const Instrument& instrument);

private:
    std::shared_ptr<venue::RateBudgetRegistry> m_budgets;
    binance::StoredKeysProvider m_keychain;
};

} // namespace md
