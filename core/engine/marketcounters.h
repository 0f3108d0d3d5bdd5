#pragma once

#include "domain/types.h"
#include "engine/connector.h"
#include "engine/health.h"
#include "risk/tradingstate.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace md {

class ActionQueue;

/// Live figures of one market, written by whichever thread knows them (inbox: producer/executor
/// threads; event network; executor; engine) and read by anyone building a health snapshot.
/// Everything is an atomic except the few strings, which sit behind one short lock.
/// Lives on the heap, shared by every session of the market: an abandoned thread may still touch it.
/// Thread: any.
struct MarketCounters {
    // Grouped by writer, one cache line (or more) each: the event network and the executor each
    // write theirs for every event or action, and a shared line made the network's one counter
    // increment its most expensive instruction (perf, bench_engine).

    // Written by the event network for every event or action.
    alignas(64) std::atomic<std::uint64_t> eventsTotal{0};
    std::atomic<std::int64_t> lastEventNs{0};
    std::atomic<std::uint64_t> actionsEnqueuedByNetwork{0}; // single writer: see countEnqueuedByNetwork
    std::atomic<std::uint64_t> actionsRejected{0};
    std::atomic<std::uint64_t> openOrders{0};
    std::atomic<double> bestBid{0};
    std::atomic<double> bestAsk{0};
    std::atomic<TradingState> tradingState{TradingState::Active}; // effective: desk, market and breaker

    // Written by the executor for every action.
    alignas(64) std::atomic<std::uint64_t> actionsExecuted{0};
    std::atomic<std::uint64_t> inFlight{0}; // taken by the executor, not yet done (executor-owned)
    std::atomic<std::int64_t> inFlightOldestNs{0};
    std::array<std::atomic<std::uint64_t>, kLatencyBucketsUs.size() + 1> latencyBuckets{};
    std::atomic<std::uint64_t> latencyCount{0};
    std::atomic<std::uint64_t> latencySumNs{0};

    // Rarely written.
    alignas(64) std::atomic<MarketState> state{MarketState::Stopped};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> droppedLateEvents{0};
    std::atomic<std::uint64_t> actionsNotExecuted{0}; // queued, then dropped by a failure or a kill
    std::atomic<std::uint64_t> executorErrors{0};
    std::atomic<std::uint64_t> restarts{0};
    std::atomic<std::uint64_t> actionsEnqueuedByEngine{0}; // queued by the engine thread itself (stop)
    std::atomic<double> eventsPerSecond{0};

    /// Event-network thread only: a plain store, since a locked increment there waits for every
    /// store before it (the action just written into the queue) to reach the cache.
    void countEnqueuedByNetwork() {
        actionsEnqueuedByNetwork.store(actionsEnqueuedByNetwork.load(std::memory_order_relaxed) + 1,
                                       std::memory_order_relaxed);
    }
    std::uint64_t actionsEnqueued() const {
        return actionsEnqueuedByNetwork.load(std::memory_order_relaxed) +
               actionsEnqueuedByEngine.load(std::memory_order_relaxed);
    }
    /// Called by the executor thread only (single writer: plain stores, no locked instructions).
    void recordTickToAction(std::int64_t nanoseconds);
    /// The current session's action queue, asked for its depth and oldest action (health).
    void setQueue(std::shared_ptr<const ActionQueue> queue);
    /// Actions queued and not taken by the executor yet (0 without a queue).
    std::uint64_t queueDepth() const;
    /// Actions waiting: queued plus taken by the executor and not yet done.
    std::uint64_t pendingActions() const { return queueDepth() + inFlight.load(std::memory_order_relaxed); }
    /// Enqueue time of the oldest pending action, 0 when none.
    std::int64_t oldestPendingNs() const;
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
    /// The queue to ask, or null; taken under the text lock, asked outside it.
    std::shared_ptr<const ActionQueue> queue() const;

    mutable std::mutex m_textMutex;
    std::string m_stateReason;
    std::string m_lastError;
    std::string m_breakerReason;
    Inspector m_inspector;
    std::weak_ptr<const ActionQueue> m_queue; // weak: the queue holds these counters
};

/// Monotonic nanoseconds (steady clock), the time base of receive and enqueue stamps.
std::int64_t steadyNowNs();
/// Wall clock, milliseconds since the epoch (for display).
std::int64_t wallNowMs();

} // namespace md
