#pragma once

#include "engine/connector.h"
#include "strategy/strategy.h"

#include <QString>

#include <atomic>
#include <mutex>

namespace md::test {

/// A connector whose behaviour a test chooses with settings {"behaviour": ..., "interval_us": ...}:
/// normal, hang_executor, hang_terminator, throw_producer, throw_executor, slow_executor, garbage,
/// stall_data (book updates stop after a few), degrade_then_recover (Degraded at update 50, Running at 1500).
/// The producer fires a book snapshot, then one book change every interval; the executor acks
/// placements (OrderPlaced) and cancels (OrderCancelled) at once, through the sink.
class ScriptedConnectorFactory : public ConnectorFactory {
public:
    std::string kind() const override { return "scripted"; }
    std::optional<std::string> validate(const QJsonObject&, const std::string&) const override { return {}; }
    ConnectorParts initialize(const MarketSpec& market, EventSink sink) const override;

    mutable std::atomic<int> initializations{0};
    mutable std::atomic<int> cancelAlls{0};
    mutable std::atomic<int> cancelAllsOfEveryRun{0}; // scope All: earlier runs' orders included
    mutable std::atomic<int> terminators{0};
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
    std::atomic<bool> throwNext{false};
    std::string lastRejection() const {
        std::lock_guard lock(m_mutex);
        return m_lastRejection;
    }

private:
    MarketId m_source;
    MarketId m_target;
    int m_every;
    int m_count = 0;
    ClientOrderId m_nextId = 1;
    mutable std::mutex m_mutex;
    std::string m_lastRejection;
};

/// Market states as text, so QCOMPARE prints them.
inline QString st(MarketState s) {
    const auto name = nameOf(s);
    return QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()));
}

MarketSpec scriptedMarket(MarketId id, const std::string& name, const std::string& behaviour, int intervalUs = 200);

} // namespace md::test
