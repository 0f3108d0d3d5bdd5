#pragma once

// A strategy for connector tests: it places and cancels what the test thread tells it to (at its
// next event) and records every order and balance event it sees, in order.
#include "strategy/strategy.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace md::test {

/// Shared between the test thread and the event-network thread (one mutex).
struct OrderLog {
    mutable std::mutex mutex;
    ActionList pending;
    std::vector<TradingEventPayload> events;
    std::vector<BalanceUpdated> balances;

    void command(MarketAction action) {
        std::lock_guard lock(mutex);
        pending.push_back(std::move(action));
    }
    /// "placed 1", "filled 1 0.00100000@64000.00", "cancelled 1", "done 1", "rejected 1: reason".
    std::vector<std::string> story(ClientOrderId id) const {
        std::lock_guard lock(mutex);
        std::vector<std::string> out;
        for (const auto& e : events)
            std::visit(Overloaded{[&](const OrderPlaced& p) {
                                      if (p.id == id)
                                          out.push_back("placed");
                                  },
                                  [&](const OrderFilled& f) {
                                      if (f.id == id)
                                          out.push_back("filled " + f.quantity.toString() + "@" + f.price.toString());
                                  },
                                  [&](const OrderCancelled& c) {
                                      if (c.id == id)
                                          out.push_back("cancelled");
                                  },
                                  [&](const OrderDone& d) {
                                      if (d.id == id)
                                          out.push_back("done");
                                  },
                                  [&](const OrderRejected& r) {
                                      if (r.id == id)
                                          out.push_back("rejected: " + r.reason);
                                  },
                                  [](const auto&) {}},
                       e);
        return out;
    }
    std::string storyText(ClientOrderId id) const {
        std::string out;
        for (const auto& s : story(id))
            out += (out.empty() ? "" : " | ") + s;
        return out;
    }
    bool ended(ClientOrderId id) const {
        const auto s = story(id);
        return !s.empty() && (s.back() == "done" || s.back() == "cancelled" || s.back().rfind("rejected", 0) == 0);
    }
    std::string last(ClientOrderId id) const {
        const auto s = story(id);
        return s.empty() ? std::string() : s.back();
    }
    std::optional<BalanceUpdated> balance(const std::string& asset) const {
        std::lock_guard lock(mutex);
        for (auto it = balances.rbegin(); it != balances.rend(); ++it)
            if (it->asset == asset)
                return *it;
        return std::nullopt;
    }
};

class CommandedStrategy : public Strategy {
public:
    explicit CommandedStrategy(std::shared_ptr<OrderLog> log)
        : m_log(std::move(log)) {}
    std::string_view name() const override { return "commanded"; }
    StrategyAdvice onEvent(const TradingEvent& event, const StrategyContext&) override {
        StrategyAdvice advice;
        std::lock_guard lock(m_log->mutex);
        std::visit(Overloaded{[&](const BookUpdated&) {}, [&](const TradePrinted&) {},
                              [&](const MarketStatusChanged&) {},
                              [&](const BalanceUpdated& b) { m_log->balances.push_back(b); },
                              [&](const auto& orderEvent) { m_log->events.push_back(orderEvent); }},
                   event.payload);
        advice.actions = std::exchange(m_log->pending, {});
        return advice;
    }
    StrategyAdvice onControl(const ControlEvent& event, const StrategyContext&) override {
        StrategyAdvice advice;
        if (std::holds_alternative<ShuttingDown>(event))
            advice.control.push_back(ShutdownDone{});
        return advice;
    }

private:
    std::shared_ptr<OrderLog> m_log;
};

} // namespace md::test
