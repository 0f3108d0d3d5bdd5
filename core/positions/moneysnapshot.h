#pragma once

#include "domain/decimal.h"
#include "domain/orderowner.h"
#include "domain/types.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace md {

/// One market's position and P&L (PnlLedger's figures), in its quote currency.
struct MarketMoney {
    MarketId market = 0;
    std::string name;
    std::string base;
    std::string quote;
    Decimal position;     // base, signed
    Decimal averageEntry; // quote per base; zero when flat
    Decimal mid;          // the mark; zero when never marked
    bool marked = false;
    Decimal realized;                    // gross of fees (this run and the day's earlier runs)
    Decimal unrealized;                  // this run's position at the mid
    Decimal feesInQuote;                 // quote fees + base fees at their fill's price
    Decimal net;                         // realized + unrealized - fees in quote
    std::map<std::string, Decimal> fees; // as charged, per asset (a third asset is never converted)
    std::uint64_t fills = 0;
};

/// One strategy's (or the trader's manual orders') position and P&L on one market, from its own fills
/// (issue 17): the same average-cost ledger and fees as the market's, marked at the same mid. The
/// market's figures are those of all its owners' fills together: the owners' `net` add up to the
/// market's net (realized and unrealized alone need not: average cost is per ledger).
struct StrategyMoney {
    OwnerId owner = 0;
    std::string strategy; // its id; "manual" for the trader's orders
    MarketId market = 0;
    std::string marketName;
    std::string base;
    std::string quote;
    Decimal position;
    Decimal realized;
    Decimal unrealized;
    Decimal feesInQuote;
    Decimal net;
    std::uint64_t fills = 0;
};

/// Totals of every market quoted in one currency (never converted across currencies).
struct CurrencyMoney {
    std::string currency;
    Decimal realized;
    Decimal unrealized;
    Decimal fees;
    Decimal net;
};

/// A base asset's position summed over every market that trades it.
struct AssetMoney {
    std::string asset;
    Decimal position;
};

/// Free and locked balance of one asset on one market's account, as its connector last said.
struct BalanceRow {
    MarketId market = 0;
    std::string marketName;
    std::string asset;
    Decimal free;
    Decimal locked;
};

/// The desk's money at one moment: published by the PositionKeeper, read by anyone.
struct MoneySnapshot {
    std::uint64_t version = 0;
    std::int64_t timeMs = 0;
    std::vector<MarketMoney> markets;      // one per configured market, in market order
    std::vector<StrategyMoney> strategies; // one per owner and market it has fills on, by owner then market
    std::vector<CurrencyMoney> currencies; // by currency name
    std::vector<AssetMoney> assets;        // by asset name; only assets traded in this run
    std::vector<BalanceRow> balances;      // by market, then asset
    /// Fees in assets that are no market's quote, summed desk-wide (e.g. BNB), by asset.
    std::map<std::string, Decimal> otherFees;
    /// Fees by asset over every market, as charged.
    std::map<std::string, Decimal> feesByAsset;

    const CurrencyMoney* currency(const std::string& name) const {
        for (const auto& c : currencies)
            if (c.currency == name)
                return &c;
        return nullptr;
    }
};

} // namespace md
