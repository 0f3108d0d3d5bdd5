#pragma once

#include "decimal.h"

#include <string>

namespace md {

/// What is traded on one market and its exchange's granularity.
/// Prices on this market use tick.scale(), quantities use step.scale().
struct Instrument {
    std::string symbol; // exchange spelling, e.g. "BTCUSDT"
    std::string base;   // e.g. "BTC"
    std::string quote;  // e.g. "USDT"
    Price tick{1, 2};
    Quantity step{1, 8};
    Notional minNotional{0, 0};

    int priceScale() const { return tick.scale(); }
    int quantityScale() const { return step.scale(); }
    Price roundPrice(Price p, Rounding mode) const { return p.roundedTo(tick, mode); }
    Quantity roundQuantity(Quantity q, Rounding mode) const { return q.roundedTo(step, mode); }
};

} // namespace md
