#pragma once

#include "domain/action.h"
#include "domain/events.h"
#include "domain/instrument.h"
#include "risk/rejectionreason.h"
#include "risk/risklimits.h"
#include "risk/tradingstate.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace md {

/// Decides, before an action is queued, whether it may go: trading state (Halted passes cancels
/// only; ReduceOnly passes only placements that shrink the position), order rate (token bucket),
/// open orders, order notional and position per asset (counting what open orders could add).
/// It learns positions and open orders from the market's own order events.
/// Thread: the event-network thread. Pure: time comes in as an argument.
class RiskGate {
public:
    RiskGate(std::vector<Instrument> instruments, RiskLimits limits);

    /// nullopt when the action may be queued; otherwise why it may not (the text names the limit).
    std::optional<Refusal> check(MarketId market, const ActionKind& action, std::int64_t nowNs);
    /// Records that a checked placement was queued (it counts as open until it ends).
    void onQueued(MarketId market, const ActionKind& action);
    void onEvent(const TradingEvent& event);

    void setGlobalState(TradingState state) { m_global = state; }
    TradingState globalState() const { return m_global; }
    void setMarketState(MarketId market, TradingState state) { m_markets.at(market).state = state; }
    TradingState effectiveState(MarketId market) const { return strictest(m_global, m_markets.at(market).state); }
    /// Net position of an asset (base bought minus sold, quote the opposite), from fills.
    Decimal position(const std::string& asset) const;
    int openOrders(MarketId market) const { return static_cast<int>(m_markets.at(market).open.size()); }
    const RiskLimits& limits() const { return m_limits; }

private:
    struct OpenOrder {
        Side side;
        Quantity remaining;
    };
    struct MarketRisk {
        Instrument instrument;
        TradingState state = TradingState::Active;
        double tokens = 0;
        std::int64_t lastRefillNs = 0;
        std::map<ClientOrderId, OpenOrder> open;
    };

    std::optional<Refusal> checkPlacement(MarketRisk& m, const PlaceLimit& p, std::int64_t nowNs);
    /// Position of the base asset if every open buy (or sell) of ours filled, plus this order.
    Decimal worstPosition(const MarketRisk& m, const PlaceLimit& p) const;

    std::vector<MarketRisk> m_markets;
    RiskLimits m_limits;
    TradingState m_global = TradingState::Active;
    std::map<std::string, Decimal> m_positions;
};

} // namespace md
