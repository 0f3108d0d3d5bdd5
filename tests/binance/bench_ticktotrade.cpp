// Tick-to-trade on loopback, as the exchange sees it: the fake exchange sends one depth frame; the
// Binance connector parses it, the engine runs the market maker, the executor sends the placement
// that frame caused; the fake exchange stamps the request's arrival. Time from the frame handed to
// the socket to the order request received, over the WebSocket API and over REST, beside the
// loopback round trip of the same WebSocket stacks (a client thread that answers each frame at
// once) as the floor. The fake exchange runs on its own thread; after each frame it fills both
// quotes so the strategy is idle again, and the next frame goes out once everything is quiet.
// Per frame it also splits the time with the connector's own stamps of that placement (health
// details last_placement_engine_us / last_placement_prepare_us): from the frame parsed and handed to
// the engine to the executor taking the placement up (engine: strategy, risk, queue, wake-up), the
// executor's checks and request building, and the rest (both wires, the frame's parse and book
// update, for the WebSocket API the hop to the session's thread and signing, the fake's parse).
// Usage: bench_binance_ticktotrade [--frames N] [--mode all|floor|ws|rest] [--smoke] [--poll]
// (--poll: the harness polls every 100 us while a frame is on its way, as it did before 2026-12-02,
// instead of sleeping on a condition variable)
#include "fakebinanceexchange.h"

#include "binance/binanceconnectorfactory.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "strategy/strategyfactory.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <vector>

using namespace md;

namespace {

qint64 nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Figures {
    double p50 = 0, p99 = 0, max = 0;
    std::size_t n = 0;
};

Figures figures(std::vector<double> us) {
    Figures f;
    if (us.empty())
        return f;
    std::sort(us.begin(), us.end());
    f.n = us.size();
    f.p50 = us[us.size() / 2];
    f.p99 = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    f.max = us.back();
    return f;
}

/// Runs `f` on `thread` and waits for it.
template <class F> void onThread(QObject* context, F f) {
    QMetaObject::invokeMethod(context, f, Qt::BlockingQueuedConnection);
}

/// Polls `condition`, keeping this (the engine's) thread's event loop turning meanwhile.
void waitFor(const std::function<bool()>& condition, int timeoutMs) {
    const qint64 until = nowNs() + timeoutMs * 1'000'000LL;
    while (!condition() && nowNs() < until) {
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        QThread::usleep(100);
    }
}

/// A stamp one thread sets and the harness's thread sleeps on until it is set: while a frame is on
/// its way the harness does not poll (a 100 us polling loop was one more thread waking on the two
/// shared cores, in the middle of the path it measures).
class Stamp {
public:
    void reset() { m_at.store(0); }
    qint64 at() const { return m_at.load(); }
    /// The first set wins; later ones are ignored.
    void set(qint64 ns) {
        qint64 expected = 0;
        if (m_at.compare_exchange_strong(expected, ns)) {
            std::lock_guard lock(m_mutex);
            m_set.notify_all();
        }
    }
    bool wait(int timeoutMs) {
        if (s_poll) { // --poll: the earlier harness, for comparison
            waitFor([this] { return m_at.load() != 0; }, timeoutMs);
            return m_at.load() != 0;
        }
        std::unique_lock lock(m_mutex);
        return m_set.wait_for(lock, std::chrono::milliseconds(timeoutMs), [this] { return m_at.load() != 0; });
    }

    static inline bool s_poll = false;

private:
    std::atomic<qint64> m_at{0};
    std::mutex m_mutex;
    std::condition_variable m_set;
};

/// The floor: a frame from a server thread to a client thread that sends it straight back.
Figures loopbackFloor(int frames) {
    QThread serverThread, clientThread;
    serverThread.start();
    clientThread.start();
    QObject serverContext, clientContext;
    serverContext.moveToThread(&serverThread);
    clientContext.moveToThread(&clientThread);
    QTcpServer* tcp = nullptr;
    QWebSocketServer* server = nullptr;
    QWebSocket* serverSide = nullptr;
    QWebSocket* client = nullptr;
    Stamp echoedAt;
    onThread(&serverContext, [&] {
        // As the fake exchange: accepted sockets without Nagle, handed to the WebSocket server.
        tcp = new QTcpServer;
        tcp->listen(QHostAddress::LocalHost, 0);
        server = new QWebSocketServer("floor", QWebSocketServer::NonSecureMode);
        QObject::connect(tcp, &QTcpServer::newConnection, [&] {
            while (QTcpSocket* socket = tcp->nextPendingConnection()) {
                socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
                server->handleConnection(socket);
            }
        });
        QObject::connect(server, &QWebSocketServer::newConnection, [&] {
            serverSide = server->nextPendingConnection();
            QObject::connect(serverSide, &QWebSocket::textMessageReceived,
                             [&](const QString&) { echoedAt.set(nowNs()); });
        });
    });
    onThread(&clientContext, [&] {
        client = new QWebSocket;
        QObject::connect(client, &QWebSocket::textMessageReceived, [&](const QString& frame) {
            client->sendTextMessage(frame);
            client->flush();
        });
        client->open(QUrl(QString("ws://127.0.0.1:%1").arg(tcp->serverPort())));
    });
    waitFor([&] { return serverSide != nullptr; }, 5000);
    const QString frame =
        R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":1,"b":[["64250.00000000","1.00000000"]],"a":[]}})";
    std::vector<double> us;
    for (int i = 0; i < frames + 50; ++i) {
        echoedAt.reset();
        qint64 sentAt = 0;
        onThread(&serverContext, [&] {
            sentAt = nowNs();
            serverSide->sendTextMessage(frame);
            serverSide->flush();
        });
        echoedAt.wait(2000);
        if (i >= 50 && echoedAt.at())
            us.push_back((echoedAt.at() - sentAt) / 1000.0);
        QThread::usleep(2000); // let both threads fall asleep, as between real frames
    }
    onThread(&clientContext, [&] { delete client; });
    onThread(&serverContext, [&] {
        delete server;
        delete tcp;
    });
    serverThread.quit();
    clientThread.quit();
    serverThread.wait();
    clientThread.wait();
    return figures(us);
}

/// Voluntary context switches (a thread going to sleep, to be woken again) of each thread of this
/// process, by thread name: the wake-ups a placement costs, which on a loaded machine are most of
/// its latency (/proc/self/task/<tid>/status, voluntary_ctxt_switches; proc(5)).
std::map<QString, long long> voluntarySwitches() {
    std::map<QString, long long> byName;
    const QDir tasks("/proc/self/task");
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + "/comm")), status(tasks.filePath(tid + "/status"));
        if (!comm.open(QIODevice::ReadOnly) || !status.open(QIODevice::ReadOnly))
            continue;
        const QString name = QString::fromUtf8(comm.readAll()).trimmed();
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith("voluntary_ctxt_switches:"))
                byName[name] += line.mid(24).trimmed().toLongLong();
    }
    return byName;
}

/// Per frame, by thread name: how often each thread slept during the measured frames.
void printSwitches(const std::map<QString, long long>& before, const std::map<QString, long long>& after, int frames) {
    std::printf("  voluntary context switches per frame (frame, order, fills, quiet):");
    for (const auto& [name, n] : after) {
        const auto b = before.find(name);
        const double perFrame = static_cast<double>(n - (b == before.end() ? 0 : b->second)) / std::max(1, frames);
        if (perFrame >= 0.05)
            std::printf(" %s %.1f;", name.toUtf8().constData(), perFrame);
    }
    std::printf("\n");
}

double detailOf(const MarketHealth& h, const std::string& key) {
    for (const auto& d : h.details)
        if (d.key == key)
            return d.value;
    return -1;
}

/// Where one run's time went, per frame (us): medians of each stage of the first placement.
struct Stages {
    std::vector<double> frame, engine, prepare, handoff, write, rest;
    std::map<QString, long long> switchesBefore, switchesAfter;
    int measuredFrames = 0;
};

/// The connector end to end: frame out of the fake exchange, order request into it.
Figures tickToTrade(int frames, bool wsApi, Stages& stages) {
    QThread fakeThread;
    fakeThread.setObjectName("fake-exchange");
    fakeThread.start();
    QObject context;
    context.moveToThread(&fakeThread);
    test::FakeBinanceExchange* fake = nullptr;
    Stamp firstOrderAt;
    onThread(&context, [&] {
        fake = new test::FakeBinanceExchange;
        fake->listen();
        fake->pauseUpdates(true); // only the benchmark's frames
        fake->setCredentials("bench-key", "bench-secret");
        fake->setRateLimits(1'000'000, 60, 1'000'000, 10); // the benchmark measures latency, not limits
        fake->setBalance("BTC", "1000000");
        fake->setBalance("USDT", "1000000000");
        fake->setOrderRequestObserver([&](const QString& what) {
            if (what == "order.place" || what.startsWith("POST")) {
                firstOrderAt.set(nowNs());
            }
        });
    });
    qputenv("MD_BENCH_KEY", "bench-key");
    qputenv("MD_BENCH_SECRET", "bench-secret");
    MarketSpec spec;
    spec.name = "BINANCE";
    spec.connector = "binance";
    spec.instrument = {"BTCUSDT", "BTC", "USDT", *Price::parse("0.01"), *Quantity::parse("0.00001")};
    spec.orderTag = "bench";
    spec.settings = QJsonObject{{"rest_url", fake->restUrl()},    {"stream_url", fake->streamUrl()},
                                {"ws_api_url", fake->wsApiUrl()}, {"order_transport", wsApi ? "ws_api" : "rest"},
                                {"api_key_env", "MD_BENCH_KEY"},  {"api_secret_env", "MD_BENCH_SECRET"}};
    const QJsonObject params{{"kind", "market_maker"},      {"market", "BINANCE"},    {"half_spread_ticks", 5},
                             {"order_quantity", "0.00100"}, {"max_position", "1000"}, {"requote_ticks", 100000}};
    EngineSettings settings;
    settings.graceSeconds = 5;
    settings.risk.maxOrdersPerSecond = 1e6;
    settings.risk.orderBurst = 1e6;
    settings.risk.maxOpenOrders = 1000;
    settings.risk.maxOrderNotional.reset();
    static BinanceConnectorFactory factory; // outlives the engine (abandoned threads may still use it)
    auto strategy = findStrategyFactory("market_maker")->create(params, {spec});
    Engine engine(settings, {{spec, &factory, true}}, std::move(strategy));
    engine.start();
    auto ready = [&] {
        const auto h = engine.health().at(0);
        for (const auto& d : h.details)
            if (d.key == "order_stream_up" && d.value != 1.0)
                return false;
        return h.state == MarketState::Running && h.tradingState == "active";
    };
    waitFor(ready, 15000);
    if (!ready()) {
        const auto h = engine.health().at(0);
        std::fprintf(stderr, "market not ready: %s (%s), trading %s\n", std::string(nameOf(h.state)).c_str(),
                     h.stateReason.c_str(), h.tradingState.c_str());
    }
    std::vector<double> us;
    int missed = 0;
    for (int i = 0; i < frames + 50; ++i) {
        if (i == 50)
            stages.switchesBefore = voluntarySwitches();
        firstOrderAt.reset();
        qint64 sentAt = 0;
        onThread(&context, [&] { sentAt = fake->publishTouch(); });
        firstOrderAt.wait(3000);
        if (!firstOrderAt.at() && i >= 50 && ++missed >= 3) {
            std::fprintf(stderr, "no order for 3 frames: giving up\n");
            break;
        }
        const qint64 total = firstOrderAt.at() ? firstOrderAt.at() - sentAt : 0;
        // Fill both quotes: the strategy hears Done and is idle for the next frame.
        waitFor(
            [&] {
                std::size_t open = 0;
                onThread(&context, [&] { open = fake->openOrders().size(); });
                return open >= 2;
            },
            3000);
        if (i >= 50 && total > 0) {
            const double totalUs = total / 1000.0;
            us.push_back(totalUs);
            // The connector's own stamps of that placement (the first the frame caused), read once
            // its answer is in (the second quote went after it).
            const MarketHealth h = engine.health().at(0);
            const double frameUs = detailOf(h, "last_placement_frame_us");
            const double engineUs = detailOf(h, "last_placement_engine_us");
            const double prepareUs = detailOf(h, "last_placement_prepare_us");
            const double handoffUs = wsApi ? detailOf(h, "last_placement_handoff_us") : 0;
            const double writeUs = wsApi ? detailOf(h, "last_placement_write_us") : 0;
            if (frameUs >= 0 && engineUs >= 0 && prepareUs >= 0 && handoffUs >= 0 && writeUs >= 0) {
                stages.frame.push_back(frameUs);
                stages.engine.push_back(engineUs);
                stages.prepare.push_back(prepareUs);
                stages.handoff.push_back(handoffUs);
                stages.write.push_back(writeUs);
                stages.rest.push_back(totalUs - frameUs - engineUs - prepareUs - handoffUs - writeUs);
            }
        }
        onThread(&context, [&] { fake->fillRestingOrders(); });
        waitFor([&] { return engine.health().at(0).openOrders == 0; }, 3000);
        waitFor([] { return false; }, 3); // quiet: every thread asleep when the next frame comes, as in a market
    }
    stages.switchesAfter = voluntarySwitches();
    stages.measuredFrames = std::max(0, frames);
    if (missed)
        std::fprintf(stderr, "%d frames caused no order within 3 s\n", missed);
    engine.beginShutdown();
    waitFor([&] { return engine.shutdownReport().has_value(); }, 15000);
    onThread(&context, [&] { delete fake; });
    fakeThread.quit();
    fakeThread.wait();
    return figures(us);
}

void print(const char* name, const Figures& f) {
    std::printf("%-44s %9.1f %9.1f %9.1f %6zu\n", name, f.p50, f.p99, f.max, f.n);
}

void printStages(const Stages& s, bool wsApi) {
    print("  stage: frame out of socket -> engine (parse)", figures(s.frame));
    print("  stage: engine -> executor (strategy, queue)", figures(s.engine));
    print("  stage: executor -> transport (checks, build)", figures(s.prepare));
    if (wsApi) {
        print("  stage: executor -> session thread (hop)", figures(s.handoff));
        print("  stage: session: sign, frame, write", figures(s.write));
    }
    print(wsApi ? "  stage: the rest (both wires, fake's parse)" : "  stage: the rest (both wires, REST, fake)",
          figures(s.rest));
    printSwitches(s.switchesBefore, s.switchesAfter, s.measuredFrames);
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    logging::init({qEnvironmentVariableIsSet("MD_BENCH_LOG") ? spdlog::level::debug : spdlog::level::warn, true, {}});
    int frames = 1000;
    QString mode = "all";
    const auto args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == "--smoke")
            frames = 30;
        else if (args[i] == "--frames" && i + 1 < args.size())
            frames = args[++i].toInt();
        else if (args[i] == "--poll")
            Stamp::s_poll = true;
        else if (args[i] == "--mode" && i + 1 < args.size())
            mode = args[++i];
    }
    std::printf("tick-to-trade on loopback, %d frames, as the fake exchange sees it (us)\n", frames);
    std::printf("%-44s %9s %9s %9s %6s\n", "", "p50", "p99", "max", "n");
    bool ok = true;
    if (mode == "all" || mode == "floor")
        print("floor: loopback round trip, same stacks", loopbackFloor(frames));
    if (mode == "all" || mode == "ws") {
        Stages stages;
        const Figures f = tickToTrade(frames, true, stages);
        print("WebSocket API: frame out -> order.place in", f);
        printStages(stages, true);
        ok = ok && f.n > 0;
    }
    if (mode == "all" || mode == "rest") {
        Stages stages;
        const Figures f = tickToTrade(frames, false, stages);
        print("REST: frame out -> POST /api/v3/order in", f);
        printStages(stages, false);
        ok = ok && f.n > 0;
    }
    std::fflush(stdout);
    std::_Exit(ok ? 0 : 1);
}
