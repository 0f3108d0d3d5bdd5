#pragma once

#include "domain/decimal.h"
#include "domain/instrument.h"
#include "domain/types.h"

#include <map>
#include <string>
#include <vector>

namespace md {

/// One asset's net position: what this run's fills added (bought base, sold quote) or took away.
struct AssetPosition {
    std::string asset;
    Decimal net;
};

/// Net position per asset from this run's fills, per market and desk-wide: a buy adds its quantity
/// to the base asset and takes its notional from the quote asset; a sell the opposite. Exact.
/// The close-out reports what is left, and the risk gate limits it (per market and desk-wide).
/// Issue 15 extends this class with average entry, realized and unrealized P&L and fees; it is
/// deliberately only the arithmetic both need.
/// Thread: one thread (the event network's); a value type, copy it to hand it over.
class NetPositions {
public:
    void onFill(MarketId market, const Instrument& instrument, Side side, Price price, Quantity quantity);

    /// Zero when nothing of that asset was traded.
    Decimal desk(const std::string& asset) const;
    Decimal market(MarketId market, const std::string& asset) const;
    /// Every asset this run traded, by name; zero positions included (they were traded flat).
    std::vector<AssetPosition> deskPositions() const;
    std::vector<AssetPosition> marketPositions(MarketId market) const;
    /// Adds a market's positions into a desk-wide list (by asset).
    static void accumulate(std::vector<AssetPosition>& into, const std::vector<AssetPosition>& add);

private:
    std::map<std::string, Decimal> m_desk;
    std::map<MarketId, std::map<std::string, Decimal>> m_markets;
};

} // namespace md
