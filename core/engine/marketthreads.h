#pragma once

#include "engine/actionqueue.h"
#include "engine/connector.h"

#include <QThread>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace md {

class LatencyRecorder;

/// Everything one run of a market shares between its two threads and the engine: the connector's
/// parts, the queue (which is also the run's ledger of executed / not executed / unknown), the
/// run's latencies, stop signalling and how each thread ended. Held by shared_ptr by both threads,
/// so a thread that is abandoned keeps it alive (leaked) and never touches freed memory; it holds
/// nothing of the engine's.
struct MarketSession {
    ConnectorParts parts;
    std::shared_ptr<ActionQueue> queue;
    std::shared_ptr<LatencyRecorder> latency;
    /// What beforeExecute decides for one action: run it; drop it (counted not executed; whoever
    /// refused it told its strategy) and go on with the next; or stop executing (the market was killed
    /// or the hook failed).
    enum class Admission { Execute, Drop, Stop };
    /// Called on the executor thread for each action after it is claimed and before it reaches the
    /// connector: the write-ahead wait until the journal holds it (JournalBarrier). Must return
    /// promptly once `queue->isRevoked()` (the market was killed); the action is then reported not
    /// executed. Optional.
    std::function<Admission(const Action&)> beforeExecute;

    std::mutex stopMutex;
    std::condition_variable stopCondition;
    // Read by a polling producer for every event: kept off the lines below.
    alignas(64) std::atomic<bool> stopRequested{false};
    std::atomic<bool> terminatorRunning{false};

    alignas(64) std::mutex failureMutex;
    std::string producerFailure;          // set when the producer threw or ended by itself
    std::string executorFailure;          // set when the executor or terminator threw
    ActionQueue::Revoked executorRevoked; // what the executor took back itself after a failure

    void requestStop();
};

/// The market's producer thread ("producer/<market>"): runs the connector's producer until a stop
/// is requested; an exception is caught here and recorded, never propagated.
/// Thread: created on the engine's thread; run() on its own.
class ProducerThread : public QThread, private ProducerControl {
public:
    ProducerThread(std::shared_ptr<MarketSession> session, const std::string& market);
    void requestStop();

protected:
    void run() override;

private:
    bool stopRequested() const override;
    bool waitForStop(std::chrono::nanoseconds timeout) override;
    void runEventLoop() override;

    std::shared_ptr<MarketSession> m_session;
};

/// The market's executor thread ("executor/<market>"): claims one action at a time in FIFO order
/// and runs the connector's executor on it, then the terminator once the queue is sealed and
/// drained. An exception ends the loop: the action it came from is "outcome unknown", the rest is
/// taken back as "not executed" (ActionQueue::revoke), and the market fails.
/// Thread: created on the engine's thread; run() on its own.
class ExecutorThread : public QThread {
public:
    ExecutorThread(std::shared_ptr<MarketSession> session, const std::string& market);

protected:
    void run() override;

private:
    /// Runs the actions until the queue is drained or revoked; false when it stopped on a failure.
    void executeActions();
    void recordFailure(std::string failure);

    std::shared_ptr<MarketSession> m_session;
};

} // namespace md
