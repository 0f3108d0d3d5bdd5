#pragma once

#include "domain/events.h"
#include "domain/marketspec.h"
#include "positions/moneysnapshot.h"
#include "positions/pnlledger.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace md {

/// The desk's money from its fills and balance reports: a PnlLedger per market, the balances each
/// market's connector reported, and the totals per quote currency and per base asset.
/// Thread: a value type; used by one thread at a time (the PositionKeeper's).
class MoneyBook {
public:
    /// `owners`: each strategy's id by owner (the names of the per-strategy figures).
    explicit MoneyBook(const std::vector<MarketSpec>& markets, std::vector<std::string> owners = {});

    /// Into the market's ledger and its owner's ledger on that market.
    void onFill(MarketId market, const OrderFilled& fill, OwnerId owner = 0);
    void onBalance(MarketId market, const BalanceUpdated& balance);
    void mark(MarketId market, std::optional<Price> bestBid, std::optional<Price> bestAsk);
    /// The day's realized P&L and fees of earlier runs (from the journal), before this run's fills.
    void carry(MarketId market, Decimal realized, Decimal feesInQuote, const std::map<std::string, Decimal>& otherFees);

    const PnlLedger& ledger(MarketId market) const { return m_markets.at(market).ledger; }
    std::size_t marketCount() const { return m_markets.size(); }
    MoneySnapshot snapshot() const;

private:
    struct Market {
        std::string name;
        PnlLedger ledger;
        std::map<std::string, std::pair<Decimal, Decimal>> balances; // asset -> free, locked
        std::optional<Price> bid, ask;                               // the latest mark
    };
    std::vector<Market> m_markets;
    std::vector<std::string> m_owners;
    std::map<std::pair<OwnerId, MarketId>, PnlLedger> m_owned; // by owner, then market: only those with fills
};

} // namespace md
