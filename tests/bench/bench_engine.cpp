// End-to-end engine benchmark: producer -> event network -> strategy -> action queue -> executor,
// printed beside a reference lock-free SPSC ring hand-off measured in the same run.
// Usage: bench_engine [--smoke] [--events N] [--seconds S] [--repeats R] [--producers 1|4]
//                     [--placements-rate R] [--write-ahead-only] (the rows of placements waiting for the journal)
//                     [--desk-only] (the row of 1 vs 8 strategies on 8 markets, issue 17)
#include "spscring.h"

#include "engine/engine.h"
#include "engine/marketcounters.h"
#include "journal/sqlitejournal.h"
#include "logging/logging.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/prctl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using namespace md;

namespace {

struct Percentiles {
    double p50 = 0, p99 = 0, p999 = 0;
};

Percentiles percentiles(std::vector<std::int64_t> ns) {
    if (ns.empty())
        return {};
    std::sort(ns.begin(), ns.end());
    auto at = [&](double q) { return ns[std::min(ns.size() - 1, static_cast<std::size_t>(q * ns.size()))] / 1000.0; };
    return {at(0.50), at(0.99), at(0.999)};
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Sleeps until `dueNs` with 1 µs timer slack (the default 50 µs slack would dominate at 20 µs periods).
void sleepUntil(std::int64_t dueNs) {
    const std::int64_t now = steadyNowNs();
    if (dueNs > now)
        std::this_thread::sleep_for(std::chrono::nanoseconds(dueNs - now));
}

// ---------------------------------------------------------------- reference: lock-free rings
// The same pipeline shape built from lock-free SPSC rings: per market a producer -> ring -> the one
// "network" thread -> ring -> that market's executor thread, carrying the same TradingEvent and
// Action values, with each consumer parking on a futex (std::atomic::wait) when idle. Same thread
// count as the engine (N producers, 1 network, N executors). It does no strategy, book, health,
// risk or journal work, so it bounds what any hand-off design could reach on this machine.

/// One executor's count of executed actions, on its own cache line (single writer: a plain store).
/// The engine's harness and the reference count the same way, so neither pays for the other's
/// counting (a shared counter across four executors cost more than the engine's own executor work).
struct alignas(64) ExecutedCount {
    std::atomic<std::int64_t> n{0};
    void bump() { n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed); }
};

/// A consumer that parks when idle; producers wake it only when it sleeps.
struct Parking {
    std::atomic<int> sleeping{0};
    void wakeIfSleeping() {
        if (sleeping.load(std::memory_order_relaxed) && sleeping.exchange(0))
            sleeping.notify_one();
    }
    template <class Poll> void idle(Poll poll) {
        sleeping.store(1);
        if (poll()) {
            sleeping.store(0);
            return;
        }
        sleeping.wait(1);
    }
};

struct RingMarket {
    bench::SpscRing<TradingEvent> inbox{1 << 16};
    bench::SpscRing<Action> actions{1 << 16};
    Parking executor;
};

/// Runs the reference; with rate > 0 a single producer is paced and latency recorded.
double ringPipeline(int producers, std::int64_t eventsEach, double rate, Percentiles* latencyOut) {
    std::vector<std::unique_ptr<RingMarket>> markets;
    for (int i = 0; i < producers; ++i)
        markets.push_back(std::make_unique<RingMarket>());
    Parking network;
    std::vector<ExecutedCount> executed(producers);
    std::vector<std::int64_t> latency; // only with one market
    const std::int64_t total = eventsEach * producers;
    if (rate > 0)
        latency.reserve(total);
    std::atomic<bool> done{false};
    const std::int64_t start = steadyNowNs();
    std::thread networkThread([&] {
        prctl(PR_SET_TIMERSLACK, 1000);
        TradingEvent e;
        std::int64_t forwarded = 0;
        auto poll = [&] {
            bool any = false;
            for (auto& m : markets)
                while (m->inbox.tryPop(e)) {
                    any = true;
                    Action a{CancelOrder{static_cast<ClientOrderId>(++forwarded)}, e.receivedNs, 0};
                    while (!m->actions.tryPush(std::move(a)))
                        std::this_thread::yield();
                    m->executor.wakeIfSleeping();
                }
            return any;
        };
        while (forwarded < total)
            if (!poll())
                network.idle(poll);
    });
    std::vector<std::thread> executors;
    for (int i = 0; i < producers; ++i)
        executors.emplace_back([&, i] {
            prctl(PR_SET_TIMERSLACK, 1000);
            RingMarket& m = *markets[i];
            Action a;
            std::int64_t mine = 0;
            auto poll = [&] {
                bool any = false;
                while (m.actions.tryPop(a)) {
                    any = true;
                    if (rate > 0)
                        latency.push_back(steadyNowNs() - a.causeReceivedNs);
                    ++mine;
                    executed[i].bump();
                }
                return any;
            };
            while (mine < eventsEach)
                if (!poll())
                    m.executor.idle(poll);
        });
    std::vector<std::thread> threads;
    for (int i = 0; i < producers; ++i)
        threads.emplace_back([&, i] {
            prctl(PR_SET_TIMERSLACK, 1000);
            const std::int64_t period = rate > 0 ? static_cast<std::int64_t>(1e9 / rate) : 0;
            std::int64_t due = steadyNowNs();
            for (std::int64_t n = 0; n < eventsEach; ++n) {
                if (period > 0) {
                    due += period;
                    sleepUntil(due);
                }
                TradingEvent e{static_cast<MarketId>(i), steadyNowNs(), 0,
                               TradePrinted{Price(100000, 2), Quantity(1, 4), Side::Bid}};
                while (!markets[i]->inbox.tryPush(std::move(e)))
                    std::this_thread::yield();
                network.wakeIfSleeping();
            }
        });
    for (auto& t : threads)
        t.join();
    // The reference's parking is not airtight (no fence between publish and the sleeping check):
    // keep nudging until everything has passed through.
    std::thread nudger([&] {
        while (!done.load()) {
            network.sleeping.store(0);
            network.sleeping.notify_one();
            for (auto& m : markets) {
                m->executor.sleeping.store(0);
                m->executor.sleeping.notify_one();
            }
            std::this_thread::yield();
        }
    });
    for (auto& t : executors)
        t.join();
    const double seconds = (steadyNowNs() - start) / 1e9;
    done = true;
    nudger.join();
    networkThread.join();
    if (latencyOut) {
        latency.erase(latency.begin(), latency.begin() + latency.size() / 20);
        *latencyOut = percentiles(std::move(latency));
    }
    return total / seconds;
}

// ---------------------------------------------------------------- the engine
// The harness's own counters sit on separate cache lines: sharing one line between the producers'
// and the executors' counting cost the engine more than its hand-offs (measured with perf).
struct Shared {
    std::array<ExecutedCount, 8> executedPerMarket;
    alignas(64) std::atomic<std::int64_t> fired{0};
    alignas(64) std::int64_t padding = 0;
    std::int64_t executed() const {
        std::int64_t sum = 0;
        for (const auto& c : executedPerMarket)
            sum += c.n.load(std::memory_order_relaxed);
        return sum;
    }
    std::vector<std::int64_t> latency; // written by one executor only (latency run has one market)
    std::atomic<std::size_t> latencyCount{0};
};

/// What the strategy does with each trade, and whether placements wait for a journal.
enum class Mode { Cancels, Placements, JournalNormal, JournalFull };

/// Fires TradePrinted events: as fast as it can (rate 0) or paced at `rate` per second. Placements
/// are acknowledged and cancelled at once (two order events back, as an exchange would send).
class BenchConnector : public ConnectorFactory {
public:
    BenchConnector(Shared& shared, std::int64_t events, double rate)
        : m_shared(shared)
        , m_events(events)
        , m_rate(rate) {}
    std::string kind() const override { return "bench"; }
    std::optional<std::string> validate(const QJsonObject&, const std::string&) const override { return {}; }
    ConnectorParts initialize(const MarketSpec& spec, EventSink sink) const override {
        ConnectorParts parts;
        Shared* shared = &m_shared;
        const std::int64_t events = m_events;
        const double rate = m_rate;
        parts.producer = [sink, shared, events, rate](ProducerControl& control) {
            prctl(PR_SET_TIMERSLACK, 1000);
            const TradePrinted trade{Price(100000, 2), Quantity(1, 4), Side::Bid};
            const std::int64_t period = rate > 0 ? static_cast<std::int64_t>(1e9 / rate) : 0;
            std::int64_t due = steadyNowNs();
            for (std::int64_t i = 0; i < events && !control.stopRequested(); ++i) {
                if (period > 0) {
                    due += period;
                    sleepUntil(due);
                } else if ((i & 1023) == 0) {
                    // Bounded backlog so the run measures a steady state, not a memory test.
                    while (shared->fired.load(std::memory_order_relaxed) - shared->executed() > 200000)
                        std::this_thread::yield();
                }
                sink.fire(trade);
                if ((i & 1023) == 1023)
                    shared->fired.fetch_add(1024, std::memory_order_relaxed);
            }
            control.waitForStop(std::chrono::hours(1));
        };
        ExecutedCount* executed = &m_shared.executedPerMarket.at(spec.id);
        parts.executor = [shared, executed, sink](const Action& action) {
            if (action.causeReceivedNs > 0 && !shared->latency.empty()) {
                const std::size_t i = shared->latencyCount.fetch_add(1, std::memory_order_relaxed);
                if (i < shared->latency.size())
                    shared->latency[i] = steadyNowNs() - action.causeReceivedNs;
            }
            if (const auto* p = std::get_if<PlaceLimit>(&action.kind)) {
                sink.fire(OrderPlaced{p->id, p->side, p->price, p->quantity});
                sink.fire(OrderCancelled{p->id});
            }
            executed->bump();
        };
        parts.terminator = [] {};
        return parts;
    }

private:
    Shared& m_shared;
    std::int64_t m_events;
    double m_rate;
};

/// The trivial strategy: every trade becomes one action on the same market (a cancel, or a placement).
class ForwardStrategy : public Strategy {
public:
    explicit ForwardStrategy(bool place)
        : m_place(place) {}
    std::string_view name() const override { return "forward"; }
    StrategyAdvice onEvent(const TradingEvent& event, const StrategyContext&) override {
        StrategyAdvice advice;
        if (!std::holds_alternative<TradePrinted>(event.payload))
            return advice;
        if (m_place)
            advice.actions.push_back({event.market, PlaceLimit{Side::Bid, Price(99000, 2), Quantity(1, 4), ++m_id}});
        else
            advice.actions.push_back({event.market, CancelOrder{++m_id}});
        return advice;
    }
    StrategyAdvice onControl(const ControlEvent& e, const StrategyContext&) override {
        StrategyAdvice advice;
        if (std::holds_alternative<ShuttingDown>(e))
            advice.control.push_back(ShutdownDone{});
        return advice;
    }

private:
    bool m_place;
    ClientOrderId m_id = 0;
};

struct EngineRun {
    double eventsPerSecond = 0;
    Percentiles latency;
};

/// `strategies` 1: one strategy on every market (the engine's one-strategy form). More: a desk of that
/// many strategies, strategy i on market i % markets (issue 17: each event reaches its market's
/// strategies through a table, never a loop over all of them).
EngineRun runEngine(int markets, std::int64_t eventsEach, double rate, Mode mode = Mode::Cancels, int strategies = 1) {
    Shared shared;
    if (rate > 0)
        shared.latency.assign(eventsEach, 0);
    BenchConnector connector(shared, eventsEach, rate);
    std::vector<MarketSetup> setups;
    for (int i = 0; i < markets; ++i) {
        MarketSpec spec;
        spec.name = "bench" + std::to_string(i);
        spec.connector = "bench";
        spec.instrument.tick = Price(1, 2);
        spec.instrument.step = Quantity(1, 4);
        setups.push_back({spec, &connector, true});
    }
    EngineSettings settings;
    settings.graceSeconds = 5;
    settings.journalMaxLagSeconds = 30; // measure the wait, never refuse
    // Placements pass the risk gate whatever their rate: this measures the hand-offs, not the limits.
    settings.risk.maxOrdersPerSecond = 1e9;
    settings.risk.orderBurst = 1e9;
    settings.risk.maxOpenOrders = 1 << 30;
    settings.risk.maxOrderNotional.reset();
    std::vector<StrategySetup> desk;
    for (int i = 0; i < strategies; ++i)
        desk.push_back(
            {"forward" + std::to_string(i),
             std::make_unique<ForwardStrategy>(mode != Mode::Cancels),
             strategies > 1 ? std::vector<MarketId>{static_cast<MarketId>(i % markets)} : std::vector<MarketId>{},
             {},
             {}});
    Engine engine(settings, std::move(setups), std::move(desk));
    QTemporaryDir dir;
    if (mode == Mode::JournalNormal || mode == Mode::JournalFull) {
        std::string error;
        std::shared_ptr<SqliteJournal> journal = SqliteJournal::open(
            dir.filePath("bench-journal.sqlite"),
            JournalOptions{mode == Mode::JournalFull ? JournalSync::Full : JournalSync::Normal}, error);
        if (!journal) {
            std::fprintf(stderr, "journal: %s\n", error.c_str());
            std::exit(1);
        }
        engine.setJournal(journal);
    }
    const std::int64_t total = eventsEach * markets;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(2);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (shared.executed() >= total)
            loop.quit();
    });
    const std::int64_t start = steadyNowNs();
    engine.start();
    poll.start();
    loop.exec();
    const double seconds = (steadyNowNs() - start) / 1e9;
    EngineRun run;
    run.eventsPerSecond = total / seconds;
    if (rate > 0) {
        shared.latency.resize(std::min<std::size_t>(shared.latencyCount.load(), shared.latency.size()));
        // The first events include thread start-up; leave out the first 5 %.
        shared.latency.erase(shared.latency.begin(), shared.latency.begin() + shared.latency.size() / 20);
        run.latency = percentiles(shared.latency);
    }
    QObject::connect(&engine, &Engine::shutdownFinished, &loop, &QEventLoop::quit);
    engine.beginShutdown();
    loop.exec();
    return run;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    logging::init({spdlog::level::warn, true, {}});
    const bool smoke = app.arguments().contains("--smoke");
    std::int64_t events = smoke ? 20000 : 2000000;
    double latencySeconds = smoke ? 0.2 : 4;
    int repeats = smoke ? 1 : 5;
    int onlyProducers = 0; // --producers N: one throughput configuration only (profiling)
    double placementsRate = 5000;
    const bool writeAheadOnly = app.arguments().contains("--write-ahead-only");
    const bool deskOnly = app.arguments().contains("--desk-only");
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--events")
            events = args[i + 1].toLongLong();
        if (args[i] == "--seconds")
            latencySeconds = args[i + 1].toDouble();
        if (args[i] == "--producers")
            onlyProducers = args[i + 1].toInt();
        if (args[i] == "--repeats")
            repeats = std::max(1, args[i + 1].toInt());
        if (args[i] == "--placements-rate")
            placementsRate = args[i + 1].toDouble();
    }
    const double rate = 50000;
    const auto latencyCount = static_cast<std::int64_t>(rate * latencySeconds);

    std::printf("MarketDesk engine benchmark (%u hardware threads)\n", std::thread::hardware_concurrency());
    std::printf(
        "pipeline: producer -> inbox -> event network -> strategy (1 action/event) -> action queue -> executor\n\n");
    // On two cores three or more busy threads make any one run swing by up to 2x (the scheduler
    // decides who waits), for the reference as much as for the engine. So each configuration is
    // measured `repeats` times, references and engine alternating, and the medians are compared.
    //
    // The reference of issue 2 is a lock-free single-producer ring hand-off: one producer -> ring ->
    // network thread -> ring -> executor. Each engine row is set beside it. The 4-producer row is
    // also set beside a stricter reference of the engine's own shape (4 producer rings, 4 executor
    // rings and threads), which has nothing to merge: that ratio is printed too.
    if (!writeAheadOnly && !deskOnly) {
        std::printf("throughput, %lld events, median of %d runs each (references and engine alternating)\n",
                    static_cast<long long>(events), repeats);
        std::printf("%-40s %14s %14s %8s %14s\n", "", "engine ev/s", "reference ev/s", "ratio", "ratio range");
    }
    bool ok = true;
    auto row = [](const std::string& label, const std::vector<double>& engine, const std::vector<double>& reference) {
        std::vector<double> ratios;
        for (std::size_t i = 0; i < engine.size(); ++i)
            ratios.push_back(engine[i] / reference[i]);
        std::printf("%-40s %14.0f %14.0f %8.2f %6.2f - %-6.2f\n", label.c_str(), median(engine), median(reference),
                    median(ratios), *std::min_element(ratios.begin(), ratios.end()),
                    *std::max_element(ratios.begin(), ratios.end()));
    };
    for (int producers : {1, 4}) {
        if ((onlyProducers && producers != onlyProducers) || writeAheadOnly || deskOnly)
            continue;
        std::vector<double> engine, single, shaped;
        for (int r = 0; r < repeats; ++r) {
            single.push_back(ringPipeline(1, events, 0, nullptr));
            if (producers > 1)
                shaped.push_back(ringPipeline(producers, events / producers, 0, nullptr));
            engine.push_back(runEngine(producers, events / producers, 0).eventsPerSecond);
        }
        const std::string label = std::to_string(producers) + (producers > 1 ? " producers" : " producer");
        row(label + " vs 1-producer ring", engine, single);
        if (producers > 1)
            row(label + " vs same shape (" + std::to_string(producers) + "+" + std::to_string(producers) + " rings)",
                engine, shaped);
        std::fflush(stdout);
        ok = ok && median(engine) > 0;
    }
    // Issue 17: a desk of 8 strategies, one per market, against one strategy on the same 8 markets, in
    // the same run (alternating). Same producers, executors, events and actions (one per event): what
    // differs is the routing (a per-market table of strategies) and the per-strategy bookkeeping.
    if (!writeAheadOnly && !onlyProducers) {
        constexpr int kMarkets = 8;
        std::printf("\n8 markets (8 producers, 8 executors), %lld events, median of %d runs each (alternating)\n",
                    static_cast<long long>(events), repeats);
        std::printf("%-40s %14s %14s %8s %14s\n", "", "8 strat ev/s", "1 strat ev/s", "ratio", "ratio range");
        std::vector<double> one, eight;
        for (int r = 0; r < repeats; ++r) {
            one.push_back(runEngine(kMarkets, events / kMarkets, 0, Mode::Cancels, 1).eventsPerSecond);
            eight.push_back(runEngine(kMarkets, events / kMarkets, 0, Mode::Cancels, 8).eventsPerSecond);
        }
        row("8 strategies vs 1 strategy", eight, one);
        std::printf("%-40s %.0f - %.0f (8 strategies), %.0f - %.0f (1 strategy)\n", "ranges, ev/s",
                    *std::min_element(eight.begin(), eight.end()), *std::max_element(eight.begin(), eight.end()),
                    *std::min_element(one.begin(), one.end()), *std::max_element(one.begin(), one.end()));
        std::fflush(stdout);
        ok = ok && median(eight) > 0 && median(one) > 0;
    }
    if (deskOnly) {
        logging::flushAll();
        return ok ? 0 : 1;
    }
    if (!writeAheadOnly) {
        std::printf("\n%-40s %10s %10s %10s\n", "tick-to-action @ 50000 ev/s (us)", "p50", "p99", "p99.9");
        Percentiles refLatency;
        ringPipeline(1, latencyCount, rate, &refLatency);
        const auto run = runEngine(1, latencyCount, rate);
        std::printf("%-40s %10.1f %10.1f %10.1f\n", "engine (2 hops + strategy)", run.latency.p50, run.latency.p99,
                    run.latency.p999);
        std::printf("%-40s %10.1f %10.1f %10.1f\n", "reference lock-free rings (2 hops)", refLatency.p50,
                    refLatency.p99, refLatency.p999);
        std::fflush(stdout);
    }

    // The write-ahead cost: placements reach the connector only once their journal record is committed
    // (group commit; the journal in a temporary directory on the machine's disk). Each placement is
    // acknowledged and cancelled by the connector, so the journal also takes two order events each.
    std::printf("\n%-40s %10s %10s %10s\n",
                QString("tick-to-action, %1 placements/s (us)").arg(placementsRate).toUtf8().constData(), "p50", "p99",
                "p99.9");
    const auto placements = static_cast<std::int64_t>(placementsRate * latencySeconds);
    for (const auto& [mode, label] : {std::pair{Mode::Placements, "engine, no journal"},
                                      std::pair{Mode::JournalNormal, "engine + journal, journal_sync normal"},
                                      std::pair{Mode::JournalFull, "engine + journal, journal_sync full"}}) {
        const auto r = runEngine(1, placements, placementsRate, mode);
        std::printf("%-40s %10.1f %10.1f %10.1f\n", label, r.latency.p50, r.latency.p99, r.latency.p999);
        std::fflush(stdout);
    }
    logging::flushAll();
    return ok ? 0 : 1;
}
