#include "binance/filtercheck.h"

namespace md::binance {

namespace {
std::string t(Decimal d) {
    return d.toTrimmedString();
}
} // namespace

std::optional<std::string> checkFilters(const SymbolFilters& f, Side side, Price price, Quantity quantity,
                                        std::optional<Decimal> averagePrice, int openOrders) {
    const Decimal p = price.decimal();
    const Decimal q = quantity.decimal();
    // Zero disables a bound (filters.md: "Any of the above variables can be set to 0").
    if (f.minPrice.isPositive() && p < f.minPrice)
        return "Filter failure: PRICE_FILTER (price " + t(p) + " below minPrice " + t(f.minPrice) + ")";
    if (f.maxPrice.isPositive() && p > f.maxPrice)
        return "Filter failure: PRICE_FILTER (price " + t(p) + " above maxPrice " + t(f.maxPrice) + ")";
    if (f.tickSize.isPositive() && !p.isMultipleOf(f.tickSize))
        return "Filter failure: PRICE_FILTER (price " + t(p) + " not a multiple of tickSize " + t(f.tickSize) + ")";
    if (f.minQty.isPositive() && q < f.minQty)
        return "Filter failure: LOT_SIZE (quantity " + t(q) + " below minQty " + t(f.minQty) + ")";
    if (f.maxQty.isPositive() && q > f.maxQty)
        return "Filter failure: LOT_SIZE (quantity " + t(q) + " above maxQty " + t(f.maxQty) + ")";
    if (f.stepSize.isPositive() && !q.isMultipleOf(f.stepSize))
        return "Filter failure: LOT_SIZE (quantity " + t(q) + " not a multiple of stepSize " + t(f.stepSize) + ")";
    const Decimal notional = p * q;
    if (f.minNotional.isPositive() && notional < f.minNotional)
        return "Filter failure: NOTIONAL (price × quantity " + t(notional) + " below minNotional " + t(f.minNotional) +
               ")";
    if (f.maxNotional.isPositive() && notional > f.maxNotional)
        return "Filter failure: NOTIONAL (price × quantity " + t(notional) + " above maxNotional " + t(f.maxNotional) +
               ")";
    if (averagePrice && averagePrice->isPositive()) {
        const Decimal avg = *averagePrice;
        if (f.hasPercentPriceBySide) {
            const bool bid = side == Side::Bid;
            const Decimal up = avg * (bid ? f.bidMultiplierUp : f.askMultiplierUp);
            const Decimal down = avg * (bid ? f.bidMultiplierDown : f.askMultiplierDown);
            if (p > up || p < down)
                return "Filter failure: PERCENT_PRICE_BY_SIDE (" + std::string(bid ? "bid" : "ask") + " price " + t(p) +
                       " outside " + t(down) + " .. " + t(up) + " around the average price " + t(avg) + ")";
        }
        if (f.hasPercentPrice) {
            const Decimal up = avg * f.multiplierUp;
            const Decimal down = avg * f.multiplierDown;
            if (p > up || p < down)
                return "Filter failure: PERCENT_PRICE (price " + t(p) + " outside " + t(down) + " .. " + t(up) +
                       " around the average price " + t(avg) + ")";
        }
    }
    if (f.maxNumOrders > 0 && openOrders + 1 > f.maxNumOrders)
        return "Filter failure: MAX_NUM_ORDERS (" + std::to_string(openOrders) +
               " orders open on the symbol, at most " + std::to_string(f.maxNumOrders) + ")";
    return std::nullopt;
}

} // namespace md::binance
