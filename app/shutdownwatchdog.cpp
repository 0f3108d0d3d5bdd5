#include "shutdownwatchdog.h"

#include "domain/clock.h"

#include <algorithm>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

namespace md {
namespace {
// What the signal handler may touch: a lock-free counter and a non-blocking pipe.
std::atomic<int> g_terminationSignals{0};
int g_wakePipe[2] = {-1, -1};

void wake() {
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(g_wakePipe[1], &byte, 1); // full pipe: a wake-up is pending anyway
}
} // namespace

struct ShutdownWatchdog::State {
    double graceSeconds = 30;
    double marginSeconds = 2;
    Finish finish;
    std::atomic<std::int64_t> deadlineNs{0}; // 0: not armed

    void armAt(std::int64_t deadline) {
        std::int64_t current = deadlineNs.load();
        while ((current == 0 || deadline > current) && !deadlineNs.compare_exchange_weak(current, deadline)) {
        }
        wake();
    }

    void run() {
        pthread_setname_np(pthread_self(), "watchdog");
        int signalsSeen = 0;
        for (;;) {
            const std::int64_t deadline = deadlineNs.load();
            const std::int64_t now = steadyNowNs();
            int timeoutMs = -1;
            if (deadline > 0)
                timeoutMs = static_cast<int>(std::clamp<std::int64_t>((deadline - now) / 1'000'000 + 1, 0, 1 << 30));
            pollfd fd{g_wakePipe[0], POLLIN, 0};
            ::poll(&fd, 1, timeoutMs);
            char buffer[64];
            while (::read(g_wakePipe[0], buffer, sizeof buffer) > 0) {
            }
            const int signals = g_terminationSignals.load();
            if (signals >= 2) {
                finish("a second termination signal");
                return;
            }
            if (signals > signalsSeen) {
                signalsSeen = signals;
                if (deadlineNs.load() == 0) // the main thread may be stuck and never begin the shutdown
                    armAt(steadyNowNs() + static_cast<std::int64_t>((graceSeconds + marginSeconds) * 1e9));
            }
            const std::int64_t armed = deadlineNs.load();
            if (armed > 0 && steadyNowNs() >= armed) {
                finish("the shutdown did not end within the grace period + " + std::to_string(int(marginSeconds)) +
                       " s");
                return;
            }
        }
    }
};

ShutdownWatchdog::ShutdownWatchdog(double graceSeconds, double marginSeconds, Finish finish)
    : m_state(std::make_shared<State>()) {
    m_state->graceSeconds = graceSeconds;
    m_state->marginSeconds = marginSeconds;
    m_state->finish = std::move(finish);
    if (g_wakePipe[0] < 0 && ::pipe2(g_wakePipe, O_CLOEXEC | O_NONBLOCK) != 0)
        g_wakePipe[0] = g_wakePipe[1] = -1;
    std::thread([state = m_state] { state->run(); }).detach();
}

void ShutdownWatchdog::arm() {
    m_state->armAt(steadyNowNs() + static_cast<std::int64_t>((m_state->graceSeconds + m_state->marginSeconds) * 1e9));
}

void ShutdownWatchdog::extend(double seconds) {
    if (m_state->deadlineNs.load() > 0)
        m_state->armAt(steadyNowNs() + static_cast<std::int64_t>(seconds * 1e9));
}

bool ShutdownWatchdog::isArmed() const {
    return m_state->deadlineNs.load() > 0;
}

void ShutdownWatchdog::noteTerminationSignal() {
    g_terminationSignals.fetch_add(1);
    if (g_wakePipe[1] >= 0)
        wake();
}

} // namespace md
