#pragma once

#include "kraken/krakenmessages.h"

#include "common/orderupdate.h"

#include <optional>

namespace md::kraken {

/// One `executions` event in the venue-neutral words of the order tracker: order_status / exec_type
/// mapped explicitly (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/executions:
/// pending_new, new, partially_filled, filled, canceled, expired), figures at the instrument's scales.
/// nullopt for events that say nothing about the order's state or fills (e.g. a trade echo without
/// cum_qty). Thread: any. Pure.
std::optional<venue::OrderUpdate> toOrderUpdate(const Execution& e, int priceScale, int quantityScale);

} // namespace md::kraken
