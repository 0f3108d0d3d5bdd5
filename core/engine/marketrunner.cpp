#include "engine/marketrunner.h"

#include "engine/eventnetwork.h"
#include "engine/journalbarrier.h"
#include "engine/journalsink.h"
#include "engine/latencyrecorder.h"
#include "engine/marketcounters.h"
#include "engine/marketinbox.h"
#include "engine/marketthreads.h"
#include "engine/openordersasker.h"
#include "logging/logging.h"

#include <QTimer>

#include <cmath>

namespace md {
namespace {
std::chrono::milliseconds secondsToMs(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::max(0.0, seconds) * 1000));
}
} // namespace

MarketRunner::MarketRunner(MarketSetup setup, std::shared_ptr<MarketCounters> counters, EventNetwork* network,
                           const EngineSettings& settings, QObject* parent)
    : QObject(parent)
    , m_setup(std::move(setup))
    , m_counters(std::move(counters))
    , m_network(network)
    , m_settings(settings)
    , m_log(logging::get("market." + m_setup.spec.name))
    , m_asker(new OpenOrdersAsker(m_setup.spec.name, this))
    , m_deadlineTimer(new QTimer(this))
    , m_detachTimer(new QTimer(this)) {
    m_deadlineTimer->setInterval(20);
    connect(m_deadlineTimer, &QTimer::timeout, this, &MarketRunner::checkDeadline);
    m_detachTimer->setSingleShot(true);
    m_detachTimer->setInterval(300);
    // The event network normally confirms the detach within milliseconds; if it is itself stuck
    // (a looping strategy), the market still finishes — and says it does not know what is open.
    connect(m_detachTimer, &QTimer::timeout, this, [this] {
        if (m_awaitingDetach) {
            m_log->warn("event network did not confirm the detach in time: orders left open unknown");
            if (m_report)
                m_report->detail += "; the event network did not answer (strategy stuck?): orders left open unknown";
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
    m_notExecutedPlacements.clear();
    ++m_generation;
    m_stopping = m_sealed = m_failed = m_awaitingDetach = false;
    m_producerDone = m_executorDone = false;
    setState(MarketState::Starting);

    // A run of its own: its queue is its ledger, its latencies its own; the threads of an earlier,
    // abandoned run keep theirs and can never write into this one's.
    auto session = std::make_shared<MarketSession>();
    session->queue = std::make_shared<ActionQueue>();
    session->latency = std::make_shared<LatencyRecorder>();
    EventNetwork* network = m_network;
    m_inbox = std::make_shared<MarketInbox>(
        id(), m_counters, [network] { network->wake(); }, m_log);
    m_barrier.reset();
    if (m_journal) {
        // Write-ahead: the executor's one wait before a placement reaches the connector. Any revoke
        // (a kill, the engine going away, the exit watchdog) wakes it at once.
        auto barrier = std::make_shared<JournalBarrier>(
            m_journal, std::chrono::nanoseconds(static_cast<std::int64_t>(m_settings.journalMaxLagSeconds * 1e9)),
            EventSink(m_inbox), m_log);
        session->queue->setRevokeListener([barrier] { barrier->abandon(); });
        session->beforeExecute = [barrier](const Action& action) {
            switch (barrier->admit(action)) {
            case JournalBarrier::Verdict::Go:
                return MarketSession::Admission::Execute;
            case JournalBarrier::Verdict::Refused:
                return MarketSession::Admission::Drop;
            case JournalBarrier::Verdict::Abandoned:
                break;
            }
            return MarketSession::Admission::Stop;
        };
        m_barrier = std::move(barrier);
    }
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
    m_counters->beginRun(session->queue, session->latency);
    m_session = session;
    if (session->parts.openOrdersQuery) {
        // Reconcile before trading, on a thread of the engine's own with a timeout: the market stays
        // Starting until the exchange has said which orders are open, or has failed to in time.
        m_log->info("reconciling open orders with the exchange before trading");
        m_asker->ask(session->parts.openOrdersQuery, secondsToMs(m_settings.openOrdersTimeoutSeconds),
                     [this](const OpenOrdersAsker::Answer& answer) {
                         if (!m_session || m_stopping)
                             return;
                         if (answer.threw) {
                             // A connector that throws here is broken: its market fails, and only it.
                             fail(answer.problem);
                             return;
                         }
                         if (answer.orders)
                             m_log->info("exchange reports {} open order(s)", answer.orders->size());
                         else
                             m_log->warn("open orders unknown ({}); trading starts unreconciled", answer.problem);
                         emit reconciled(id(), answer.orders.has_value(),
                                         answer.orders.value_or(std::vector<OpenOrderInfo>{}));
                         launchThreads();
                     });
        return;
    }
    launchThreads();
}

void MarketRunner::recheckOpenOrders() {
    if (!m_session || m_stopping || !m_session->parts.openOrdersQuery)
        return;
    m_asker->ask(m_session->parts.openOrdersQuery, secondsToMs(m_settings.openOrdersTimeoutSeconds),
                 [this](const OpenOrdersAsker::Answer& answer) {
                     if (answer.threw && m_session && !m_stopping) {
                         fail(answer.problem);
                         return;
                     }
                     if (!answer.orders)
                         m_log->warn("open orders unknown: {}", answer.problem);
                     emit reconciled(id(), answer.orders.has_value(),
                                     answer.orders.value_or(std::vector<OpenOrderInfo>{}));
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
        if (state == MarketState::Degraded && now != MarketState::Degraded)
            m_log->warn("degraded: {}", reason);
        setState(state, reason);
    }
}

void MarketRunner::stop(std::int64_t deadlineNs, bool tellStrategy) {
    if (!m_session || m_stopping)
        return;
    m_stopping = true;
    if (!m_producer) {
        // Still reconciling: no thread has started, nothing can be queued or open.
        m_asker->cancel();
        m_producerDone = m_executorDone = true;
        finishStop(true, m_failed ? m_counters->stateReason() : "stopped before trading started");
        return;
    }
    m_deadlineNs = deadlineNs;
    // From this moment the event network refuses placements to this market (the strategy hears
    // "market stopping"); cancels still pass. Atomic with every push, so nothing placed now can
    // land behind the stop's CancelAll.
    m_session->queue->closeToPlacements();
    // A market stopped while Degraded says why in its close-out (e.g. Binance refused its key).
    m_degradedAtStop = state() == MarketState::Degraded ? m_counters->stateReason() : std::string();
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
    // The stop's own CancelAll, after whatever the strategy answered. Queued here, not by the event
    // network: a stuck strategy (and the network it holds) cannot keep it from the exchange.
    queueOwnAction(CancelAll{});
    m_session->queue->seal();
    m_log->info("queue sealed with {} action(s) to drain", m_session->queue->depth());
    if (m_executorDone)
        m_producer->requestStop();
}

void MarketRunner::queueOwnAction(ActionKind action) {
    const JournalSeq seq = m_journal ? m_journal->recordAction(id(), m_setup.spec.name, action) : 0;
    Action queued{action, 0, 0, seq};
    if (m_session->queue->push(std::move(queued)) == ActionQueue::Push::Queued) {
        m_counters->actionsEnqueuedByEngine.fetch_add(1);
        return;
    }
    m_log->warn("{} not queued: the executor has ended", describe(action));
    if (m_journal)
        m_journal->recordOutcome(id(), m_setup.spec.name, action, ActionOutcome::Refused, "the executor has ended");
}

void MarketRunner::journalRevoked(const ActionQueue::Revoked& revoked, const std::string& reason) {
    if (revoked.unknown)
        m_log->warn("outcome unknown ({}): {}", reason, describe(revoked.unknown->kind));
    if (!revoked.notExecuted.empty())
        m_log->warn("{} action(s) not executed ({})", revoked.notExecuted.size(), reason);
    for (const Action& a : revoked.notExecuted)
        if (const auto* place = std::get_if<PlaceLimit>(&a.kind)) {
            m_notExecutedPlacements.push_back(place->id);
            m_notExecutedWhy = reason;
        }
    if (!m_journal)
        return;
    for (const Action& a : revoked.notExecuted)
        m_journal->recordOutcome(id(), m_setup.spec.name, a.kind, ActionOutcome::NotExecuted, reason);
    if (revoked.unknown)
        m_journal->recordOutcome(id(), m_setup.spec.name, revoked.unknown->kind, ActionOutcome::Unknown, reason);
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
        ActionQueue::Revoked revoked;
        {
            std::lock_guard lock(m_session->failureMutex);
            failure = m_session->executorFailure;
            revoked = std::move(m_session->executorRevoked);
            m_session->executorRevoked = {};
        }
        if (!failure.empty()) {
            m_counters->executorErrors.fetch_add(1, std::memory_order_relaxed);
            journalRevoked(revoked, failure);
            fail(failure);
        }
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
                 : m_session->queue->isExecuting()   ? "executor stuck in an action"
                 : m_barrier && m_barrier->waiting() ? "placement waiting for the journal"
                                                     : "executor did not finish";
    } else {
        detail = "producer did not stop";
    }
    detail += " after the grace period; thread abandoned";
    m_log->error("KILLED: {}", detail);
    // Abandoned, not terminated (PLATFORM.md: terminate() cannot stop a spinning or mutex-blocked
    // thread and can break a condition variable). Everything it has not executed is taken back
    // first: from here on no action reported "not executed" can reach the connector, and the one
    // in the connector's hands is reported as what it is, outcome unknown.
    m_session->requestStop();
    journalRevoked(m_session->queue->revoke(), "killed: " + detail);
    {
        // What the executor took back itself, if it failed and then hung in its terminator.
        ActionQueue::Revoked own;
        {
            std::lock_guard lock(m_session->failureMutex);
            own = std::move(m_session->executorRevoked);
            m_session->executorRevoked = {};
        }
        journalRevoked(own, "executor failed");
    }
    if (m_producer && !m_producerDone) {
        m_producer->requestInterruption();
        m_producer->quit();
    }
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
    // The run's figures are final: executed, or taken back (not executed / outcome unknown).
    const ActionQueue::Tally run = m_counters->endRun();
    MarketShutdownReport report;
    report.id = id();
    report.name = m_setup.spec.name;
    report.clean = clean;
    report.detail = std::move(detail);
    if (!m_degradedAtStop.empty())
        report.detail += "; it was Degraded: " + std::exchange(m_degradedAtStop, {});
    report.actionsExecuted = run.executed;
    report.actionsNotExecuted = run.notExecuted;
    report.actionsOutcomeUnknown = run.unknown;
    m_report = report;
    if (clean && !m_failed)
        setState(MarketState::Stopped);
    m_log->info("close-out: {} executed, {} not executed, {} outcome unknown{}", report.actionsExecuted,
                report.actionsNotExecuted, report.actionsOutcomeUnknown, clean ? "" : " (killed)");

    // A clean stop is verified with the exchange itself where the connector can ask it.
    OpenOrdersQuery verify = clean && m_producer ? m_session->parts.openOrdersQuery : OpenOrdersQuery{};

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
    // The answer must come within what is left of the grace (at least a moment), or the report says so.
    const auto leftMs = std::max<std::int64_t>(200, (m_deadlineNs - steadyNowNs()) / 1'000'000);
    m_asker->ask(std::move(query), std::chrono::milliseconds(leftMs),
                 [this, generation = m_generation](const OpenOrdersAsker::Answer& answer) {
                     if (generation != m_generation)
                         return;
                     if (m_report) {
                         m_report->verified = answer.orders.has_value();
                         m_report->openOnExchange = answer.orders.value_or(std::vector<OpenOrderInfo>{});
                         if (answer.orders) {
                             m_log->info("close-out verified with the exchange: {} order(s) open there",
                                         answer.orders->size());
                         } else {
                             m_log->warn("close-out not verified: {}", answer.problem);
                             m_report->detail += "; close-out not verified: " + answer.problem;
                         }
                     }
                     requestDetach();
                 });
}

void MarketRunner::requestDetach() {
    m_detachTimer->start();
    QMetaObject::invokeMethod(
        m_network,
        [network = m_network, market = id(), ids = std::exchange(m_notExecutedPlacements, {}),
         why = std::exchange(m_notExecutedWhy, {})]() mutable {
            network->detachMarket(market, std::move(ids), std::move(why));
        },
        Qt::QueuedConnection);
}

void MarketRunner::onDetached(std::vector<ClientOrderId> openOrders, std::vector<ClientOrderId> unknownOrders) {
    if (!m_awaitingDetach)
        return;
    if (m_report) {
        m_report->ordersLeftOpen = openOrders.size();
        m_report->openOrderIds = std::move(openOrders);
        m_report->ordersUnknown = unknownOrders.size();
        if (*m_report->ordersLeftOpen > 0)
            m_log->warn("{} order(s) still open after the stop", *m_report->ordersLeftOpen);
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
    m_asker->cancel();
    m_session->requestStop();
    // Nothing more reaches the connector: the engine is going away without an orderly stop.
    journalRevoked(m_session->queue->revoke(), "the engine was destroyed");
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
    m_counters->endRun();
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
