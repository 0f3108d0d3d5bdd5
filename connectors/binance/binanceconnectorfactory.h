#pragma once

#include "engine/connector.h"

namespace md {

/// The `binance` connector (Binance Spot). Today: market data over the real wire protocol (combined
/// stream, local book with REST snapshots and resync, reconnect with backoff). Order entry is not
/// built yet: placements are rejected with that reason, so nothing is silently dropped.
/// Thread: initialize() on the engine's thread; the parts on the market's threads.
class BinanceConnectorFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "binance"; }
    std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const override;
    ConnectorParts initialize(const MarketSpec& market, EventSink sink) const override;
};

} // namespace md
