#pragma once

#include "domain/action.h"
#include "domain/instrument.h"
#include "domain/marketspec.h"
#include "engine/eventsink.h"

#include <QJsonObject>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace md {

/// What a producer can ask of the thread it runs on.
/// Thread: the market's producer thread.
class ProducerControl {
public:
    virtual ~ProducerControl() = default;
    /// True once the market is stopping; loop-style producers return soon after.
    virtual bool stopRequested() const = 0;
    /// Sleeps until `timeout` passes or a stop is requested; returns true when stopping.
    virtual bool waitForStop(std::chrono::nanoseconds timeout) = 0;
    /// Runs this thread's Qt event loop until a stop is requested (socket-driven producers).
    virtual void runEventLoop() = 0;
};

/// Runs on the producer thread until asked to stop; fires events through its EventSink.
using Producer = std::function<void(ProducerControl&)>;
/// Called on the executor thread once per action, in FIFO order. Outcomes come back as events.
using Executor = std::function<void(const Action&)>;
/// Runs on the executor thread after the queue is sealed and drained: free local resources.
using Terminator = std::function<void()>;

/// One connector-specific health figure (stream age, weight headroom, clock skew, ...).
struct ConnectorDetail {
    std::string key;  // snake_case, used as metric name suffix
    double value = 0; // numeric value for metrics
    std::string text; // human-readable, for the window
};
/// Reads the connector's own health; called from any thread, must be thread-safe and quick.
using Inspector = std::function<std::vector<ConnectorDetail>()>;

/// An order the exchange reports as open.
struct OpenOrderInfo {
    ClientOrderId id = 0; // 0 when the order is not one of ours
    std::string exchangeId;
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
    Quantity filled;
    std::string orderTag; // the run tag in its exchange client id (MarketSpec::orderTag), "" if none
};
/// Asks the exchange which orders are open; nullopt when it cannot be reached. Any thread, may block.
using OpenOrdersQuery = std::function<std::optional<std::vector<OpenOrderInfo>>()>;

/// The three callables of the seed's Initializer, sharing one private state, plus optional extras.
struct ConnectorParts {
    Producer producer;
    Executor executor;
    Terminator terminator;
    Inspector inspector;             // optional
    OpenOrdersQuery openOrdersQuery; // optional
};

/// A kind of connector ("sim", "binance"): validates its settings and builds a market's parts.
/// Lifetime: the process's. A market's threads that outlive their grace are abandoned, not ended,
/// and may run the connector's code — and whatever its state refers to — until the process exits,
/// long after the engine is gone: a factory is a static or leaked object, never a stack or member one.
/// Thread: initialize() is called on the engine's thread each time the market starts (fresh state).
/// Errors: validate() returns a message naming the offending field under `path`;
///         initialize() may throw, which fails that market only.
class ConnectorFactory {
public:
    virtual ~ConnectorFactory() = default;
    virtual std::string kind() const = 0;
    virtual std::optional<std::string> validate(const QJsonObject& settings, const std::string& path) const = 0;
    /// The whole market: settings that only make sense with its instrument (a simulated mid on the
    /// tick grid, say). `path` names the market ("markets[1]"); the default checks the settings alone.
    virtual std::optional<std::string> validateMarket(const MarketSpec& market, const std::string& path) const {
        return validate(market.settings, path + ".settings");
    }
    virtual ConnectorParts initialize(const MarketSpec& market, EventSink sink) const = 0;
};

} // namespace md
