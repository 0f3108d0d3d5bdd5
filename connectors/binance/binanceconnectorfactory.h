#pragma once

#include "engine/connector.h"

namespace md {

/// The `binance` connector (Binance Spot) over its real wire protocol. Producer thread: exchange
/// info checked against the config, the market data stream with the local book, and — with API
/// keys — the user data stream. Executor thread: signed REST order entry. Without keys it runs
/// market data only and says so; placements are then rejected with that reason.
/// Thread: initialize() on the engine's thread; the parts on the market's threads.
class BinanceConnectorFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "binance"; }
    std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const override;
    ConnectorParts initialize(const MarketSpec& market, EventSink sink) const override;
};

} // namespace md
