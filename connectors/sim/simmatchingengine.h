#pragma once

#include "simbookgenerator.h"

#include "domain/action.h"
#include "domain/events.h"
#include "domain/instrument.h"
#include "engine/connector.h"

#include <map>
#include <string>
#include <vector>

namespace md {

/// The simulated exchange's engine for our own orders: checks and accepts placements (tick, step,
/// balance), fills the marketable part against the public book at once, rests the rest, fills
/// resting orders when the trade flow or the book moves through their price, cancels, and keeps
/// free and locked balances. Produces events in the order DESIGN §1 promises: Placed, Filled*,
/// then exactly one Cancelled or Done (Rejected instead of Placed).
/// Thread: owned by one thread at a time (the connector's lock). Pure: no clock, no I/O.
class SimMatchingEngine {
public:
    struct Balance {
        Decimal free;
        Decimal locked;
    };

    /// Fee rates as fractions of the traded amount ("0.001" = 0.1 %): maker for fills of a resting
    /// order, taker for the part of a placement that trades at once.
    struct FeeRates {
        Decimal maker;
        Decimal taker;
    };
    /// Fees are rounded up to this many decimals (the precision Binance reports commissions in).
    static constexpr int kFeeScale = 8;

    SimMatchingEngine(Instrument instrument, std::map<std::string, Decimal> balances, FeeRates fees = {});

    void place(const PlaceLimit& order, SimBookGenerator& book, std::vector<TradingEventPayload>& events,
               std::vector<SimMessage>& marketData);
    /// False when the id is unknown (never placed, or already finished).
    bool cancel(ClientOrderId id, std::vector<TradingEventPayload>& events);
    void cancelAll(std::vector<TradingEventPayload>& events);
    /// A public trade: resting orders on the passive side at or better than its price fill.
    void onTrade(const SimTrade& trade, std::vector<TradingEventPayload>& events);
    /// The public book moved: resting orders it crossed fill at their own price.
    void onBookMoved(std::optional<std::int64_t> bestBid, std::optional<std::int64_t> bestAsk,
                     std::vector<TradingEventPayload>& events);

    std::size_t openOrders() const { return m_orders.size(); }
    /// Our resting orders as the exchange would list them.
    std::vector<OpenOrderInfo> openOrderList() const;
    Balance balance(const std::string& asset) const;

private:
    struct Resting {
        ClientOrderId id;
        Side side;
        std::int64_t price;     // units of the tick scale
        std::int64_t remaining; // units of the step scale
    };

    /// Fills `quantity` at execution `price` (units), moving balances and charging the fee: like
    /// Binance without BNB, in the asset received (a buy pays in base, a sell in quote).
    void fill(Resting& order, std::int64_t quantity, std::int64_t price, bool maker,
              std::vector<TradingEventPayload>& events);
    void finish(ClientOrderId id, std::vector<TradingEventPayload>& events);
    Decimal notional(std::int64_t price, std::int64_t quantity) const;
    void balanceEvent(const std::string& asset, std::vector<TradingEventPayload>& events);

    Instrument m_instrument;
    int m_priceScale;
    int m_quantityScale;
    FeeRates m_fees;
    std::map<std::string, Balance> m_balances;
    std::map<ClientOrderId, Resting> m_orders;
};

} // namespace md
