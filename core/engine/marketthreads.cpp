#include "engine/marketthreads.h"

#include "domain/clock.h"
#include "engine/latencyrecorder.h"

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

void ExecutorThread::executeActions() {
    MarketSession& s = *m_session;
    ActionQueue& queue = *s.queue;
    Action action;
    while (queue.claim(action)) {
        // The one place an action waits before it reaches the connector (beforeExecute); a kill
        // meanwhile revokes it, and begin() then refuses: it stays "not executed", truly.
        switch (s.beforeExecute ? s.beforeExecute(action) : MarketSession::Admission::Execute) {
        case MarketSession::Admission::Execute:
            break;
        case MarketSession::Admission::Drop:
            if (!queue.drop())
                return; // revoked meanwhile: the kill counted it
            continue;
        case MarketSession::Admission::Stop:
            if (!queue.isRevoked())
                recordFailure("action not executed: what had to happen before it failed");
            return;
        }
        if (!queue.begin())
            return; // revoked by a kill: everything was reported already
        if (action.causeReceivedNs > 0)
            s.latency->record(steadyNowNs() - action.causeReceivedNs);
        if (s.parts.executor)
            s.parts.executor(action);
        if (!queue.finish())
            return; // the kill reported it as outcome unknown while the connector had it
    }
}

void ExecutorThread::recordFailure(std::string failure) {
    // What is left will never run: take it back now (the one in the connector's hands is "outcome
    // unknown"). A kill that came first has taken everything already, and this takes nothing.
    ActionQueue::Revoked revoked = m_session->queue->revoke();
    std::lock_guard lock(m_session->failureMutex);
    if (m_session->executorFailure.empty())
        m_session->executorFailure = std::move(failure);
    if (revoked.first)
        m_session->executorRevoked = std::move(revoked);
}

void ExecutorThread::run() {
    MarketSession& s = *m_session;
    try {
        executeActions();
    } catch (const std::exception& e) {
        recordFailure(std::string("executor threw: ") + e.what());
    } catch (...) {
        recordFailure("executor threw an unknown exception");
    }
    s.terminatorRunning.store(true);
    try {
        if (s.parts.terminator)
            s.parts.terminator();
    } catch (const std::exception& e) {
        std::lock_guard lock(s.failureMutex);
        if (s.executorFailure.empty())
            s.executorFailure = std::string("terminator threw: ") + e.what();
    } catch (...) {
        std::lock_guard lock(s.failureMutex);
        if (s.executorFailure.empty())
            s.executorFailure = "terminator threw an unknown exception";
    }
    s.terminatorRunning.store(false);
}

} // namespace md
