#include "engine/marketthreads.h"

#include "engine/marketcounters.h"

namespace md {

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
    try {
        while (auto action = s.queue->pop()) {
            s.executorBusy.store(true);
            if (action->causeReceivedNs > 0)
                s.counters->recordTickToAction(steadyNowNs() - action->causeReceivedNs);
            if (s.parts.executor)
                s.parts.executor(*action);
            s.executorBusy.store(false);
            s.executed.fetch_add(1, std::memory_order_relaxed);
            s.counters->actionsExecuted.fetch_add(1, std::memory_order_relaxed);
        }
    } catch (const std::exception& e) {
        s.executorBusy.store(false);
        std::lock_guard lock(s.failureMutex);
        s.executorFailure = std::string("executor threw: ") + e.what();
    } catch (...) {
        s.executorBusy.store(false);
        std::lock_guard lock(s.failureMutex);
        s.executorFailure = "executor threw an unknown exception";
    }
    {
        // After a failure what is still queued will never run: say so, exactly.
        std::lock_guard lock(s.failureMutex);
        if (!s.executorFailure.empty()) {
            s.counters->executorErrors.fetch_add(1, std::memory_order_relaxed);
            s.notExecuted.fetch_add(1 + s.queue->takeRemaining().size()); // the failed one and the rest
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
