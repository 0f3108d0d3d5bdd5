#include "headlessrunner.h"

#include "engine/closeouttext.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "positions/moneytext.h"

#include <QTimer>

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <string>

namespace md {

namespace {

/// Writes `text` to `fd` without ever waiting on it for longer than `budget` in total: a console nobody
/// reads (a paused terminal, a stalled `| tee`) must not hold up the exit (issue 11, part 4). Chunks of at
/// most PIPE_BUF bytes are written only once poll() says the fd takes them, so no write() blocks on a
/// pipe. Returns how many bytes were not written.
std::size_t writeWithin(int fd, const std::string& text, std::chrono::milliseconds budget) {
    const auto deadline = std::chrono::steady_clock::now() + budget;
    std::size_t done = 0;
    while (done < text.size()) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            break;
        pollfd p{fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0 || (p.revents & (POLLERR | POLLHUP | POLLNVAL)))
            break;
        const std::size_t chunk = std::min<std::size_t>(PIPE_BUF, text.size() - done);
        const ssize_t n = ::write(fd, text.data() + done, chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    return text.size() - done;
}

} // namespace

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
    // Written straight to fd 1 within a second: with stdout on a pipe nobody reads, the exit goes on
    // (the same lines are in the log file), and the log says what stdout did not get.
    connect(&engine, &Engine::shutdownFinished, this, [](const ShutdownReport& report) {
        std::string text;
        for (const auto& line : closeOutLines(report))
            text += line + "\n";
        if (const std::size_t lost = writeWithin(STDOUT_FILENO, text, std::chrono::milliseconds(1000)))
            logging::get("engine")->warn("close-out: stdout did not take {} of {} bytes within 1 s (the console is "
                                         "not read); the log file has every line",
                                         lost, text.size());
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
