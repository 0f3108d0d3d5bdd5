#pragma once

#include "strategy/quoteslot.h"
#include "strategy/strategy.h"
#include "strategy/strategyfactory.h"

#include <array>

namespace md {

struct MarketMakerParams {
    MarketId market = 0;
    int halfSpreadTicks = 5;  // distance of each quote from the mid
    Quantity orderQuantity;   // per quote
    Quantity maxPosition;     // |position| never exceeds it, counting what open quotes could add
    Decimal skewTicksPerUnit; // quotes shift this many ticks against each unit of position
    int requoteTicks = 1;     // move a quote only when the wanted price differs by this much
};

/// A simple market maker for one market: a bid and an ask around the mid, skewed against the
/// inventory, each cancelled once and re-placed after the confirmation when the mid has moved.
/// Thread: the event-network thread.
class MarketMakerStrategy : public Strategy {
public:
    explicit MarketMakerStrategy(MarketMakerParams params);

    std::string_view name() const override { return "market_maker"; }
    StrategyAdvice onEvent(const TradingEvent& event, const StrategyContext& context) override;
    StrategyAdvice onControl(const ControlEvent& event, const StrategyContext& context) override;
    /// Everything but the market: a new spread, size, position limit, skew or requote step takes effect
    /// at the next event (quotes already out stay until their next requote).
    std::vector<std::string> liveKeys() const override {
        return {"half_spread_ticks", "order_quantity", "max_position", "skew_ticks_per_unit", "requote_ticks"};
    }
    void retune(const QJsonObject& params) override;

    Decimal position() const { return m_position; }
    const QuoteSlot& quote(Side side) const { return m_quotes[side == Side::Bid ? 0 : 1]; }

private:
    std::optional<Price> wantedPrice(Side side, const StrategyContext& context) const;
    bool allowed(Side side) const;
    void answerShutdownIfDone(StrategyAdvice& advice);

    MarketMakerParams m_params;
    std::optional<MarketMakerParams> m_pending; // retuned, applied at the next event
    std::array<QuoteSlot, 2> m_quotes;
    Decimal m_position;
    ClientOrderId m_nextId = 1;
    bool m_shuttingDown = false;
    bool m_shutdownAnswered = false;
    bool m_up = true;
};

/// Reads and checks the `strategy` object of a `market_maker` configuration; error names the field.
std::optional<MarketMakerParams> readMarketMakerParams(const QJsonObject& params,
                                                       const std::vector<MarketSpec>& markets, const std::string& path,
                                                       std::string& error);

class MarketMakerStrategyFactory
    : public ParamsStrategyFactory<MarketMakerStrategy, MarketMakerParams, &readMarketMakerParams> {
public:
    MarketMakerStrategyFactory()
        : ParamsStrategyFactory("market_maker") {}
};

} // namespace md
