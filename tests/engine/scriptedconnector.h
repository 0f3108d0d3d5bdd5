#pragma once

#include "engine/connector.h"
#include "risk/risklimits.h"
#include "strategy/strategy.h"

#include <QString>

#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>

namespace md::test {

/// A connector whose behaviour a test chooses with settings {"behaviour": ..., "interval_us": ...}:
/// normal, hang_executor, hang_terminator, throw_producer, throw_executor, slow_executor, garbage,
/// stall_data (book updates stop after a few), degrade_then_recover (Degraded at update 50, Running at 1500),
/// gated_executor (every action waits while the factory's gate is closed), gated_then_throw (waits,
/// then throws), gated_terminator, reject_placements (the exchange refuses every placement:
/// "insufficient balance"), throw_query (the open-orders query throws), throw_query_at_closeout
/// (the first query answers, later ones throw), hang_query (the query waits for the gate), trades
/// (a public trade after every book change).
/// The producer fires a book snapshot, then one book change every interval; the executor acks
/// placements (OrderPlaced) and cancels (OrderCancelled) at once, through the sink.
/// Lives as long as the process (allocate it with `new` and never delete it): an abandoned thread
/// may run its connectors' code, and wait on its gate, after the test that made it has ended.
class ScriptedConnectorFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "scripted"; }
    std::optional<std::string> validate(const QJsonObject&, const std::string&) const override { return {}; }
    ConnectorParts initialize(const MarketSpec& market, EventSink sink) const override;

    /// The gate the gated behaviours wait on; closed until opened.
    void openGate() const;
    void closeGate() const;
    void waitAtGate() const;

    mutable std::atomic<int> initializations{0};
    mutable std::atomic<int> cancelAlls{0};
    mutable std::atomic<int> cancelAllsOfEveryRun{0}; // scope All: earlier runs' orders included
    mutable std::atomic<int> terminators{0};
    mutable std::atomic<int> openOrders{0};            // acknowledged and not cancelled, every market
    mutable std::array<std::atomic<int>, 8> calls{};   // per market id: actions that reached the executor
    mutable std::array<std::atomic<int>, 8> queries{}; // per market id: open-orders queries asked

private:
    mutable std::mutex m_gateMutex;
    mutable std::condition_variable m_gateOpened;
    mutable bool m_gateOpen = false;
};

/// Places one order on `target` every `every` book updates of `source`; cancels all and answers
/// ShutdownDone on ShuttingDown. Counts rejections it hears about.
class PingStrategy : public Strategy {
public:
    PingStrategy(MarketId source, MarketId target, int every)
        : m_source(source)
        , m_target(target)
        , m_every(every) {}
    std::string_view name() const override { return "ping"; }
    StrategyAdvice onEvent(const TradingEvent& event, const StrategyContext& context) override;
    StrategyAdvice onControl(const ControlEvent& event, const StrategyContext& context) override;

    std::atomic<int> placed{0};
    std::atomic<int> rejected{0};
    std::atomic<int> haltRejections{0};
    std::atomic<int> stoppingRejections{0}; // "market stopping"
    std::atomic<int> degradedHeard{0};      // MarketStatusChanged Degraded of the target
    std::atomic<int> runningHeard{0};       // MarketStatusChanged Running of the target
    std::atomic<bool> throwNext{false};
    std::atomic<bool> paused{false};         // places nothing while set
    std::atomic<bool> hangOnStopping{false}; // MarketStopping loops while set (a stuck strategy)
    std::atomic<int> foreignMarketEvents{0}; // events of markets other than its source and target
    std::atomic<int> foreignOrderEvents{0};  // order events whose id it never placed
    std::string lastRejection() const {
        std::lock_guard lock(m_mutex);
        return m_lastRejection;
    }
    std::string lastStatusReason() const {
        std::lock_guard lock(m_mutex);
        return m_lastStatusReason;
    }
    /// True once a rejection whose reason contains `text` was heard (any, not only the last).
    bool heardRejection(const std::string& text) const {
        std::lock_guard lock(m_mutex);
        for (const auto& reason : m_reasons)
            if (reason.find(text) != std::string::npos)
                return true;
        return false;
    }

private:
    MarketId m_source;
    MarketId m_target;
    int m_every;
    int m_count = 0;
    ClientOrderId m_nextId = 1;
    mutable std::mutex m_mutex;
    std::string m_lastRejection;
    std::string m_lastStatusReason;
    std::set<std::string> m_reasons; // distinct reasons heard
};

/// Market states as text, so QCOMPARE prints them.
inline QString st(MarketState s) {
    const auto name = nameOf(s);
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

MarketSpec scriptedMarket(MarketId id, const std::string& name, const std::string& behaviour, int intervalUs = 200);

} // namespace md::test
