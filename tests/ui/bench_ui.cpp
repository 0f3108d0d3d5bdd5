// The window, offscreen, over simulated markets at 50,000 events/s: worst UI event-loop stall, UI
// thread CPU share, resident memory at start and end. Beside it, the same timer on an idle loop
// (no engine, no window) measured in the same run as the reference.
// Usage: bench_ui [--seconds S] [--warmup S] [--max-warmup S] [--rate R] | --smoke
// (the warm-up lasts at least --warmup seconds, then until the log and reasoning panels are full,
// at most --max-warmup seconds, default 180)
#include "logmodel.h"
#include "logpanel.h"
#include "mainwindow.h"
#include "ordersmodel.h"
#include "orderspanel.h"
#include "reasoningmodel.h"
#include "theme.h"

#include "engine/engine.h"
#include "engine/marketcounters.h"
#include "logging/logging.h"
#include "sim/simconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <unistd.h>

using namespace md;

namespace {

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

double rssMiB() {
    QFile f("/proc/self/statm");
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const auto fields = f.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0) : 0;
}

// Time this thread spent runnable but waiting for a CPU (other processes on the cores), in ms.
double runQueueWaitMs() {
    QFile f("/proc/thread-self/schedstat");
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const auto fields = f.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() / 1e6 : 0;
}

QString loadAverage() {
    QFile f("/proc/loadavg");
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(' ', 0, 2) : QString("?");
}

// Counts the queued calls (QMetaCallEvent) delivered to objects of the UI thread.
class MetaCallCounter : public QObject {
public:
    long long count = 0;
    bool eventFilter(QObject*, QEvent* event) override {
        count += event->type() == QEvent::MetaCall;
        return false;
    }
};

struct Stalls {
    double worstMs = 0;
    double p99Ms = 0;
    double cpuShare = 0;
    double waitMs = 0; // runnable, waiting for a CPU
};

/// Runs the event loop for `seconds` with a 5 ms timer and measures how late each tick was.
Stalls measure(double seconds) {
    std::vector<double> late;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        late.push_back(std::max(0.0, (now - last) / 1e6 - 5.0));
        last = now;
    });
    QEventLoop loop;
    QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
    const double cpu0 = threadCpuSeconds();
    const double wait0 = runQueueWaitMs();
    tick.start();
    loop.exec();
    Stalls s;
    s.cpuShare = (threadCpuSeconds() - cpu0) / seconds;
    s.waitMs = runQueueWaitMs() - wait0;
    std::sort(late.begin(), late.end());
    if (!late.empty()) {
        s.worstMs = late.back();
        s.p99Ms = late[std::min(late.size() - 1, static_cast<std::size_t>(late.size() * 0.99))];
    }
    return s;
}

MarketSpec simSpec(MarketId id, const char* name, const char* tick, QJsonObject settings) {
    MarketSpec spec;
    spec.id = id;
    spec.name = name;
    spec.connector = "sim";
    spec.instrument.symbol = "BTCUSDT";
    spec.instrument.base = "BTC";
    spec.instrument.quote = "USDT";
    spec.instrument.tick = *Price::parse(tick);
    spec.instrument.step = *Quantity::parse("0.0001");
    spec.settings = std::move(settings);
    return spec;
}

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    logging::init({spdlog::level::info, false, {}});
    double seconds = 60;
    double warmup = 20;
    double maxWarmup = 180;
    double rate = 50000;
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--seconds")
            seconds = args[i + 1].toDouble();
        if (args[i] == "--rate")
            rate = args[i + 1].toDouble();
        if (args[i] == "--warmup")
            warmup = args[i + 1].toDouble();
        if (args[i] == "--max-warmup")
            maxWarmup = args[i + 1].toDouble();
    }
    if (args.contains("--smoke")) { // CTest: it builds and runs, no figures
        seconds = 2;
        warmup = 1;
        maxWarmup = 0;
    }
    applyTheme(app, ThemeChoice::Dark);

    const Stalls idle = measure(std::min(5.0, seconds));

    SimConnectorFactory sim;
    std::vector<MarketSpec> specs{
        simSpec(0, "SIM-LIQUID", "0.01",
                {{"seed", 7}, {"mid", "64250.00"}, {"events_per_second", rate}, {"latency_ms", 3}}),
        simSpec(1, "SIM-THIN", "0.10",
                {{"seed", 11}, {"mid", "64250.00"}, {"events_per_second", 200}, {"latency_ms", 5}})};
    const QJsonObject strategy{{"kind", "mirror"},
                               {"source", "SIM-LIQUID"},
                               {"destination", "SIM-THIN"},
                               {"max_exposure", "0.5"},
                               {"order_quantity", "0.05"}};
    EngineSettings settings;
    settings.graceSeconds = 5;
    Engine engine(settings, {{specs[0], &sim, true}, {specs[1], &sim, true}},
                  findStrategyFactory("mirror")->create(strategy, specs));
    MainWindow window(engine);
    window.setReportHoldMs(0);
    window.resize(1600, 940);
    window.show();
    engine.start();

    // Warm-up: first views, caches, fonts, and the bounded buffers (log, reasoning, orders, fills,
    // chart history) filling up to their caps; memory is judged after that. At least --warmup
    // seconds, longer until the log and reasoning panels hold as many rows as they ever will.
    QElapsedTimer warming;
    warming.start();
    measure(warmup);
    auto full = [&window] {
        return static_cast<std::size_t>(window.logPanel()->model()->rowCount()) >=
                   window.logPanel()->model()->capacity() &&
               static_cast<std::size_t>(window.reasoningModel()->rowCount()) >= window.reasoningModel()->capacity();
    };
    if (warming.elapsed() < maxWarmup * 1000) {
        while (!full() && warming.elapsed() < maxWarmup * 1000)
            measure(1);
        measure(5); // one more round of every bounded history after the caps
    }
    warmup = warming.elapsed() / 1000.0;
    const QString loadStart = loadAverage();
    MetaCallCounter calls;
    app.installEventFilter(&calls);
    const auto eventsAtStart = engine.health()[0].eventsTotal + engine.health()[1].eventsTotal;
    const double rssStart = rssMiB();
    std::vector<double> samples;
    Stalls busy;
    const int slices = std::max(1, static_cast<int>(seconds / 10));
    double cpu = 0;
    std::vector<Stalls> perSlice;
    for (int i = 0; i < slices; ++i) {
        const Stalls s = measure(seconds / slices);
        busy.worstMs = std::max(busy.worstMs, s.worstMs);
        busy.p99Ms = std::max(busy.p99Ms, s.p99Ms);
        busy.waitMs += s.waitMs;
        cpu += s.cpuShare / slices;
        samples.push_back(rssMiB());
        perSlice.push_back(s);
    }
    busy.cpuShare = cpu;
    const double rssEnd = rssMiB();
    const auto health = engine.health();
    const double seen = health[0].eventsTotal + health[1].eventsTotal;

    std::printf("UI benchmark: window offscreen, simulated markets at %.0f events/s, %.0f s\n\n", rate, seconds);
    std::printf("%-34s %12s %12s %12s\n", "", "worst stall", "p99 stall", "UI CPU");
    std::printf("%-34s %10.1f ms %10.1f ms %11.1f%%\n", "window + engine", busy.worstMs, busy.p99Ms,
                busy.cpuShare * 100);
    std::printf("%-34s %10.1f ms %10.1f ms %11.1f%%\n", "reference: idle event loop", idle.worstMs, idle.p99Ms,
                idle.cpuShare * 100);
    std::printf("\nresident memory: %.1f MiB after %.0f s warm-up, %.1f MiB at the end (%+.1f%%)\n", rssStart, warmup,
                rssEnd, (rssEnd - rssStart) / rssStart * 100);
    std::printf("resident memory every %.0f s:", seconds / slices);
    for (double mib : samples)
        std::printf(" %.1f", mib);
    std::printf(" MiB\nevents through the engine: %.0f (%.0f/s)\n", seen, seen / (seconds + warmup));
    std::printf("worst stall every %.0f s:", seconds / slices);
    for (const auto& s : perSlice)
        std::printf(" %.1f", s.worstMs);
    std::printf(" ms\nUI thread runnable but waiting for a CPU: %.0f ms in %.0f s (other processes on the cores)\n",
                busy.waitMs, seconds);
    const double measured = seen - static_cast<double>(eventsAtStart);
    std::printf("queued calls reaching the UI thread: %lld (%.1f/s) for %.0f market events (%.0f/s)\n", calls.count,
                calls.count / seconds, measured, measured / seconds);
    std::printf("load average at start / end: %s / %s\n", qPrintable(loadStart), qPrintable(loadAverage()));
    std::printf("window at the end: %d log rows (+%llu dropped), %d reasoning rows, %d orders, %d fills\n",
                window.logPanel()->model()->rowCount(),
                static_cast<unsigned long long>(window.logPanel()->model()->dropped()),
                window.reasoningModel()->rowCount(), window.ordersModel()->rowCount(),
                window.ordersPanel()->fillsModel()->rowCount());
    std::fflush(stdout);
    logging::flushAll();
    std::_Exit(0); // the markets' threads are still running; the measurement is done
}
