#pragma once

#include "engine/connector.h"

namespace md {

/// The `sim` connector: a simulated exchange in-process, so MarketDesk runs with no account and no
/// network. Its producer runs the exchange's clock: market data (random-walk book and trade flow,
/// through a real text wire and parser), and acks, fills and cancels of our orders after the
/// configured latency. Its executor hands our actions to the exchange. Fault injection for tests
/// and demos (settings `fault`, `fault_after_ms`).
/// Thread: initialize() on the engine's thread; the parts on the market's producer/executor threads.
class SimConnectorFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "sim"; }
    std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const override;
    /// Also refuses what cannot be simulated exactly on the market's instrument (SimSettings::checkFor).
    std::optional<std::string> validateMarket(const MarketSpec& market, const std::string& path) const override;
    ConnectorParts initialize(const MarketSpec& market, EventSink sink) const override;
};

} // namespace md
