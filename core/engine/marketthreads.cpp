#include "engine/marketthreads.h"

#include "engine/marketcounters.h"

namespace md {
namespace {
// Actions taken from the queue under one lock; small enough that a kill reports them exactly.
constexpr std::size_t kBatch = 64;
} // namespace

void MarketSession::requestStop() {
    {
        std::lock_guard lock(stopMutex);
        stopRequested.store(true);
    }
    stopCondition.notify_all();
}

ProducerThread::ProducerThread(std::shared_ptr<MarketSession> session, const std::string& market)
    : m_session(std::move(session)) {
    setObjectName(QString::fromStdString("producer/" + market));
}

void ProducerThread::requestStop() {
    m_session->requestStop();
    requestInterruption();
    quit();
}

void ProducerThread::run() {
    try {
        if (m_session->parts.producer)
            m_session->parts.producer(*this);
        if (!m_session->stopRequested.load()) {
            std::lock_guard lock(m_session->failureMutex);
            m_session->producerFailure = "producer ended by itself";
        }
    } catch (const std::exception& e) {
        std::lock_guard lock(m_session->failureMutex);
        m_session->producerFailure = std::string("producer threw: ") + e.what();
    } catch (...) {
        std::lock_guard lock(m_session->failureMutex);
        m_session->producerFailure = "producer threw an unknown exception";
    }
}

bool ProducerThread::stopRequested() const {
    return m_session->stopRequested.load(std::memory_order_relaxed);
}

bool ProducerThread::waitForStop(std::chrono::nanoseconds timeout) {
    std::unique_lock lock(m_session->stopMutex);
    return m_session->stopCondition.wait_for(lock, timeout, [this] { return m_session->stopRequested.load(); });
}

void ProducerThread::runEventLoop() {
    if (stopRequested())
        return;
    exec();
}

ExecutorThread::ExecutorThread(std::shared_ptr<MarketSession> session, const std::string& market)
    : m_session(std::move(session)) {
    setObjectName(QString::fromStdString("executor/" + market));
}

void ExecutorThread::run() {
    MarketSession& s = *m_session;
    MarketCounters& c = *s.counters;
    std::vector<Action> batch;
    batch.reserve(kBatch);
    std::size_t done = 0; // of the current batch
    try {
        while (s.queue->popBatch(batch, kBatch)) {
            for (done = 0; done < batch.size(); ++done) {
                const Action& action = batch[done];
                c.inFlight.store(batch.size() - done, std::memory_order_relaxed);
                c.inFlightOldestNs.store(action.enqueuedNs, std::memory_order_relaxed);
                s.executorBusy.store(true, std::memory_order_relaxed);
                if (action.causeReceivedNs > 0)
                    c.recordTickToAction(steadyNowNs() - action.causeReceivedNs);
                if (s.parts.executor)
                    s.parts.executor(action);
                s.executorBusy.store(false, std::memory_order_relaxed);
                // Single writer (this thread): plain stores, no locked instruction per action.
                s.executed.store(s.executed.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
                c.actionsExecuted.store(c.actionsExecuted.load(std::memory_order_relaxed) + 1,
                                        std::memory_order_relaxed);
            }
            c.inFlight.store(0, std::memory_order_relaxed);
            batch.clear();
        }
    } catch (const std::exception& e) {
        std::lock_guard lock(s.failureMutex);
        s.executorFailure = std::string("executor threw: ") + e.what();
    } catch (...) {
        std::lock_guard lock(s.failureMutex);
        s.executorFailure = "executor threw an unknown exception";
    }
    s.executorBusy.store(false);
    {
        // After a failure what is still queued will never run: say so, exactly.
        std::lock_guard lock(s.failureMutex);
        if (!s.executorFailure.empty()) {
            c.executorErrors.fetch_add(1, std::memory_order_relaxed);
            // The failed action, the rest of its batch, and whatever is still queued.
            const std::uint64_t lost = (batch.size() - done) + s.queue->takeRemaining().size();
            s.notExecuted.fetch_add(lost);
            c.actionsNotExecuted.fetch_add(lost);
            c.inFlight.store(0, std::memory_order_relaxed);
        }
    }
    s.terminatorRunning.store(true);
    try {
        if (s.parts.terminator)
            s.parts.terminator();
    } catch (const std::exception& e) {
        std::lock_guard lock(s.failureMutex);
        if (s.executorFailure.empty())
            s.executorFailure = std::string("terminator threw: ") + e.what();
    }
    s.terminatorRunning.store(false);
}

} // namespace md
