#pragma once

#include "domain/events.h"
#include "domain/orderowner.h"
#include "engine/mpscqueue.h"

#include <variant>

namespace md {

/// One fill or balance report of one market, on its way to the PositionKeeper.
struct MoneyEvent {
    MarketId market = 0;
    std::variant<OrderFilled, BalanceUpdated> what;
    OwnerId owner = 0; // a fill: whose order it filled (a strategy's index, kManualOwner)
};

/// The hand-off from the event network to the PositionKeeper: the network only pushes (lock-free,
/// never blocks), so positions and P&L cost the network one push per fill or balance report.
/// Thread: push from any thread; consume from one consumer at a time (the keeper, under its lock).
class MoneyInbox {
public:
    void push(MarketId market, const OrderFilled& fill, OwnerId owner = 0) {
        m_queue.push(MoneyEvent{market, fill, owner});
    }
    void push(MarketId market, const BalanceUpdated& balance) { m_queue.push(MoneyEvent{market, balance}); }
    bool tryPop(MoneyEvent& out) { return m_queue.tryPop(out); }

private:
    MpscQueue<MoneyEvent, 64> m_queue;
};

} // namespace md
