#pragma once

#include "domain/decimal.h"
#include "domain/types.h"

#include <map>
#include <optional>
#include <string>

namespace md {

/// Limits the risk gate enforces in front of every action queue. Defaults are deliberately tight:
/// a configuration must raise them on purpose.
struct RiskLimits {
    double maxOrdersPerSecond = 10;                                       // token bucket refill rate, per market
    double orderBurst = 20;                                               // token bucket size
    int maxOpenOrders = 50;                                               // per market, ours, pending included
    std::optional<Decimal> maxOrderNotional = Decimal(100000, 0);         // per order, in the market's quote asset
    std::map<std::string, Decimal> maxPosition;                           // per asset, absolute net position, desk-wide
    std::map<MarketId, std::map<std::string, Decimal>> maxMarketPosition; // per market and asset, its own fills
    double staleDataSeconds = 10;  // a book older than this trips the market's breaker
    double stuckActionSeconds = 5; // an action queued or in flight longer than this trips the market's breaker
};

} // namespace md
