#pragma once

#include "domain/clock.h"
#include "domain/types.h"
#include "engine/actionqueue.h"
#include "engine/connector.h"
#include "engine/health.h"
#include "risk/rejectionreason.h"
#include "risk/tradingstate.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace md {

class LatencyRecorder;

/// Live figures of one market, written by whichever thread knows them (inbox: producer/executor
/// threads; event network; engine) and read by anyone building a health snapshot.
/// What an executor counts lives in its run (ActionQueue and LatencyRecorder, one per run) and is
/// added to the market's totals when the run ends, so a thread abandoned by an earlier run can
/// never write into the figures of the run that replaced it.
/// Everything is an atomic except the few strings and the run, which sit behind one short lock.
/// Lives on the heap, shared by every session of the market: an abandoned thread may still touch it.
/// Thread: any.
struct MarketCounters {
    // Grouped by writer, one cache line (or more) each: the event network writes its own for every
    // event or action, and a shared line made the network's one counter increment its most
    // expensive instruction (perf, bench_engine).

    // Written by the event network for every event or action.
    alignas(64) std::atomic<std::uint64_t> eventsTotal{0};
    std::atomic<std::int64_t> lastEventNs{0};
    std::atomic<std::int64_t> lastDataNs{0};                // the last book update (0: none in this run)
    std::atomic<std::uint64_t> actionsEnqueuedByNetwork{0}; // single writer: see countEnqueuedByNetwork
    std::atomic<std::uint64_t> actionsRejected{0};
    std::atomic<std::uint64_t> openOrders{0};
    std::atomic<double> bestBid{0};
    std::atomic<double> bestAsk{0};
    std::atomic<TradingState> tradingState{TradingState::Active}; // effective: desk, market and breaker
    std::atomic<bool> executorStuck{false};
    std::array<std::atomic<std::uint64_t>, kRejectionReasons> rejections{}; // single writer: the network

    // Rarely written.
    alignas(64) std::atomic<MarketState> state{MarketState::Stopped};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> droppedLateEvents{0};
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
    /// Event-network thread only.
    void countRejection(RejectionReason reason) {
        auto& r = rejections[static_cast<std::size_t>(reason)];
        r.store(r.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    std::uint64_t rejectionsOf(RejectionReason reason) const {
        return rejections[static_cast<std::size_t>(reason)].load(std::memory_order_relaxed);
    }

    /// What became of the market's actions, every run so far.
    struct Actions {
        ActionQueue::Tally tally;
        std::uint64_t pending = 0;        // queued, plus the one the executor holds (current run)
        std::int64_t oldestPendingNs = 0; // 0 when none
    };
    /// A run begins (engine thread): its queue and latencies join health.
    void beginRun(std::shared_ptr<ActionQueue> queue, std::shared_ptr<const LatencyRecorder> latency);
    /// The run is over (engine thread): its final figures join the market's totals and the run
    /// leaves health; returns what the run did.
    ActionQueue::Tally endRun();
    /// Takes back what the current run has not executed (its queue's revoke), without ending it.
    ActionQueue::Revoked revokeRun();
    Actions actions() const;
    std::uint64_t pendingActions() const { return actions().pending; }
    std::int64_t oldestPendingNs() const { return actions().oldestPendingNs; }
    LatencyHistogram latency() const;

    void setStateReason(std::string reason);
    std::string stateReason() const;
    void setLastError(std::string error);
    std::string lastError() const;
    void setLastRejection(std::string reason);
    std::string lastRejection() const;
    void setBreakerReason(std::string reason);
    std::string breakerReason() const;
    void setInspector(Inspector inspector);
    Inspector inspector() const;

private:
    mutable std::mutex m_textMutex;
    std::string m_stateReason;
    std::string m_lastError;
    std::string m_breakerReason;
    std::string m_lastRejection;
    Inspector m_inspector;

    mutable std::mutex m_runMutex;
    std::shared_ptr<ActionQueue> m_queue; // the current run's, null between runs
    std::shared_ptr<const LatencyRecorder> m_latency;
    ActionQueue::Tally m_endedRuns; // every earlier run's, added up
    LatencyHistogram m_endedLatency;
};

} // namespace md
