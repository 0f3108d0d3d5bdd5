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
// What the signal handler may touch: a lock-free counter and a non-blocking pipe. The pipe is made
// by prepareForSignals() before the handler is installed, i.e. before any thread exists: the handler
// runs on whichever thread the kernel picks, and a thread started before the pipe was made (the
// journal's writer) had no ordering with a pipe made later — ThreadSanitizer caught the handler
// writing to it on that thread under a SIGTERM storm. The descriptors are atomics all the same: a
// handler may only read lock-free atomics.
std::atomic<int> g_terminationSignals{0};
std::atomic<int> g_wakeRead{-1};
std::atomic<int> g_wakeWrite{-1};
static_assert(std::atomic<int>::is_always_lock_free);

void wake() {
    const int fd = g_wakeWrite.load();
    if (fd < 0)
        return; // no pipe: the watchdog's poll still times out at its deadline
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(fd, &byte, 1); // full pipe: a wake-up is pending anyway
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
            // Signals of the start-up, before this thread ran, left their bytes in the pipe.
            const int wakeFd = g_wakeRead.load();
            pollfd fd{wakeFd, POLLIN, 0};
            ::poll(&fd, 1, timeoutMs);
            char buffer[64];
            while (wakeFd >= 0 && ::read(wakeFd, buffer, sizeof buffer) > 0) {
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
    prepareForSignals(); // normally done already, before the handlers were installed
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

bool ShutdownWatchdog::prepareForSignals() {
    // A function-local static: made once, whoever asks first (main, before any thread).
    static const bool made = [] {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
            return false;
        g_wakeRead.store(fds[0]);
        g_wakeWrite.store(fds[1]);
        return true;
    }();
    return made;
}

void ShutdownWatchdog::noteTerminationSignal() {
    g_terminationSignals.fetch_add(1);
    wake();
}

} // namespace md
