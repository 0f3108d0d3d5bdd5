#pragma once

#include "domain/advice.h"
#include "domain/events.h"
#include "domain/instrument.h"
#include "domain/orderbook.h"

#include <QJsonObject>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace md {

/// What the strategy may read about the markets while it decides: the event network's own
/// replicas of the books (already updated with the event being handled), and each market's state.
/// Thread: the event-network thread, only during a call into the strategy.
class StrategyContext {
public:
    virtual ~StrategyContext() = default;
    virtual std::size_t marketCount() const = 0;
    virtual std::string_view marketName(MarketId market) const = 0;
    virtual const Instrument& instrument(MarketId market) const = 0;
    virtual const OrderBook& book(MarketId market) const = 0;
    virtual MarketState state(MarketId market) const = 0;
    virtual std::int64_t nowNs() const = 0;
};

/// A trading strategy: deterministic, holds its own state, never touches threads, sockets or widgets.
/// Thread: the event-network thread; calls never overlap.
/// Errors: an exception halts trading (cancels still pass) and is shown to the user.
class Strategy {
public:
    virtual ~Strategy() = default;
    virtual std::string_view name() const = 0;
    virtual StrategyAdvice onEvent(const TradingEvent& event, const StrategyContext& context) = 0;
    /// ShuttingDown is answered with ShutdownDone in the advice's `control`, now or from a later
    /// onEvent (for example once its cancels are confirmed).
    virtual StrategyAdvice onControl(const ControlEvent& event, const StrategyContext& context) = 0;
    /// Live tuning (issue 17): the parameter keys that may change while it runs (none by default).
    virtual std::vector<std::string> liveKeys() const { return {}; }
    /// New parameters, validated by its factory, differing from the running ones in live keys only.
    /// The strategy applies them at its next decision (its next event), never in the middle of one.
    virtual void retune(const QJsonObject& params) { (void)params; }
};

} // namespace md
