#include "engine/engine.h"

#include "engine/closeouttext.h"
#include "engine/eventnetwork.h"
#include "engine/journalsink.h"
#include "engine/marketcounters.h"
#include "engine/marketrunner.h"
#include "engine/viewstore.h"
#include "logging/logging.h"
#include "positions/positionkeeper.h"
#include "strategy/strategyfactory.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>

namespace md {
namespace {

/// The base assets the desk is not flat in: exposure left behind.
std::vector<AssetMoney> exposureOf(const MoneySnapshot& money) {
    std::vector<AssetMoney> out;
    for (const auto& a : money.assets)
        if (!a.position.isZero())
            out.push_back(a);
    return out;
}
constexpr std::chrono::milliseconds kJournalFlushTimeout{2000};
} // namespace

struct Engine::Private {
    std::string strategyName;
    std::vector<std::string> strategyIds;
    std::vector<StrategyStatus> strategies;
    std::map<std::string, std::string> strategyFailures; // id -> reason, while halted
    mutable std::mutex paramsMutex;                      // strategyParams: written here, read from any thread
    std::vector<QJsonObject> strategyParams;             // by owner, as last applied
    std::vector<QString> strategyKinds;                  // by owner: config "kind" (fixed)
    std::vector<std::vector<std::string>> liveKeys;      // by owner
    std::vector<std::vector<MarketSpec>> traded;         // by owner: what its factory validates against
    std::vector<std::shared_ptr<MarketCounters>> counters;
    std::vector<MarketRunner*> runners;
    std::unique_ptr<ViewStore> views;
    SequencedRing<ReasoningRecord> reasoning{2000};
    QThread* networkThread = nullptr;
    EventNetwork* network = nullptr;
    QThread* positionsThread = nullptr;
    PositionKeeper* positions = nullptr; // lives on positionsThread
    std::shared_ptr<spdlog::logger> log;

    bool started = false;
    bool halted = false;
    bool shuttingDown = false;
    bool marketsStopping = false;
    bool strategyDone = false;
    bool strategyInTime = false; // ShutdownDone came before the markets were told to stop
    bool shutdownFinished = false;
    std::atomic<std::int64_t> shutdownStartNs{0}; // read by reportSoFar (any thread)
    std::int64_t deadlineNs = 0;
    std::set<MarketId> stillStopping;
    std::optional<ShutdownReport> report;
    // The finished close-out for other threads (the shutdown watchdog), set once, before the journal's
    // bounded flush: a watchdog that fires after it repeats it instead of telling a second story.
    mutable std::mutex finishedMutex;
    std::optional<ShutdownReport> finished;

    QElapsedTimer uptime;
    QTimer* rateTimer = nullptr;
    std::vector<std::uint64_t> lastEvents;
    std::shared_ptr<JournalSink> journal;
    bool journalFailureHandled = false;
    std::int64_t lastRateNs = 0;
};

namespace {
std::vector<StrategySetup> oneStrategy(std::unique_ptr<Strategy> strategy) {
    std::vector<StrategySetup> out;
    if (strategy)
        out.push_back(StrategySetup{"strategy", std::move(strategy), {}, {}});
    return out;
}
} // namespace

Engine::Engine(EngineSettings settings, std::vector<MarketSetup> markets, std::unique_ptr<Strategy> strategy,
               QObject* parent)
    : Engine(std::move(settings), std::move(markets), oneStrategy(std::move(strategy)), parent) {}

Engine::Engine(EngineSettings settings, std::vector<MarketSetup> markets, std::vector<StrategySetup> strategies,
               QObject* parent)
    : QObject(parent)
    , m_settings(settings)
    , d(std::make_unique<Private>()) {
    qRegisterMetaType<md::ShutdownReport>();
    qRegisterMetaType<md::MarketState>();
    d->log = logging::get("engine");
    d->views = std::make_unique<ViewStore>(markets.size());
    std::vector<MarketSpec> specs;
    for (std::size_t i = 0; i < markets.size(); ++i) {
        markets[i].spec.id = static_cast<MarketId>(i);
        specs.push_back(markets[i].spec);
        d->counters.push_back(std::make_shared<MarketCounters>());
    }
    d->lastEvents.assign(markets.size(), 0);

    EventNetworkCallbacks callbacks;
    callbacks.stopPrepared = [this](MarketId m) { d->runners.at(m)->onStopPrepared(); };
    callbacks.marketDetached = [this](MarketId m, std::vector<ClientOrderId> open, std::vector<ClientOrderId> unknown) {
        d->runners.at(m)->onDetached(std::move(open), std::move(unknown));
    };
    callbacks.strategyShutdownDone = [this] {
        d->strategyDone = true;
        d->strategyInTime = !d->marketsStopping;
        if (!d->strategyInTime)
            d->log->warn("strategy answered ShutdownDone after its timeout: the markets were already stopping");
        continueShutdown();
    };
    callbacks.strategyFailed = [this](std::string id, std::string reason) {
        d->log->error("strategy {} halted: {}", id, reason);
        d->strategyFailures[id] = reason;
        emit strategyHalted(QString::fromStdString(id), QString::fromStdString(reason));
    };
    callbacks.strategiesReported = [this](std::vector<StrategyStatus> all) {
        for (const auto& s : all)
            if (s.state != StrategyState::Halted)
                d->strategyFailures.erase(s.id);
        d->strategies = std::move(all);
        emit strategiesChanged();
    };
    callbacks.statusReported = [this](MarketId m, MarketState s, std::string reason) {
        d->runners.at(m)->onStatusReported(s, reason);
    };

    // Positions and P&L are kept on a thread of their own, fed by the network through a lock-free inbox.
    std::vector<std::string> owners;
    for (const auto& s : strategies)
        owners.push_back(s.id);
    d->positions = new PositionKeeper(specs, *d->views, 100, std::move(owners));
    d->positionsThread = new QThread;
    d->positionsThread->setObjectName("positions");
    d->positions->moveToThread(d->positionsThread);

    d->strategyName = strategies.empty() ? std::string() : std::string(strategies.front().strategy->name());
    for (const auto& s : strategies) {
        d->strategyIds.push_back(s.id);
        d->strategyParams.push_back(s.params);
        d->strategyKinds.push_back(s.params.value("kind").toString());
        d->liveKeys.push_back(s.strategy->liveKeys());
        std::vector<MarketSpec> traded;
        for (const auto& spec : specs)
            if (s.markets.empty() || std::find(s.markets.begin(), s.markets.end(), spec.id) != s.markets.end())
                traded.push_back(spec);
        d->traded.push_back(std::move(traded));
        d->strategies.push_back(StrategyStatus{s.id,
                                               std::string(s.strategy->name()),
                                               static_cast<OwnerId>(d->strategies.size()),
                                               StrategyState::Running,
                                               {},
                                               s.markets});
    }
    d->network = new EventNetwork(std::move(specs), d->counters, std::move(strategies), m_settings.risk, *d->views,
                                  d->reasoning, this, std::move(callbacks));
    d->networkThread = new QThread;
    d->networkThread->setObjectName("event-network");
    d->network->moveToThread(d->networkThread);
    d->network->setMoneyInbox(d->positions->inbox()); // before start(): the network thread is not running yet
    d->network->setManualSettings(m_settings.manual);

    for (auto& setup : markets) {
        const MarketId id = setup.spec.id;
        auto* runner = new MarketRunner(std::move(setup), d->counters[id], d->network, m_settings, this);
        connect(runner, &MarketRunner::stateChanged, this, &Engine::marketStateChanged);
        connect(runner, &MarketRunner::finished, this, &Engine::onMarketFinishedStopping);
        connect(runner, &MarketRunner::reconciled, this, &Engine::marketReconciled);
        connect(runner, &MarketRunner::reconciled, this,
                [this](MarketId market, bool reachable, std::vector<OpenOrderInfo> open) {
                    // This run's orders only: an earlier run's order may carry the same client id.
                    const std::string& tag = d->runners.at(market)->spec().orderTag;
                    std::vector<ClientOrderId> ids;
                    for (const auto& o : open)
                        if (o.id != 0 && (o.orderTag.empty() || o.orderTag == tag))
                            ids.push_back(o.id);
                    QMetaObject::invokeMethod(
                        d->network,
                        [n = d->network, market, reachable, ids = std::move(ids)]() mutable {
                            n->reconcileOrders(market, reachable, std::move(ids));
                        },
                        Qt::QueuedConnection);
                });
        d->runners.push_back(runner);
    }

    d->rateTimer = new QTimer(this);
    d->rateTimer->setInterval(500);
    connect(d->rateTimer, &QTimer::timeout, this, [this] {
        const std::int64_t now = steadyNowNs();
        const double seconds = (now - d->lastRateNs) / 1e9;
        d->lastRateNs = now;
        for (std::size_t i = 0; i < d->counters.size(); ++i) {
            const std::uint64_t total = d->counters[i]->eventsTotal.load(std::memory_order_relaxed);
            const double rate = seconds > 0 ? (total - d->lastEvents[i]) / seconds : 0;
            d->lastEvents[i] = total;
            d->counters[i]->eventsPerSecond.store(rate, std::memory_order_relaxed);
        }
    });
}

Engine::~Engine() {
    for (auto* runner : d->runners)
        runner->stopNow(1000);
    // The network is deleted on its own thread when that thread finishes (deferred delete).
    connect(d->networkThread, &QThread::finished, d->network, &QObject::deleteLater);
    d->networkThread->quit();
    if (d->networkThread->wait(2000))
        delete d->networkThread;
    // else: a strategy stuck in a loop holds the thread; it is leaked rather than destroyed while running.
    connect(d->positionsThread, &QThread::finished, d->positions, &QObject::deleteLater);
    d->positionsThread->quit();
    if (d->positionsThread->wait(2000))
        delete d->positionsThread;
}

void Engine::setJournal(std::shared_ptr<JournalSink> journal) {
    d->journal = journal;
    for (auto* runner : d->runners)
        runner->setJournal(journal);
    if (journal) {
        // Called on the journal's writer thread the moment a write fails: the halt is posted here at
        // once (placements already queued are refused by their executors' barrier meanwhile).
        QPointer<Engine> self(this);
        journal->setFailureListener([self](const std::string& reason) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, reason] {
                    if (self)
                        self->onJournalFailed(reason);
                },
                Qt::QueuedConnection);
        });
    }
    // Before start(): the network thread is not running yet.
    d->network->setJournal(std::move(journal), m_settings.journalMaxLagSeconds);
}

void Engine::onJournalFailed(const std::string& reason) {
    if (d->journalFailureHandled)
        return;
    d->journalFailureHandled = true;
    d->log->critical("{}: trading HALTED — no placement is sent without its journal record; cancels still pass. "
                     "The run will end with exit code 6; free the disk or fix the journal, then restart",
                     reason);
    halt();
}

bool Engine::journalFailed() const {
    return d->journalFailureHandled || (d->journal && !d->journal->healthy());
}

JournalHealth Engine::journalHealth() const {
    return d->journal ? d->journal->health() : JournalHealth{};
}

std::size_t Engine::marketCount() const {
    return d->runners.size();
}

const MarketSpec& Engine::marketSpec(MarketId market) const {
    return d->runners.at(market)->spec();
}

void Engine::start() {
    if (d->started || d->shuttingDown)
        return;
    d->started = true;
    d->uptime.start();
    d->networkThread->start();
    // The keeper starts from its own thread's `started` (a direct call there), not from a call queued
    // here: the connection is made before the thread exists, so the thread sees it through
    // pthread_create, where ThreadSanitizer can tell; a queued call's hand-over goes through Qt's own
    // futex-based locks, which it cannot see (it reported a race on the slot object in marketdesk).
    connect(d->positionsThread, &QThread::started, d->positions, &PositionKeeper::start, Qt::DirectConnection);
    d->positionsThread->start();
    d->lastRateNs = steadyNowNs();
    d->rateTimer->start();
    d->log->info("engine started with {} market(s), grace {} s", d->runners.size(), m_settings.graceSeconds);
    for (auto* runner : d->runners)
        if (runner->isEnabledAtStart())
            runner->start();
}

void Engine::startMarket(MarketId market) {
    if (!d->started || d->shuttingDown || market >= d->runners.size())
        return;
    d->runners[market]->start();
}

void Engine::stopMarket(MarketId market) {
    if (!d->started || d->shuttingDown || market >= d->runners.size())
        return;
    d->runners[market]->stop(steadyNowNs() + static_cast<std::int64_t>(m_settings.graceSeconds * 1e9), true);
}

void Engine::halt() {
    if (d->halted)
        return;
    d->halted = true;
    QMetaObject::invokeMethod(
        d->network, [n = d->network] { n->setGlobalTradingState(TradingState::Halted); }, Qt::QueuedConnection);
    emit haltChanged(true);
}

void Engine::resume() {
    if (!d->halted)
        return;
    d->halted = false;
    QMetaObject::invokeMethod(
        d->network, [n = d->network] { n->setGlobalTradingState(TradingState::Active); }, Qt::QueuedConnection);
    emit haltChanged(false);
}

void Engine::setMarketTradingState(MarketId market, TradingState state) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, market, state] { n->setMarketTradingState(market, state); }, Qt::QueuedConnection);
}

void Engine::cancelOrder(MarketId market, ClientOrderId id) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, market, id] { n->cancelOrder(market, id); }, Qt::QueuedConnection);
}

void Engine::cancelEarlierRunOrders(MarketId market) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, market] { n->cancelEarlierRunOrders(market); }, Qt::QueuedConnection);
}

void Engine::placeManualOrder(MarketId market, ManualOrder order) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, market, order] { n->placeManual(market, order); }, Qt::QueuedConnection);
}

void Engine::cancelMarketOrders(MarketId market) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, market] { n->cancelMarketOrders(market); }, Qt::QueuedConnection);
}

void Engine::flatten(MarketId market) {
    // The position as the positions thread holds it now (every fill the network passed on so far);
    // fills still on their way are not in it: the network refuses nothing for that, the trader
    // sees the result and may flatten again.
    Decimal position;
    if (const auto money = d->positions->current())
        for (const auto& mm : money->markets)
            if (mm.market == market)
                position = mm.position;
    QMetaObject::invokeMethod(
        d->network, [n = d->network, market, position] { n->flatten(market, position); }, Qt::QueuedConnection);
}

void Engine::recheckOpenOrders(MarketId market) {
    if (market < d->runners.size())
        d->runners[market]->recheckOpenOrders();
}

void Engine::beginShutdown() {
    if (d->shuttingDown)
        return;
    d->shuttingDown = true;
    d->shutdownStartNs = steadyNowNs();
    // The grace period bounds the whole shutdown, strategy included (DESIGN §4: grace + 1 s at most).
    d->deadlineNs = d->shutdownStartNs.load() + static_cast<std::int64_t>(m_settings.graceSeconds * 1e9);
    d->log->warn("orderly shutdown: {} s grace for every executor", m_settings.graceSeconds);
    emit shutdownBegan();
    if (!d->started) {
        finishShutdown();
        return;
    }
    QMetaObject::invokeMethod(
        d->network, [n = d->network] { n->beginShutdown(); }, Qt::QueuedConnection);
    const double wait = std::min(m_settings.strategyTimeoutSeconds, m_settings.graceSeconds / 2);
    QTimer::singleShot(static_cast<int>(wait * 1000), this, [this] {
        if (!d->strategyDone && !d->marketsStopping)
            d->log->warn("strategy did not answer ShutdownDone in time; stopping the markets anyway");
        continueShutdown();
    });
    // Last line of defence: the report comes out even if something below misbehaves.
    QTimer::singleShot(static_cast<int>(m_settings.graceSeconds * 1000) + 900, this, [this] {
        if (!d->shutdownFinished) {
            d->log->error("shutdown overran its grace; reporting now");
            finishShutdown();
        }
    });
}

void Engine::continueShutdown() {
    if (!d->shuttingDown || d->marketsStopping)
        return;
    d->marketsStopping = true;
    for (auto* runner : d->runners) {
        if (runner->isBusy()) {
            d->stillStopping.insert(runner->id());
            runner->stop(d->deadlineNs, false);
        }
    }
    if (d->stillStopping.empty())
        finishShutdown();
}

void Engine::onMarketFinishedStopping(MarketId market) {
    if (!d->marketsStopping)
        return;
    d->stillStopping.erase(market);
    if (d->stillStopping.empty())
        finishShutdown();
}

void Engine::finishShutdown() {
    if (d->shutdownFinished)
        return;
    d->shutdownFinished = true;
    ShutdownReport report;
    report.seconds = (steadyNowNs() - d->shutdownStartNs) / 1e9;
    report.strategyAnswered = !d->started || (d->strategyDone && d->strategyInTime); // never started: never asked
    report.strategyAnsweredLate = d->strategyDone && !d->strategyInTime;
    report.money = *d->positions->current();
    for (auto* runner : d->runners) {
        if (d->stillStopping.count(runner->id()) && runner->lastReport()) {
            // Stopped, but the exchange or the event network had not answered yet.
            MarketShutdownReport r = *runner->lastReport();
            r.detail += "; the report came before the last answers";
            report.markets.push_back(r);
        } else if (d->stillStopping.count(runner->id())) {
            // Its runner has not finished in time: what it has not executed is taken back now.
            MarketShutdownReport r = reportWithoutItsRunner(runner->id(), "did not finish stopping in time");
            report.markets.push_back(r);
        } else if (runner->lastReport()) {
            report.markets.push_back(*runner->lastReport());
        } else {
            MarketShutdownReport r;
            r.id = runner->id();
            r.name = runner->spec().name;
            r.detail = "was not running";
            r.ordersLeftOpen = 0;
            report.markets.push_back(r);
        }
    }
    // What each market left behind, from its last view (published when it was detached): the orders
    // still open or never acknowledged. The position left is the money's (one figure: report.money).
    for (auto& m : report.markets)
        if (auto view = d->views->get(m.id))
            m.ordersLeft = view->openOrders;
    report.exposure = exposureOf(report.money);
    logCloseOut(report);
    {
        const std::lock_guard lock(d->finishedMutex);
        d->finished = report;
    }
    if (d->journal) {
        d->journal->recordShutdown(report);
        // Bounded: a disk that hangs must not hold the exit (the report is in the log already).
        if (d->journal->flush(kJournalFlushTimeout))
            d->log->info("journal flushed: the close-out is durable");
        else
            d->log->error("journal could not be flushed: {}",
                          d->journal->healthy() ? "not done in time" : d->journal->failure());
    }
    d->report = report;
    d->rateTimer->stop();
    emit shutdownFinished(report);
}

void Engine::logCloseOut(const ShutdownReport& report) const {
    // closeOutLines ends with the money lines (positions, P&L, fees: moneytext::closeOutLines).
    const auto level = report.needsAttention() ? spdlog::level::warn : spdlog::level::info;
    for (const auto& line : closeOutLines(report))
        d->log->log(level, "{}", line);
    d->log->info("shutdown finished in {:.3f} s", report.seconds);
}

std::shared_ptr<const MoneySnapshot> Engine::money() const {
    return d->positions->published();
}

const std::string& Engine::strategyName() const {
    return d->strategyName;
}

const std::vector<std::string>& Engine::strategyIds() const {
    return d->strategyIds;
}

const std::vector<StrategyStatus>& Engine::strategies() const {
    return d->strategies;
}

std::optional<std::string> Engine::setStrategyParameter(OwnerId owner, const QString& key, const QJsonValue& value) {
    if (owner >= d->strategyIds.size())
        return std::string("no such strategy");
    const std::string path = d->strategyIds.size() > 1 ? "strategies[" + std::to_string(owner) + "]" : "strategy";
    const std::string field = path + "." + key.toStdString();
    const auto& live = d->liveKeys[owner];
    QJsonObject params = strategyParameters(owner);
    params.insert("kind", d->strategyKinds[owner]);
    const StrategyFactory* factory = findStrategyFactory(d->strategyKinds[owner].toStdString());
    if (!factory || key == "kind")
        return field + ": cannot change live";
    const bool isLive = std::find(live.begin(), live.end(), key.toStdString()) != live.end();
    if (!isLive && params.contains(key))
        return field + ": cannot change live (it takes effect with a new configuration)";
    const QJsonValue before = params.value(key);
    params.insert(key, value);
    // Checked as the configuration is: an unknown key or a bad value is refused with the field named.
    if (auto error = factory->validate(params, d->traded[owner], path))
        return *error;
    if (!isLive)
        return field + ": cannot change live (it takes effect with a new configuration)";
    {
        std::lock_guard lock(d->paramsMutex);
        d->strategyParams[owner] = params;
    }
    // As JSON: what the journal keeps is what a configuration file would say.
    auto json = [](const QJsonValue& v) {
        if (v.isUndefined())
            return std::string();
        const QByteArray a = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
        return a.mid(1, a.size() - 2).toStdString();
    };
    StrategyChange change{d->strategyIds[owner], "parameter", key.toStdString(), json(before), json(value), {}};
    d->log->warn("strategy {} parameter {}: {} -> {}", change.strategy, change.key,
                 change.before.empty() ? "(default)" : change.before, change.after);
    QMetaObject::invokeMethod(
        d->network, [n = d->network, owner, params, change] { n->retuneStrategy(owner, params, change); },
        Qt::QueuedConnection);
    return std::nullopt;
}

QJsonObject Engine::strategyParameters(OwnerId owner) const {
    std::lock_guard lock(d->paramsMutex);
    if (owner >= d->strategyParams.size())
        return {};
    QJsonObject p = d->strategyParams[owner];
    p.remove("kind");
    return p;
}

std::vector<std::string> Engine::strategyLiveKeys(OwnerId owner) const {
    return owner < d->liveKeys.size() ? d->liveKeys[owner] : std::vector<std::string>{};
}

void Engine::pauseStrategy(OwnerId owner, bool cancelOrders) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, owner, cancelOrders] { n->pauseStrategy(owner, cancelOrders); },
        Qt::QueuedConnection);
}

void Engine::resumeStrategy(OwnerId owner) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, owner] { n->resumeStrategy(owner); }, Qt::QueuedConnection);
}

void Engine::stopStrategy(OwnerId owner) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, owner] { n->stopStrategy(owner); }, Qt::QueuedConnection);
}

void Engine::startStrategy(OwnerId owner) {
    QMetaObject::invokeMethod(
        d->network, [n = d->network, owner] { n->startStrategy(owner); }, Qt::QueuedConnection);
}

std::shared_ptr<const MoneySnapshot> Engine::moneyNow() const {
    return d->positions->current();
}

void Engine::carryMoney(MarketId market, Decimal realized, Decimal feesInQuote,
                        const std::map<std::string, Decimal>& otherFees) {
    d->positions->carry(market, realized, feesInQuote, otherFees);
}

MarketShutdownReport Engine::reportWithoutItsRunner(MarketId market, const std::string& why) {
    MarketCounters& c = *d->counters[market];
    MarketShutdownReport r;
    r.id = market;
    r.name = d->runners[market]->spec().name;
    const MarketState state = c.state.load();
    // Everything the market has not executed is taken back first: nothing this report calls "not
    // executed" can reach the connector after it.
    const ActionQueue::Revoked revoked = c.revokeRun();
    if (d->journal) {
        for (const Action& a : revoked.notExecuted)
            d->journal->recordOutcome(market, r.name, a.kind, ActionOutcome::NotExecuted, why);
        if (revoked.unknown)
            d->journal->recordOutcome(market, r.name, revoked.unknown->kind, ActionOutcome::Unknown, why);
    }
    const MarketCounters::Actions actions = c.actions();
    r.actionsExecuted = actions.tally.executed;
    r.actionsNotExecuted = actions.tally.notExecuted;
    r.actionsOutcomeUnknown = actions.tally.unknown;
    r.clean = state == MarketState::Stopped || state == MarketState::Failed;
    r.detail = isActive(state) ? why : std::string(nameOf(state)) + "; " + why;
    return r; // orders left open: unknown
}

ShutdownReport Engine::reportSoFar(const std::string& why) {
    {
        const std::lock_guard lock(d->finishedMutex);
        if (d->finished) {
            d->log->warn("the shutdown had finished ({:.3f} s, close-out above) but the process did not end: {}",
                         d->finished->seconds, why);
            return *d->finished;
        }
    }
    ShutdownReport report;
    report.seconds = d->shutdownStartNs.load() ? (steadyNowNs() - d->shutdownStartNs.load()) / 1e9 : 0;
    for (std::size_t i = 0; i < d->runners.size(); ++i) {
        MarketShutdownReport r = reportWithoutItsRunner(static_cast<MarketId>(i), why);
        // Cut short: only a market that had stopped in order is clean.
        r.clean = d->counters[i]->state.load() == MarketState::Stopped;
        report.markets.push_back(r);
    }
    report.money = *d->positions->current();
    report.exposure = exposureOf(report.money);
    logCloseOut(report);
    return report;
}

std::vector<MarketHealth> Engine::health() const {
    std::vector<MarketHealth> out;
    out.reserve(d->runners.size());
    const std::int64_t now = steadyNowNs();
    for (auto* runner : d->runners) {
        const auto& c = *d->counters[runner->id()];
        const auto& spec = runner->spec();
        MarketHealth h;
        h.id = spec.id;
        h.name = spec.name;
        h.connector = spec.connector;
        h.symbol = spec.instrument.symbol;
        h.state = c.state.load();
        h.stateReason = c.stateReason();
        h.eventsTotal = c.eventsTotal.load(std::memory_order_relaxed);
        h.eventsPerSecond = c.eventsPerSecond.load(std::memory_order_relaxed);
        const std::int64_t last = c.lastEventNs.load(std::memory_order_relaxed);
        h.lastEventAgeSeconds = last > 0 ? (now - last) / 1e9 : -1;
        const std::int64_t data = c.lastDataNs.load(std::memory_order_relaxed);
        h.lastDataAgeSeconds = data > 0 ? (now - data) / 1e9 : -1;
        h.actionsEnqueued = c.actionsEnqueued();
        const MarketCounters::Actions actions = c.actions();
        h.actionsExecuted = actions.tally.executed;
        h.actionsNotExecuted = actions.tally.notExecuted;
        h.actionsOutcomeUnknown = actions.tally.unknown;
        h.actionsRejected = c.actionsRejected.load(std::memory_order_relaxed);
        h.queueDepth = actions.pending;
        h.oldestActionAgeSeconds = actions.oldestPendingNs > 0 ? (now - actions.oldestPendingNs) / 1e9 : 0;
        h.openOrders = c.openOrders.load(std::memory_order_relaxed);
        h.parseErrors = c.parseErrors.load(std::memory_order_relaxed);
        for (std::size_t r = 0; r < kRejectionReasons; ++r) {
            const auto reason = static_cast<RejectionReason>(r);
            if (const std::uint64_t n = c.rejectionsOf(reason)) {
                h.ordersRejected += n;
                h.rejectionsByReason.emplace_back(std::string(nameOf(reason)), n);
            }
        }
        h.errors = h.parseErrors + c.executorErrors.load(std::memory_order_relaxed) +
                   c.rejectionsOf(RejectionReason::Exchange);
        h.lastRejection = c.lastRejection();
        h.droppedLateEvents = c.droppedLateEvents.load(std::memory_order_relaxed);
        h.lastError = c.lastError();
        h.bestBid = c.bestBid.load(std::memory_order_relaxed);
        h.bestAsk = c.bestAsk.load(std::memory_order_relaxed);
        h.restarts = c.restarts.load(std::memory_order_relaxed);
        h.tickToAction = c.latency();
        h.tradingState = std::string(nameOf(c.tradingState.load()));
        h.breakerReason = c.breakerReason();
        h.executorStuck = c.executorStuck.load(std::memory_order_relaxed);
        if (auto inspect = c.inspector())
            h.details = inspect();
        out.push_back(std::move(h));
    }
    return out;
}

std::shared_ptr<const MarketView> Engine::marketView(MarketId market) const {
    return d->views->get(market);
}

std::vector<ReasoningRecord> Engine::reasoningSince(std::uint64_t after, std::size_t max) const {
    return d->reasoning.since(after, max);
}

ShutdownProgress Engine::shutdownProgress() const {
    ShutdownProgress p;
    p.active = d->shuttingDown && !d->shutdownFinished;
    p.graceSeconds = m_settings.graceSeconds;
    p.secondsLeft = d->shuttingDown ? std::max(0.0, (d->deadlineNs - steadyNowNs()) / 1e9) : m_settings.graceSeconds;
    p.strategyDone = d->strategyDone;
    for (auto* runner : d->runners)
        p.markets.push_back(runner->progress());
    return p;
}

bool Engine::hasFinishedShutdown() const {
    const std::lock_guard lock(d->finishedMutex);
    return d->finished.has_value();
}

std::optional<ShutdownReport> Engine::shutdownReport() const {
    return d->report;
}
bool Engine::isShuttingDown() const {
    return d->shuttingDown;
}
bool Engine::isHalted() const {
    return d->halted;
}
std::string Engine::strategyFailure() const {
    std::string out;
    for (const auto& [id, reason] : d->strategyFailures)
        out += (out.empty() ? "" : "\n") + (d->strategyIds.size() > 1 ? id + ": " : std::string()) + reason;
    return out;
}
double Engine::uptimeSeconds() const {
    return d->uptime.isValid() ? d->uptime.elapsed() / 1000.0 : 0;
}

} // namespace md
