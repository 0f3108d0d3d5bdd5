#pragma once

#include "engine/actionqueue.h"
#include "engine/connector.h"

#include <QThread>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace md {

struct MarketCounters;

/// Everything one run of a market shares between its two threads and the engine: the connector's
/// parts, the queue, stop signalling and how each thread ended. Held by shared_ptr by both threads,
/// so a thread that is abandoned keeps it alive (leaked) and never touches freed memory.
struct MarketSession {
    ConnectorParts parts;
    std::shared_ptr<ActionQueue> queue;
    std::shared_ptr<MarketCounters> counters;

    std::mutex stopMutex;
    std::condition_variable stopCondition;
    // Read by a polling producer for every event: kept off the executor's line below.
    alignas(64) std::atomic<bool> stopRequested{false};

    // Written by the executor for every action.
    alignas(64) std::atomic<bool> executorBusy{false}; // inside one action
    std::atomic<bool> terminatorRunning{false};
    std::atomic<std::uint64_t> executed{0};    // this run
    std::atomic<std::uint64_t> notExecuted{0}; // dropped after an executor exception

    alignas(64) std::mutex failureMutex;
    std::string producerFailure; // set when the producer threw or ended by itself
    std::string executorFailure; // set when the executor or terminator threw

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

/// The market's executor thread ("executor/<market>"): pops actions in FIFO order and runs the
/// connector's executor on each, then the terminator once the queue is sealed and drained.
/// Thread: created on the engine's thread; run() on its own.
class ExecutorThread : public QThread {
public:
    ExecutorThread(std::shared_ptr<MarketSession> session, const std::string& market);

protected:
    void run() override;

private:
    std::shared_ptr<MarketSession> m_session;
};

} // namespace md
