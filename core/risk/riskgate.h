#pragma once

#include "domain/action.h"
#include "domain/events.h"
#include "domain/instrument.h"
#include "positions/pnlledger.h"
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
/// open orders, order notional and position per asset, desk-wide and per market (counting what open
/// orders could add).
/// It learns positions and open orders from the market's own order events; a market's position is its
/// PnlLedger's (the one rule of docs/PNL.md: a fee taken in the base asset leaves the position), so the
/// gate limits the same figure the Positions panel and the close-out show.
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
    /// This run's position in a base asset, summed over every market that trades it (fees in it taken).
    Decimal position(const std::string& asset) const;
    /// One market's position in its base asset.
    Decimal marketPosition(MarketId market) const { return m_markets.at(market).ledger.position(); }
    int openOrders(MarketId market) const { return static_cast<int>(m_markets.at(market).open.size()); }
    const RiskLimits& limits() const { return m_limits; }

private:
    struct OpenOrder {
        Side side;
        Quantity remaining;
    };
    struct MarketRisk {
        MarketId id = 0;
        Instrument instrument;
        TradingState state = TradingState::Active;
        double tokens = 0;
        std::int64_t lastRefillNs = 0;
        std::map<ClientOrderId, OpenOrder> open;
        PnlLedger ledger;
    };

    std::optional<Refusal> checkPlacement(MarketRisk& m, const PlaceLimit& p, std::int64_t nowNs);
    /// Position `base` of the base asset if every open buy (or sell) of ours on this market filled,
    /// plus this order; absolute.
    Decimal worstPosition(const MarketRisk& m, const PlaceLimit& p, Decimal base) const;

    std::vector<MarketRisk> m_markets;
    RiskLimits m_limits;
    TradingState m_global = TradingState::Active;
};

} // namespace md
