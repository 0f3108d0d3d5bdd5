#pragma once

#include "domain/types.h"
#include "engine/connector.h"
#include "engine/health.h"
#include "risk/tradingstate.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace md {

/// Live figures of one market, written by whichever thread knows them (inbox: producer/executor
/// threads; event network; executor; engine) and read by anyone building a health snapshot.
/// Everything is an atomic except the few strings, which sit behind one short lock.
/// Lives on the heap, shared by every session of the market: an abandoned thread may still touch it.
/// Thread: any.
struct MarketCounters {
    std::atomic<MarketState> state{MarketState::Stopped};
    std::atomic<std::uint64_t> eventsTotal{0};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> droppedLateEvents{0};
    std::atomic<std::uint64_t> actionsEnqueued{0};
    std::atomic<std::uint64_t> actionsExecuted{0};
    std::atomic<std::uint64_t> actionsRejected{0};
    std::atomic<std::uint64_t> actionsNotExecuted{0}; // queued, then dropped by a failure or a kill
    std::atomic<std::uint64_t> executorErrors{0};
    std::atomic<std::uint64_t> openOrders{0};
    std::atomic<std::uint64_t> queueDepth{0};
    std::atomic<std::int64_t> oldestQueuedNs{0}; // 0 when the queue is empty
    std::atomic<std::uint64_t> inFlight{0};      // taken by the executor, not yet done (executor-owned)
    std::atomic<std::int64_t> inFlightOldestNs{0};
    std::atomic<std::int64_t> lastEventNs{0};
    std::atomic<std::uint64_t> restarts{0};
    std::atomic<double> eventsPerSecond{0};
    std::atomic<double> bestBid{0};
    std::atomic<double> bestAsk{0};
    std::atomic<TradingState> tradingState{TradingState::Active}; // effective: desk, market and breaker

    std::array<std::atomic<std::uint64_t>, kLatencyBucketsUs.size() + 1> latencyBuckets{};
    std::atomic<std::uint64_t> latencyCount{0};
    std::atomic<std::uint64_t> latencySumNs{0};

    /// Called by the executor thread only (single writer: plain stores, no locked instructions).
    void recordTickToAction(std::int64_t nanoseconds);
    /// Actions waiting: queued plus taken by the executor and not yet done.
    std::uint64_t pendingActions() const {
        return queueDepth.load(std::memory_order_relaxed) + inFlight.load(std::memory_order_relaxed);
    }
    /// Enqueue time of the oldest pending action, 0 when none.
    std::int64_t oldestPendingNs() const {
        const auto flying =
            inFlight.load(std::memory_order_relaxed) ? inFlightOldestNs.load(std::memory_order_relaxed) : 0;
        if (flying)
            return flying;
        // The stamp can outlive the last queued action for a moment (see ActionQueue): depth decides.
        return queueDepth.load(std::memory_order_relaxed) ? oldestQueuedNs.load(std::memory_order_relaxed) : 0;
    }
    LatencyHistogram latency() const;

    void setStateReason(std::string reason);
    std::string stateReason() const;
    void setLastError(std::string error);
    std::string lastError() const;
    void setBreakerReason(std::string reason);
    std::string breakerReason() const;
    void setInspector(Inspector inspector);
    Inspector inspector() const;

private:
    mutable std::mutex m_textMutex;
    std::string m_stateReason;
    std::string m_lastError;
    std::string m_breakerReason;
    Inspector m_inspector;
};

/// Monotonic nanoseconds (steady clock), the time base of receive and enqueue stamps.
std::int64_t steadyNowNs();
/// Wall clock, milliseconds since the epoch (for display).
std::int64_t wallNowMs();

} // namespace md
