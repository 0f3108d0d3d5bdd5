#pragma once

#include <cstdint>

namespace md {

/// Who an order belongs to. Strategies are numbered 0..N-1 in the order the configuration names them
/// (today's single strategy is 0); the trader's manual orders are kManualOwner. The event network
/// remembers each order's owner and gives an order's events only to its owner: a strategy never
/// hears of the trader's orders, the trader's tools (ticket, orders panel) see all of them.
using OwnerId = std::uint16_t;
inline constexpr OwnerId kManualOwner = 0xFFFF;

} // namespace md
