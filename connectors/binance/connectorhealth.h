#pragma once

#include "binance/marketdataclient.h"
#include "binance/orderentry.h"
#include "binance/userdatastream.h"
#include "binance/wsapiconnection.h"

#include "engine/connector.h"

#include <memory>
#include <vector>

namespace md::binance {

/// The live figures of one Binance market's parts, and how the window and the metrics see them.
/// Thread: any (the figures are atomics; details() only reads).
struct ConnectorHealth {
    std::shared_ptr<MarketDataStats> marketData = std::make_shared<MarketDataStats>();
    std::shared_ptr<WsApiStats> session = std::make_shared<WsApiStats>();
    std::shared_ptr<UserStreamStats> userStream = std::make_shared<UserStreamStats>();
    std::shared_ptr<OrderEntryStats> orders = std::make_shared<OrderEntryStats>();

    std::vector<ConnectorDetail> details(const SessionShared& shared, const venue::OrderTracker& tracker, bool keys,
                                         bool wsApiOrders) const;
};

} // namespace md::binance
