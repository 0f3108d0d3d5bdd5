#include "kraken/executionmapping.h"

namespace md::kraken {

namespace {
Decimal at(const Decimal& d, int scale) {
    const auto exact = d.rescaled(scale);
    return exact ? *exact : d.rounded(scale, Rounding::Nearest);
}
} // namespace

std::optional<venue::OrderUpdate> toOrderUpdate(const Execution& e, int ps, int qs) {
    venue::OrderUpdate u;
    u.clientOrderId = e.clOrdId;
    u.exchangeOrderId = e.orderId;
    u.side = e.side == "sell" ? Side::Ask : Side::Bid;
    const std::string& s = e.orderStatus;
    if (e.execType == "filled" || s == "filled")
        u.state = venue::OrderState::Filled;
    else if (e.execType == "canceled" || s == "canceled")
        u.state = venue::OrderState::Cancelled;
    else if (e.execType == "expired" || s == "expired")
        u.state = venue::OrderState::Expired;
    else if (s == "partially_filled")
        u.state = venue::OrderState::PartiallyFilled;
    else if (s == "new" || s == "pending_new" || e.execType == "new" || e.execType == "pending_new")
        u.state = venue::OrderState::New;
    else if (e.execType == "trade")
        u.state = venue::OrderState::PartiallyFilled;
    else
        return std::nullopt; // amended, restated, status without a state we can use
    if (e.execType == "trade" && !e.hasCumQty)
        return std::nullopt; // a fill we cannot place in the cumulative count
    u.price = Price(at(e.limitPrice, ps));
    u.quantity = Quantity(at(e.orderQty, qs));
    u.executed = Quantity(at(e.cumQty, qs));
    if (e.hasLast) {
        u.lastPrice = Price(at(e.lastPrice, ps));
        u.lastQuantity = Quantity(at(e.lastQty, qs));
    }
    // The fee of this execution (https://docs.kraken.com/api/docs/websocket-v2/executions, `fees`):
    // Kraken charges one asset per execution (the quote by default, the base with `fcib`); entries in
    // that asset are summed. OrderFilled carries one fee, so an entry in a second asset (never seen in
    // the docs' examples) is not carried.
    for (const auto& fee : e.fees) {
        if (u.lastFeeAsset.empty())
            u.lastFeeAsset = fee.asset;
        if (fee.asset == u.lastFeeAsset)
            u.lastFee = u.lastFee + fee.qty;
    }
    if (u.lastFee.isZero())
        u.lastFeeAsset.clear();
    u.reason = e.reason;
    return u;
}

} // namespace md::kraken
