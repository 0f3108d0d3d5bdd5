#include "engine/marketrunner.h"

#include "engine/eventnetwork.h"
#include "engine/marketcounters.h"
#include "engine/marketinbox.h"
#include "engine/marketthreads.h"
#include "logging/logging.h"

#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace md {

MarketRunner::MarketRunner(MarketSetup setup, std::shared_ptr<MarketCounters> counters, EventNetwork* network,
                           const EngineSettings& settings, QObject* parent)
    : QObject(parent)
    , m_setup(std::move(setup))
    , m_counters(std::move(counters))
    , m_network(network)
    , m_settings(settings)
    , m_log(logging::get("market." + m_setup.spec.name))
    , m_deadlineTimer(new QTimer(this))
    , m_detachTimer(new QTimer(this)) {
    m_deadlineTimer->setInterval(20);
    connect(m_deadlineTimer, &QTimer::timeout, this, &MarketRunner::checkDeadline);
    m_detachTimer->setSingleShot(true);
    m_detachTimer->setInterval(300);
    // The event network normally confirms the detach within milliseconds; if it is itself stuck
    // (a looping strategy), the market still finishes with the orders its last view showed.
    connect(m_detachTimer, &QTimer::timeout, this, [this] {
        if (m_awaitingDetach) {
            m_log->warn("event network did not confirm the detach in time");
            emitFinished();
        }
    });
}

MarketRunner::~MarketRunner() {
    stopNow(0);
}

MarketState MarketRunner::state() const {
    return m_counters->state.load();
}

void MarketRunner::setState(MarketState state, std::string reason) {
    const MarketState previous = m_counters->state.exchange(state);
    m_counters->setStateReason(std::move(reason));
    if (previous != state) {
        m_log->info("{} -> {}{}", nameOf(previous), nameOf(state),
                    m_counters->stateReason().empty() ? "" : " (" + m_counters->stateReason() + ")");
        emit stateChanged(id(), state);
    }
}

void MarketRunner::start() {
    if (m_session) {
        m_log->warn("start ignored: the market is still {}", nameOf(state()));
        return;
    }
    if (m_settings.quarantineAfterKills > 0 && m_kills >= m_settings.quarantineAfterKills) {
        const std::string reason = "quarantined: its threads hung and were abandoned " + std::to_string(m_kills) +
                                   " times in this run; restart MarketDesk to try it again";
        m_log->error("start refused: {}", reason);
        m_counters->setLastError(reason);
        setState(MarketState::Killed, reason);
        emit finished(id());
        return;
    }
    if (state() != MarketState::Stopped)
        m_counters->restarts.fetch_add(1);
    m_report.reset();
    ++m_generation;
    m_stopping = m_sealed = m_failed = m_awaitingDetach = false;
    m_producerDone = m_executorDone = false;
    setState(MarketState::Starting);

    auto session = std::make_shared<MarketSession>();
    session->counters = m_counters;
    session->queue = std::make_shared<ActionQueue>(m_counters);
    m_counters->setQueue(session->queue);
    EventNetwork* network = m_network;
    m_inbox = std::make_shared<MarketInbox>(
        id(), m_counters, [network] { network->wake(); }, m_log);
    try {
        // The seed's Initializer: a fresh private state shared by the three callables.
        session->parts = m_setup.factory->initialize(m_setup.spec, EventSink(m_inbox));
    } catch (const std::exception& e) {
        m_inbox->close();
        m_inbox.reset();
        setState(MarketState::Failed, std::string("initializer threw: ") + e.what());
        m_counters->setLastError(m_counters->stateReason());
        emit finished(id());
        return;
    }
    m_counters->setInspector(session->parts.inspector);
    m_session = session;
    if (session->parts.openOrdersQuery) {
        // Reconcile before trading, off this thread (QtConcurrent): the market stays Starting until
        // the exchange has said which orders are open. The query bounds its own time.
        m_log->info("reconciling open orders with the exchange before trading");
        askForOpenOrders([this](const std::optional<std::vector<OpenOrderInfo>>& result) {
            if (m_stopping)
                return;
            if (result)
                m_log->info("exchange reports {} open order(s)", result->size());
            else
                m_log->warn("exchange could not be asked for open orders; trading starts unreconciled");
            emit reconciled(id(), result.has_value(), result.value_or(std::vector<OpenOrderInfo>{}));
            launchThreads();
        });
        return;
    }
    launchThreads();
}

void MarketRunner::askForOpenOrders(std::function<void(const std::optional<std::vector<OpenOrderInfo>>&)> answer) {
    // The query may block (REST), so it runs on the thread pool; the answer comes back here, and is
    // dropped if the session it was asked for has ended meanwhile.
    auto query = m_session->parts.openOrdersQuery;
    auto* watcher = new QFutureWatcher<std::optional<std::vector<OpenOrderInfo>>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation = m_generation, answer = std::move(answer)] {
                auto result = watcher->result();
                watcher->deleteLater();
                if (generation != m_generation || !m_session)
                    return;
                answer(result);
            });
    watcher->setFuture(QtConcurrent::run([query] { return query(); }));
}

void MarketRunner::recheckOpenOrders() {
    if (!m_session || m_stopping || !m_session->parts.openOrdersQuery)
        return;
    askForOpenOrders([this](const std::optional<std::vector<OpenOrderInfo>>& result) {
        emit reconciled(id(), result.has_value(), result.value_or(std::vector<OpenOrderInfo>{}));
    });
}

void MarketRunner::launchThreads() {
    auto session = m_session;
    EventNetwork* network = m_network;
    m_producer = new ProducerThread(session, m_setup.spec.name);
    m_executor = new ExecutorThread(session, m_setup.spec.name);
    connect(m_producer, &QThread::finished, this, &MarketRunner::onThreadFinished, Qt::QueuedConnection);
    connect(m_executor, &QThread::finished, this, &MarketRunner::onThreadFinished, Qt::QueuedConnection);

    auto inbox = m_inbox;
    auto queue = session->queue;
    const MarketId market = id();
    QMetaObject::invokeMethod(
        m_network, [network, market, inbox, queue] { network->attachMarket(market, inbox, queue); },
        Qt::QueuedConnection);
    m_executor->start();
    m_producer->start();
    setState(MarketState::Running);
}

void MarketRunner::onStatusReported(MarketState state, const std::string& reason) {
    const MarketState now = this->state();
    if (m_stopping || (now != MarketState::Running && now != MarketState::Degraded))
        return;
    if (state == MarketState::Running || state == MarketState::Degraded) {
        if (state == MarketState::Degraded)
            m_log->warn("degraded: {}", reason);
        setState(state, reason);
    }
}

void MarketRunner::stop(std::int64_t deadlineNs, bool tellStrategy) {
    if (!m_session || m_stopping)
        return;
    if (!m_producer) {
        // Still reconciling: no thread has started, nothing can be queued or open.
        m_stopping = true;
        m_producerDone = m_executorDone = true;
        finishStop(true, "stopped before trading started");
        return;
    }
    m_stopping = true;
    m_deadlineNs = deadlineNs;
    if (!m_failed)
        setState(MarketState::Stopping);
    m_deadlineTimer->start();
    if (tellStrategy && !m_failed) {
        QMetaObject::invokeMethod(
            m_network, [network = m_network, market = id()] { network->prepareStop(market); }, Qt::QueuedConnection);
        // Bounded like everything else: a strategy that never answers does not hold the market.
        const double wait =
            std::min(m_settings.strategyTimeoutSeconds, std::max(0.0, (deadlineNs - steadyNowNs()) / 1e9 / 2));
        QTimer::singleShot(static_cast<int>(wait * 1000), this, [this, generation = m_generation] {
            if (generation == m_generation)
                seal();
        });
    } else {
        if (m_session->queue->push(Action{CancelAll{}, 0, 0}))
            m_counters->actionsEnqueuedByEngine.fetch_add(1);
        seal();
    }
}

void MarketRunner::onStopPrepared() {
    seal();
}

void MarketRunner::seal() {
    if (!m_session || m_sealed || !m_stopping)
        return;
    m_sealed = true;
    m_session->queue->seal();
    m_log->info("queue sealed with {} action(s) to drain", m_session->queue->depth());
    if (m_executorDone)
        m_producer->requestStop();
}

void MarketRunner::onThreadFinished() {
    if (!m_session)
        return;
    if (m_producer && m_producer->isFinished() && !m_producerDone) {
        m_producerDone = true;
        std::string failure;
        {
            std::lock_guard lock(m_session->failureMutex);
            failure = m_session->producerFailure;
        }
        if (!failure.empty() && !m_session->stopRequested.load())
            fail(failure);
    }
    if (m_executor && m_executor->isFinished() && !m_executorDone) {
        m_executorDone = true;
        std::string failure;
        {
            std::lock_guard lock(m_session->failureMutex);
            failure = m_session->executorFailure;
        }
        if (!failure.empty())
            fail(failure);
        // Order events keep flowing while the executor drains; only now may the producer stop.
        if (m_sealed)
            m_producer->requestStop();
    }
    if (m_producerDone && m_executorDone && m_stopping)
        finishStop(true, m_failed ? m_counters->stateReason() : "stopped in order");
}

void MarketRunner::fail(const std::string& reason) {
    if (m_failed)
        return;
    m_failed = true;
    m_log->error("market failed: {}", reason);
    m_counters->setLastError(reason);
    setState(MarketState::Failed, reason);
    // The other thread is stopped in order; other markets never notice.
    stop(steadyNowNs() + static_cast<std::int64_t>(m_settings.graceSeconds * 1e9), false);
    if (m_executorDone)
        m_producer->requestStop();
}

void MarketRunner::checkDeadline() {
    if (!m_session || !m_stopping)
        return;
    if (steadyNowNs() >= m_deadlineNs)
        abandon();
}

void MarketRunner::abandon() {
    std::string detail;
    if (!m_executorDone) {
        detail = m_session->terminatorRunning.load() ? "terminator still running"
                 : m_session->executorBusy.load()    ? "executor stuck in an action"
                                                     : "executor did not finish";
    } else {
        detail = "producer did not stop";
    }
    detail += " after the grace period; thread abandoned";
    m_log->error("KILLED: {}", detail);
    // Abandoned, not terminated (PLATFORM.md: terminate() cannot stop a spinning or mutex-blocked
    // thread and can break a condition variable). The thread keeps its session alive; we forget it.
    m_session->requestStop();
    m_session->queue->seal();
    if (m_producer && !m_producerDone) {
        m_producer->requestInterruption();
        m_producer->quit();
    }
    // Still queued, plus what the stuck executor had taken (the action it is stuck in included).
    const std::uint64_t remaining = m_session->queue->takeRemaining().size() + m_counters->inFlight.load();
    m_counters->inFlight.store(0);
    m_session->notExecuted.fetch_add(remaining);
    m_counters->actionsNotExecuted.fetch_add(remaining);
    // Leaked on purpose: destroying a running QThread aborts the process.
    if (!m_producerDone) {
        m_producer->disconnect(this);
        m_producer = nullptr;
    }
    if (!m_executorDone) {
        m_executor->disconnect(this);
        m_executor = nullptr;
    }
    ++m_kills;
    setState(MarketState::Killed, detail);
    finishStop(false, detail);
}

void MarketRunner::finishStop(bool clean, std::string detail) {
    m_deadlineTimer->stop();
    m_inbox->close(); // late events from a stuck thread are dropped and counted from now on
    m_counters->setInspector({});
    m_counters->setQueue({}); // what it held is settled: executed, or counted as not executed
    MarketShutdownReport report;
    report.id = id();
    report.name = m_setup.spec.name;
    report.clean = clean;
    report.detail = std::move(detail);
    report.actionsExecuted = m_session->executed.load();
    report.actionsNotExecuted = m_session->notExecuted.load();
    m_report = report;
    if (clean && !m_failed)
        setState(MarketState::Stopped);
    m_log->info("close-out: {} executed, {} not executed{}", report.actionsExecuted, report.actionsNotExecuted,
                clean ? "" : " (killed)");

    // A clean stop is verified with the exchange itself where the connector can ask it.
    OpenOrdersQuery verify = clean ? m_session->parts.openOrdersQuery : OpenOrdersQuery{};

    // Threads that finished are deleted; abandoned ones were already forgotten.
    delete m_producer;
    delete m_executor;
    m_producer = nullptr;
    m_executor = nullptr;
    m_session.reset();
    m_inbox.reset();
    m_stopping = false;

    m_awaitingDetach = true;
    if (verify)
        verifyCloseOut(std::move(verify));
    else
        requestDetach();
}

void MarketRunner::verifyCloseOut(OpenOrdersQuery query) {
    auto* watcher = new QFutureWatcher<std::optional<std::vector<OpenOrderInfo>>>(this);
    auto done = std::make_shared<bool>(false);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, done, generation = m_generation] {
        auto result = watcher->result();
        watcher->deleteLater();
        if (*done || generation != m_generation)
            return;
        *done = true;
        if (m_report) {
            m_report->verified = result.has_value();
            m_report->openOnExchange = result.value_or(std::vector<OpenOrderInfo>{});
            if (result)
                m_log->info("close-out verified with the exchange: {} order(s) open there", result->size());
            else
                m_log->warn("close-out could not be verified: the exchange did not answer");
        }
        requestDetach();
    });
    // The answer must come within what is left of the grace (at least a moment), or the report says so.
    const auto leftMs = std::max<std::int64_t>(200, (m_deadlineNs - steadyNowNs()) / 1'000'000);
    QTimer::singleShot(static_cast<int>(leftMs), this, [this, done, generation = m_generation] {
        if (*done || generation != m_generation)
            return;
        *done = true;
        m_log->warn("close-out not verified: the exchange did not answer in time");
        requestDetach();
    });
    watcher->setFuture(QtConcurrent::run([query] { return query(); }));
}

void MarketRunner::requestDetach() {
    m_detachTimer->start();
    QMetaObject::invokeMethod(
        m_network, [network = m_network, market = id()] { network->detachMarket(market); }, Qt::QueuedConnection);
}

void MarketRunner::onDetached(std::vector<ClientOrderId> openOrders, std::vector<ClientOrderId> unknownOrders) {
    if (!m_awaitingDetach)
        return;
    if (m_report) {
        m_report->ordersLeftOpen = openOrders.size();
        m_report->openOrderIds = std::move(openOrders);
        m_report->ordersUnknown = unknownOrders.size();
        if (m_report->ordersLeftOpen > 0)
            m_log->warn("{} order(s) still open after the stop", m_report->ordersLeftOpen);
        if (m_report->ordersUnknown > 0)
            m_log->warn("{} order(s) sent but never acknowledged: their state on the exchange is unknown",
                        m_report->ordersUnknown);
    }
    emitFinished();
}

void MarketRunner::emitFinished() {
    m_awaitingDetach = false;
    m_detachTimer->stop();
    emit finished(id());
}

void MarketRunner::stopNow(int waitMs) {
    if (!m_session)
        return;
    m_session->requestStop();
    m_session->queue->seal();
    if (m_producer) {
        m_producer->requestInterruption();
        m_producer->quit();
    }
    m_inbox->close();
    auto waitFor = [waitMs](auto*& t) {
        if (!t)
            return;
        if (t->wait(waitMs))
            delete t;
        // else: leaked on purpose, see abandon()
        t = nullptr;
    };
    waitFor(m_executor);
    waitFor(m_producer);
    m_session.reset();
    m_inbox.reset();
}

MarketShutdownProgress MarketRunner::progress() const {
    MarketShutdownProgress p;
    p.id = id();
    p.name = m_setup.spec.name;
    const MarketState s = state();
    if (m_session) {
        p.actionsLeft = m_counters->pendingActions();
        p.phase = m_session->terminatorRunning.load() || m_executorDone ? MarketShutdownProgress::Phase::Terminating
                                                                        : MarketShutdownProgress::Phase::Draining;
    } else if (s == MarketState::Killed) {
        p.phase = MarketShutdownProgress::Phase::Killed;
    } else if (m_report) {
        p.phase = MarketShutdownProgress::Phase::Done;
    } else {
        p.phase = MarketShutdownProgress::Phase::NotRunning;
    }
    return p;
}

} // namespace md
