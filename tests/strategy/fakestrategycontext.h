#pragma once

#include "strategy/strategy.h"

#include <vector>

namespace md::test {

/// A StrategyContext whose books a test sets by hand.
class FakeStrategyContext : public StrategyContext {
public:
    struct Market {
        std::string name;
        Instrument instrument;
        OrderBook book;
    };

    void addMarket(std::string name, const char* tick, const char* step) {
        Instrument i;
        i.symbol = name;
        i.base = "BTC";
        i.quote = "USDT";
        i.tick = *Price::parse(tick);
        i.step = *Quantity::parse(step);
        m_markets.push_back({std::move(name), i, OrderBook(i.priceScale(), i.quantityScale())});
    }
    /// One level a side (enough for the strategies): best bid and best ask with their sizes.
    void setTop(MarketId m, const char* bid, const char* bidQty, const char* ask, const char* askQty) {
        auto& b = m_markets.at(m).book;
        b.applySnapshot({{*Price::parse(bid), *Quantity::parse(bidQty)}},
                        {{*Price::parse(ask), *Quantity::parse(askQty)}}, b.lastUpdateId() + 1);
    }
    OrderBook& mutableBook(MarketId m) { return m_markets.at(m).book; }

    std::size_t marketCount() const override { return m_markets.size(); }
    std::string_view marketName(MarketId m) const override { return m_markets.at(m).name; }
    const Instrument& instrument(MarketId m) const override { return m_markets.at(m).instrument; }
    const OrderBook& book(MarketId m) const override { return m_markets.at(m).book; }
    MarketState state(MarketId) const override { return MarketState::Running; }
    std::int64_t nowNs() const override { return m_nowNs; }
    void advance(std::int64_t ns) { m_nowNs += ns; }

private:
    std::vector<Market> m_markets;
    std::int64_t m_nowNs = 1'000'000'000;
};

inline TradingEvent at(MarketId market, TradingEventPayload payload) {
    return TradingEvent{market, 1, 0, std::move(payload)};
}

template <class T> std::vector<std::pair<MarketId, T>> actionsOf(const StrategyAdvice& advice) {
    std::vector<std::pair<MarketId, T>> out;
    for (const auto& a : advice.actions)
        if (const auto* t = std::get_if<T>(&a.action))
            out.emplace_back(a.market, *t);
    return out;
}

} // namespace md::test
