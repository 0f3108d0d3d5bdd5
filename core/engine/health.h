#pragma once

#include "domain/types.h"
#include "engine/connector.h"
#include "engine/marketview.h"
#include "positions/moneysnapshot.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace md {

/// Tick-to-action latency buckets (upper bounds in microseconds), shared by health and metrics.
inline constexpr std::array<double, 12> kLatencyBucketsUs{5, 10, 20, 30, 50, 100, 200, 500, 1000, 5000, 20000, 100000};

struct LatencyHistogram {
    std::array<std::uint64_t, kLatencyBucketsUs.size() + 1> counts{}; // last bucket is +Inf
    double sumUs = 0;
    std::uint64_t total = 0;
    LatencyHistogram& operator+=(const LatencyHistogram& o) {
        for (std::size_t i = 0; i < counts.size(); ++i)
            counts[i] += o.counts[i];
        sumUs += o.sumUs;
        total += o.total;
        return *this;
    }
};

/// One market's health at one moment; a plain value, copied out of the engine.
struct MarketHealth {
    MarketId id = 0;
    std::string name;
    std::string connector;
    std::string symbol;
    MarketState state = MarketState::Stopped;
    std::string stateReason; // why Failed / Killed / Degraded
    std::uint64_t eventsTotal = 0;
    double eventsPerSecond = 0;
    double lastEventAgeSeconds = -1; // any event, our order events included; -1: no event yet
    double lastDataAgeSeconds = -1;  // the market's own data (its book): "last data"; -1: none yet
    // Every action accepted into a queue ends in exactly one of executed, not executed and outcome
    // unknown, or is still waiting (queueDepth): enqueued = executed + notExecuted + unknown + depth.
    std::uint64_t actionsEnqueued = 0;
    std::uint64_t actionsExecuted = 0;
    std::uint64_t actionsRejected = 0;       // refused before the queue (halted, stopping, risk)
    std::uint64_t actionsNotExecuted = 0;    // queued, then taken back: never reached the connector
    std::uint64_t actionsOutcomeUnknown = 0; // in the connector's hands when its executor was killed or threw
    std::uint64_t queueDepth = 0;            // queued, plus the one the executor holds
    double oldestActionAgeSeconds = 0;
    std::uint64_t openOrders = 0;
    std::uint64_t errors = 0;         // parse errors + executor errors + rejections by the exchange
    std::uint64_t ordersRejected = 0; // placements refused by the risk gate, the queue or the exchange
    std::vector<std::pair<std::string, std::uint64_t>> rejectionsByReason; // non-zero reasons only
    std::string lastRejection;                                             // the latest rejection's reason
    std::uint64_t parseErrors = 0;
    std::uint64_t droppedLateEvents = 0;
    std::string lastError;
    double bestBid = 0; // display only
    double bestAsk = 0;
    std::uint64_t restarts = 0;
    std::string tradingState = "active"; // active, reduce-only, halted (desk, market or breaker)
    std::string breakerReason;           // why the market's breaker halted it, empty when not tripped
    bool executorStuck = false;          // its oldest action is older than stuck_action_seconds (breaker)
    LatencyHistogram tickToAction;
    std::vector<ConnectorDetail> details;
};

/// Where one market is in the shutdown (for the dialog).
struct MarketShutdownProgress {
    MarketId id = 0;
    std::string name;
    enum class Phase { Draining, Terminating, Done, Killed, NotRunning } phase = Phase::NotRunning;
    std::uint64_t actionsLeft = 0;
};

struct ShutdownProgress {
    bool active = false;
    double secondsLeft = 0; // of the grace period
    double graceSeconds = 0;
    bool strategyDone = false;
    std::vector<MarketShutdownProgress> markets;
};

/// Close-out of one market.
struct MarketShutdownReport {
    MarketId id = 0;
    std::string name;
    bool clean = true; // false: a thread outlived its grace and was abandoned
    std::string detail;
    std::uint64_t actionsExecuted = 0;
    std::uint64_t actionsNotExecuted = 0;        // queued but never reached the connector
    std::optional<std::uint64_t> ordersLeftOpen; // nullopt: unknown (never reads 0 when nobody knows)
    std::vector<ClientOrderId> openOrderIds;     // as the event network saw them
    std::uint64_t ordersUnknown = 0;             // placements never acknowledged: state on the exchange unknown
    bool verified = false;                       // the exchange was asked after the stop
    std::vector<OpenOrderInfo> openOnExchange;   // what it said is really open
    std::uint64_t actionsOutcomeUnknown = 0;     // reached the connector, which never said how it ended
    // Every order left behind, as the event network last saw it: open (or partly filled), or sent and
    // never acknowledged (status Pending: outcome unknown).
    std::vector<OrderView> ordersLeft;
};

struct ShutdownReport {
    std::vector<MarketShutdownReport> markets;
    double seconds = 0;
    bool strategyAnswered = false;     // ShutdownDone came in time, before the markets were stopped
    bool strategyAnsweredLate = false; // it came after its timeout, when the markets were stopping already
    /// Positions (fees in the base taken, restored ones included), P&L and fees at the close, per market,
    /// per base asset and per quote currency: the one source of "position left" (issue 15).
    MoneySnapshot money;
    std::vector<AssetMoney> exposure; // money.assets that are not flat

    /// No market had to be killed (the exit code).
    bool allClean() const {
        for (const auto& m : markets)
            if (!m.clean)
                return false;
        return true;
    }
    std::uint64_t ordersLeft() const {
        std::uint64_t n = 0;
        for (const auto& m : markets)
            n += m.ordersLeft.size();
        return n;
    }
    /// Anything a trader must look at: a kill, actions never executed or of unknown outcome, orders left
    /// open, of unknown outcome or not known at all, a strategy that did not answer in time, exposure left behind.
    bool needsAttention() const {
        if (!allClean() || ordersLeft() > 0 || !strategyAnswered || !exposure.empty())
            return true;
        for (const auto& m : markets)
            if (m.actionsNotExecuted > 0 || m.actionsOutcomeUnknown > 0 || !m.ordersLeftOpen || *m.ordersLeftOpen > 0 ||
                m.ordersUnknown > 0)
                return true;
        return false;
    }
};

} // namespace md
