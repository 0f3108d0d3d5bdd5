#include "headlessrunner.h"

#include "engine/closeouttext.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "positions/moneytext.h"

#include <QTimer>

#include <cstdio>

namespace md {

HeadlessRunner::HeadlessRunner(Engine& engine, double statusIntervalSeconds, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_statusTimer(new QTimer(this)) {
    m_statusTimer->setInterval(static_cast<int>(statusIntervalSeconds * 1000));
    connect(m_statusTimer, &QTimer::timeout, this, &HeadlessRunner::logStatus);
    m_statusTimer->start();
    connect(&engine, &Engine::shutdownFinished, m_statusTimer, &QTimer::stop);
    // The close-out on stdout (the log, on stderr and in the file, has the same lines): what a script
    // or an operator reads last. Connected before the exit path, so it is written first.
    connect(&engine, &Engine::shutdownFinished, this, [](const ShutdownReport& report) {
        for (const auto& line : closeOutLines(report))
            std::printf("%s\n", line.c_str());
        std::fflush(stdout);
    });
}

void HeadlessRunner::logStatus() {
    auto log = logging::get("engine");
    for (const auto& h : m_engine.health()) {
        log->info("[{}] {} | {:.0f} ev/s, {} events, last data {} | queue {} (oldest {:.3f} s) | {} open order(s) | "
                  "{} executed | {} rejected | {} error(s){}",
                  h.name, nameOf(h.state), h.eventsPerSecond, h.eventsTotal,
                  h.lastDataAgeSeconds < 0 ? std::string("none") : fmt::format("{:.1f} s ago", h.lastDataAgeSeconds),
                  h.queueDepth, h.oldestActionAgeSeconds, h.openOrders, h.actionsExecuted, h.ordersRejected, h.errors,
                  h.stateReason.empty() ? "" : " | " + h.stateReason);
    }
    // Positions and P&L come from the positions thread's last snapshot: reading it never waits.
    const auto money = m_engine.money();
    for (const auto& m : money->markets)
        if (moneytext::hasMoney(m))
            log->info("[{}] position {} {} | realized {} {} | unrealized {} | fees {} | net {}", m.name, m.base,
                      signedDecimal(m.position), signedDecimal(m.realized), m.quote, signedDecimal(m.unrealized),
                      m.feesInQuote.toTrimmedString(), signedDecimal(m.net));
    log->info("desk {}", moneytext::statusText(*money));
}

} // namespace md
