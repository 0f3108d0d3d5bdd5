#include "positions/moneybook.h"

#include "domain/clock.h"

namespace md {

MoneyBook::MoneyBook(const std::vector<MarketSpec>& markets, std::vector<std::string> owners)
    : m_owners(std::move(owners)) {
    m_markets.reserve(markets.size());
    for (const auto& spec : markets)
        m_markets.push_back(Market{spec.name, PnlLedger(spec.instrument), {}, {}, {}});
}

void MoneyBook::onFill(MarketId market, const OrderFilled& f, OwnerId owner) {
    if (market >= m_markets.size())
        return;
    PnlLedger& ledger = m_markets[market].ledger;
    ledger.onFill(f.side, f.price, f.quantity, f.fee(), f.feeAsset());
    auto [it, added] = m_owned.try_emplace({owner, market}, ledger.instrument());
    if (added) // marked like the market's from its first fill on
        it->second.mark(m_markets[market].bid, m_markets[market].ask);
    it->second.onFill(f.side, f.price, f.quantity, f.fee(), f.feeAsset());
}

void MoneyBook::onBalance(MarketId market, const BalanceUpdated& b) {
    if (market < m_markets.size())
        m_markets[market].balances[b.asset] = {b.free.decimal(), b.locked.decimal()};
}

void MoneyBook::mark(MarketId market, std::optional<Price> bestBid, std::optional<Price> bestAsk) {
    if (market >= m_markets.size())
        return;
    m_markets[market].ledger.mark(bestBid, bestAsk);
    if (bestBid && bestAsk) {
        m_markets[market].bid = bestBid;
        m_markets[market].ask = bestAsk;
    }
    for (auto& [key, ledger] : m_owned)
        if (key.second == market)
            ledger.mark(bestBid, bestAsk);
}

void MoneyBook::carry(MarketId market, Decimal realized, Decimal feesInQuote,
                      const std::map<std::string, Decimal>& otherFees) {
    if (market < m_markets.size())
        m_markets[market].ledger.addCarried(realized, feesInQuote, otherFees);
}

MoneySnapshot MoneyBook::snapshot() const {
    MoneySnapshot s;
    s.timeMs = wallNowMs();
    std::map<std::string, CurrencyMoney> currencies;
    std::map<std::string, Decimal> assets;
    for (std::size_t i = 0; i < m_markets.size(); ++i) {
        const Market& m = m_markets[i];
        const PnlLedger& l = m.ledger;
        MarketMoney mm;
        mm.market = static_cast<MarketId>(i);
        mm.name = m.name;
        mm.base = l.instrument().base;
        mm.quote = l.instrument().quote;
        mm.position = l.position();
        mm.averageEntry = l.averageEntry();
        mm.marked = l.mid().has_value();
        mm.mid = l.mid().value_or(Decimal());
        mm.realized = l.realized();
        mm.unrealized = l.unrealized();
        mm.feesInQuote = l.feesInQuote();
        mm.net = l.net();
        mm.fees = l.fees();
        mm.fills = l.fillCount();
        CurrencyMoney& c = currencies[mm.quote];
        c.currency = mm.quote;
        c.realized += mm.realized;
        c.unrealized += mm.unrealized;
        c.fees += mm.feesInQuote;
        c.net += mm.net;
        if (l.fillCount() > 0)
            assets[mm.base] += mm.position;
        for (const auto& [asset, amount] : mm.fees) {
            s.feesByAsset[asset] += amount;
            if (asset != mm.base && asset != mm.quote)
                s.otherFees[asset] += amount;
        }
        for (const auto& [asset, fl] : m.balances)
            s.balances.push_back({mm.market, m.name, asset, fl.first, fl.second});
        s.markets.push_back(std::move(mm));
    }
    for (const auto& [key, l] : m_owned) {
        const auto [owner, market] = key;
        StrategyMoney sm;
        sm.owner = owner;
        sm.strategy = owner == kManualOwner     ? std::string("manual")
                      : owner < m_owners.size() ? m_owners[owner]
                                                : "strategy " + std::to_string(owner);
        sm.market = market;
        sm.marketName = m_markets[market].name;
        sm.base = l.instrument().base;
        sm.quote = l.instrument().quote;
        sm.position = l.position();
        sm.realized = l.realized();
        sm.unrealized = l.unrealized();
        sm.feesInQuote = l.feesInQuote();
        sm.net = l.net();
        sm.fills = l.fillCount();
        s.strategies.push_back(std::move(sm));
    }
    for (auto& [name, c] : currencies)
        s.currencies.push_back(std::move(c));
    for (const auto& [asset, position] : assets)
        s.assets.push_back({asset, position});
    return s;
}

} // namespace md
