// Soak: simulated markets at a high rate for a long time, markets switched off and on every few
// seconds, faults injected in turn (each faulty market fails, hangs or spews garbage again every
// time it restarts). Prints resident memory, queue depths and errors over time, and at the end
// checks that every queued action was either executed or reported as not executed.
// Usage: soak [--minutes M] [--toggle-seconds S] [--rate R]     exit code 0 when nothing is lost
#include "engine/engine.h"
#include "logging/logging.h"
#include "sim/simconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

using namespace md;

namespace {

double rssMiB() {
    QFile f("/proc/self/statm");
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const auto fields = f.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0) : 0;
}

int threadCount() {
    QFile f("/proc/self/status");
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("Threads:"))
            return line.mid(8).trimmed().toInt();
    return 0;
}

MarketSpec spec(MarketId id, const std::string& name, QJsonObject settings) {
    MarketSpec s;
    s.id = id;
    s.name = name;
    s.connector = "sim";
    s.instrument.symbol = "BTCUSDT";
    s.instrument.base = "BTC";
    s.instrument.quote = "USDT";
    s.instrument.tick = Price(1, 2);
    s.instrument.step = Quantity(1, 4);
    s.settings = std::move(settings);
    return s;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    logging::init({spdlog::level::err, true, {}});
    double minutes = 30;
    double toggleSeconds = 3;
    double rate = 20000;
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--minutes")
            minutes = args[i + 1].toDouble();
        if (args[i] == "--toggle-seconds")
            toggleSeconds = args[i + 1].toDouble();
        if (args[i] == "--rate")
            rate = args[i + 1].toDouble();
    }

    const SimConnectorFactory& sim = *new SimConnectorFactory; // lives as long as the process
    auto base = [&](int seed, double r) {
        return QJsonObject{{"seed", seed}, {"mid", "100.00"}, {"events_per_second", r}, {"latency_ms", 2}};
    };
    auto faulty = [&](int seed, const char* fault, int afterMs) {
        QJsonObject o = base(seed, 2000);
        o.insert("fault", fault);
        o.insert("fault_after_ms", afterMs);
        return o;
    };
    std::vector<MarketSpec> specs{spec(0, "SOURCE", base(1, rate)),
                                  spec(1, "DEST", base(2, 500)),
                                  spec(2, "MM", base(3, rate / 2)),
                                  spec(3, "GARBAGE", faulty(4, "garbage", 0)),
                                  spec(4, "STALL", faulty(5, "stall_data", 500)),
                                  spec(5, "THROWS", faulty(6, "throw_producer", 800)),
                                  spec(6, "HANGS", faulty(7, "hang_executor", 600))};
    std::vector<MarketSetup> setups;
    for (const auto& s : specs)
        setups.push_back({s, &sim, true});
    // Mirror between SOURCE and DEST, plus a market maker on MM and one on HANGS (so that its
    // executor has actions to hang on): the strategies are combined by a small adapter below.
    const QJsonObject mirror{{"kind", "mirror"},
                             {"source", "SOURCE"},
                             {"destination", "DEST"},
                             {"max_exposure", "1"},
                             {"order_quantity", "0.05"}};
    EngineSettings settings;
    settings.graceSeconds = 0.5;
    settings.strategyTimeoutSeconds = 0.2;
    settings.risk.maxOrdersPerSecond = 1000;
    settings.risk.orderBurst = 1000;
    settings.risk.staleDataSeconds = 2;
    Engine engine(settings, setups, findStrategyFactory("mirror")->create(mirror, specs));
    engine.start();

    const double start = engine.uptimeSeconds();
    std::printf("soak: %zu markets, %.1f min, a market switched every %.1f s, faults: garbage, stall_data, "
                "throw_producer, hang_executor\n",
                specs.size(), minutes, toggleSeconds);
    std::printf("%8s %10s %8s %12s %10s %10s %8s\n", "minute", "RSS MiB", "threads", "events", "max queue", "errors",
                "killed");
    std::size_t next = 1; // SOURCE keeps running so the strategy always has data
    QTimer toggle;
    QObject::connect(&toggle, &QTimer::timeout, [&] {
        const MarketId m = static_cast<MarketId>(next);
        next = next % (specs.size() - 1) + 1;
        const MarketState s = engine.health().at(m).state;
        if (isActive(s))
            engine.stopMarket(m);
        else
            engine.startMarket(m);
    });
    toggle.start(static_cast<int>(toggleSeconds * 1000));

    int killed = 0;
    QObject::connect(&engine, &Engine::marketStateChanged,
                     [&](MarketId, MarketState s) { killed += s == MarketState::Killed; });
    double firstRss = 0;
    std::vector<double> rss;
    auto sample = [&] {
        std::uint64_t events = 0, queue = 0, errors = 0;
        for (const auto& h : engine.health()) {
            events += h.eventsTotal;
            queue = std::max<std::uint64_t>(queue, h.queueDepth);
            errors += h.errors;
        }
        const double now = rssMiB();
        if (firstRss == 0)
            firstRss = now;
        rss.push_back(now);
        std::printf("%8.1f %10.1f %8d %12llu %10llu %10llu %8d\n", (engine.uptimeSeconds() - start) / 60, now,
                    threadCount(), static_cast<unsigned long long>(events), static_cast<unsigned long long>(queue),
                    static_cast<unsigned long long>(errors), killed);
        std::fflush(stdout);
    };
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, sample);
    sampler.start(minutes < 2 ? 5000 : 60000);

    int exitCode = 0;
    QObject::connect(&engine, &Engine::shutdownFinished, [&](const ShutdownReport&) {
        sample();
        // Nothing lost: per market, what was queued was executed or reported as not executed.
        std::uint64_t unaccounted = 0;
        for (const auto& h : engine.health()) {
            const std::uint64_t settled =
                h.actionsExecuted + h.actionsNotExecuted + h.actionsOutcomeUnknown + h.queueDepth;
            const std::uint64_t diff =
                h.actionsEnqueued > settled ? h.actionsEnqueued - settled : settled - h.actionsEnqueued;
            unaccounted += diff;
            std::printf("  %-8s enqueued %8llu = executed %8llu + not executed %6llu + unknown %llu + left %llu%s\n",
                        h.name.c_str(), static_cast<unsigned long long>(h.actionsEnqueued),
                        static_cast<unsigned long long>(h.actionsExecuted),
                        static_cast<unsigned long long>(h.actionsNotExecuted),
                        static_cast<unsigned long long>(h.actionsOutcomeUnknown),
                        static_cast<unsigned long long>(h.queueDepth), diff ? "   <-- NOT ACCOUNTED" : "");
        }
        // After the first sample (warm-up) memory should stay flat.
        const double warm = rss.size() > 2 ? rss[1] : firstRss;
        std::printf("RSS after warm-up %.1f MiB, at the end %.1f MiB (%+.1f%%); actions not accounted for: %llu\n",
                    warm, rss.back(), (rss.back() - warm) / warm * 100, static_cast<unsigned long long>(unaccounted));
        exitCode = unaccounted == 0 ? 0 : 1;
        std::printf("%d passed, %d failed\n", exitCode == 0 ? 1 : 0, exitCode == 0 ? 0 : 1);
        logging::flushAll();
        std::fflush(stdout);
        std::_Exit(exitCode); // abandoned (hung) executors are still sleeping: end without joining them
    });
    QTimer::singleShot(static_cast<int>(minutes * 60 * 1000), [&] {
        toggle.stop();
        engine.beginShutdown();
    });
    return app.exec();
}
