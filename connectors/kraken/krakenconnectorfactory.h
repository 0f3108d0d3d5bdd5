#pragma once

#include "engine/connector.h"

#include <map>
#include <memory>
#include <mutex>

namespace md::venue {
class DecayingCounter;
}

namespace md {

/// The `kraken` connector (Kraken Spot over WebSocket v2). Producer thread: the public socket
/// (instrument checked against the config, checksummed book, trades, system status) and — with API keys —
/// the authenticated socket (executions, balances, requests, dead man's switch). Executor thread: order
/// entry over that socket. Without keys it runs market data only and says so.
/// Thread: initialize() on the engine's thread; the parts on the market's threads.
class KrakenConnectorFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "kraken"; }
    std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const override;
    ConnectorParts initialize(const MarketSpec& market, EventSink sink) const override;

private:
    /// Kraken counts order rate per pair and account: markets of one process on the same pair and key
    /// share one counter.
    std::shared_ptr<venue::DecayingCounter> rateCounter(const std::string& key, double threshold, double decay,
                                                        double headroom) const;
    mutable std::mutex m_mutex;
    mutable std::map<std::string, std::shared_ptr<venue::DecayingCounter>> m_counters;
};

} // namespace md
