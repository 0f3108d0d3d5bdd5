#pragma once

#include "engine/actionqueue.h"
#include "engine/engine.h"
#include "engine/health.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace spdlog {
class logger;
}

namespace md {

class EventNetwork;
class JournalBarrier;
class JournalSink;
class MarketInbox;
class OpenOrdersAsker;
class ProducerThread;
class ExecutorThread;
struct MarketCounters;
struct MarketSession;

/// One market's lifecycle (DESIGN §4): builds a fresh session from the connector's initializer,
/// starts its producer and executor threads, and stops it in order — placements refused from the
/// moment the stop begins, the strategy told, its cancels and then a CancelAll queued, the queue
/// sealed, the executor drains it and runs the terminator, then the producer stops — within a
/// deadline, after which unfinished threads are abandoned, everything not executed is taken back and
/// reported, and the market is Killed.
/// Thread: the engine's thread; the worker threads only touch the shared session.
class MarketRunner : public QObject {
    Q_OBJECT
public:
    MarketRunner(MarketSetup setup, std::shared_ptr<MarketCounters> counters, EventNetwork* network,
                 const EngineSettings& settings, QObject* parent = nullptr);
    ~MarketRunner() override;

    MarketId id() const { return m_setup.spec.id; }
    const MarketSpec& spec() const { return m_setup.spec; }
    bool isEnabledAtStart() const { return m_setup.enabled; }
    MarketState state() const;
    /// True while threads may run (Starting, Running, Degraded, Stopping, or a Failed market still stopping).
    bool isBusy() const { return m_session != nullptr; }
    /// Where actions and the close-out are recorded (optional); set before the first start.
    void setJournal(std::shared_ptr<JournalSink> journal) { m_journal = std::move(journal); }

    void start();
    /// Orderly stop; the executor must finish by `deadlineNs` (steady clock). With `tellStrategy` the
    /// strategy hears MarketStopping first and may answer with cancels.
    void stop(std::int64_t deadlineNs, bool tellStrategy);
    /// Last resort when the engine is destroyed: stop signals, a short wait, then abandon.
    void stopNow(int waitMs);

    /// Asks the exchange which orders are open without stopping anything; answers with reconciled().
    void recheckOpenOrders();

    MarketShutdownProgress progress() const;
    const std::optional<MarketShutdownReport>& lastReport() const { return m_report; }

    // Answers from the event network (posted to this thread).
    void onStopPrepared();
    void onDetached(std::vector<ClientOrderId> openOrders, std::vector<ClientOrderId> unknownOrders);
    void onStatusReported(MarketState state, const std::string& reason);

signals:
    void stateChanged(md::MarketId market, md::MarketState state);
    /// The market reached Stopped, Failed or Killed and the event network has forgotten it.
    void finished(md::MarketId market);
    /// The exchange's open orders as found before the market started trading (reachable=false: unknown).
    void reconciled(md::MarketId market, bool reachable, std::vector<md::OpenOrderInfo> openOrders);

private:
    void setState(MarketState state, std::string reason = {});
    void launchThreads();
    void onThreadFinished();
    void fail(const std::string& reason);
    void seal();
    void checkDeadline();
    void abandon();
    void finishStop(bool clean, std::string detail);
    void emitFinished();
    void verifyCloseOut(OpenOrdersQuery query);
    void requestDetach();
    /// Queues an action of the engine's own (the stop's CancelAll), journaled like any other.
    void queueOwnAction(ActionKind action);
    /// Journals what a revoke took back: not executed, and the one whose outcome is unknown.
    void journalRevoked(const ActionQueue::Revoked& revoked, const std::string& reason);

    MarketSetup m_setup;
    std::shared_ptr<MarketCounters> m_counters;
    EventNetwork* m_network;
    EngineSettings m_settings;
    std::shared_ptr<spdlog::logger> m_log;
    std::shared_ptr<JournalSink> m_journal;
    std::shared_ptr<JournalBarrier> m_barrier; // the current session's write-ahead wait (with a journal)
    OpenOrdersAsker* m_asker;

    std::shared_ptr<MarketSession> m_session;
    std::shared_ptr<MarketInbox> m_inbox;
    ProducerThread* m_producer = nullptr;
    ExecutorThread* m_executor = nullptr;
    bool m_producerDone = false;
    bool m_executorDone = false;
    bool m_stopping = false;
    bool m_sealed = false;
    bool m_failed = false;
    bool m_awaitingDetach = false;
    std::int64_t m_deadlineNs = 0;
    std::uint64_t m_generation = 0; // guards timers of an earlier run
    int m_kills = 0;                // times this run abandoned its threads (quarantine)
    QTimer* m_deadlineTimer;
    QTimer* m_detachTimer;
    std::optional<MarketShutdownReport> m_report;
    std::vector<ClientOrderId> m_notExecutedPlacements; // taken back in this run's stop, told at the detach
    std::string m_notExecutedWhy;
    std::string m_degradedAtStop; // why the market was Degraded when its stop began (for the close-out)
};

} // namespace md
