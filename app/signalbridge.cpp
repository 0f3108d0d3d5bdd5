#include "signalbridge.h"

#include "shutdownwatchdog.h"

#include <QSocketNotifier>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace md {
namespace {

// Written by the handler, read by the bridge. Lock-free atomics only: a mutex here could deadlock a
// thread interrupted while holding it, and nothing here needs destroying at exit.
int g_pipe[2] = {-1, -1};
std::atomic<bool> g_wakePending{false};
std::atomic<unsigned> g_shutdowns{0};
std::atomic<int> g_lastShutdown{0};
std::atomic<unsigned> g_halts{0};
std::atomic<unsigned> g_resumes{0};
std::atomic<int> g_lastTrading{0}; // SIGUSR1 or SIGUSR2, whichever came last
static_assert(std::atomic<unsigned>::is_always_lock_free && std::atomic<bool>::is_always_lock_free);

void onSignal(int signal) {
    const int savedErrno = errno;
    switch (signal) {
    case SIGINT:
    case SIGTERM:
        g_lastShutdown.store(signal);
        g_shutdowns.fetch_add(1);
        // The watchdog hears SIGINT/SIGTERM straight from here, not through the main thread (which
        // may be stuck): a second one ends the process (issue 11).
        ShutdownWatchdog::noteTerminationSignal();
        break;
    case SIGUSR1:
        g_lastTrading.store(SIGUSR1);
        g_halts.fetch_add(1);
        break;
    case SIGUSR2:
        g_lastTrading.store(SIGUSR2);
        g_resumes.fetch_add(1);
        break;
    default:
        break;
    }
    // One byte wakes the main thread; more would only fill the pipe. A full pipe refuses the byte
    // (non-blocking) and the counters keep the signal anyway.
    if (!g_wakePending.exchange(true)) {
        const char byte = 1;
        [[maybe_unused]] const auto written = ::write(g_pipe[1], &byte, 1);
    }
    errno = savedErrno;
}

} // namespace

bool SignalBridge::installHandlers() {
    if (g_pipe[0] >= 0)
        return true;
    // Everything a handler touches exists before the first handler is installed, and before any
    // thread is started (this runs first thing in main): a signal lands on whichever thread the
    // kernel picks, and that thread must see the pipes made.
    // (Without its pipe the watchdog hears a signal only at its deadline; the handlers are needed all the same.)
    ShutdownWatchdog::prepareForSignals();
    if (::pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int s : {SIGINT, SIGTERM, SIGUSR1, SIGUSR2})
        ::sigaction(s, &action, nullptr);
    return true;
}

SignalBridge::SignalBridge(QObject* parent)
    : QObject(parent) {
    if (!installHandlers())
        return;
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalBridge::onReadable);
}

int SignalBridge::takeShutdownSignals() {
    const unsigned now = g_shutdowns.load();
    const int fresh = static_cast<int>(now - m_shutdownsSeen);
    m_shutdownsSeen = now;
    return fresh;
}

void SignalBridge::onReadable() {
    char drain[256];
    while (::read(g_pipe[0], drain, sizeof(drain)) > 0) {
    }
    // Cleared before the counters are read: a signal from here on writes a new byte and wakes us again.
    g_wakePending.store(false);
    const unsigned halts = g_halts.load() - m_haltsSeen;
    const unsigned resumes = g_resumes.load() - m_resumesSeen;
    m_haltsSeen += halts;
    m_resumesSeen += resumes;
    // Coalesced: a burst becomes one halt and/or one resume, in the order that leaves the state the
    // last signal asked for (a halt in the burst still cancels what is open).
    if (halts > 0 && resumes > 0) {
        if (g_lastTrading.load() == SIGUSR2) {
            emit haltRequested();
            emit resumeRequested();
        } else {
            emit resumeRequested();
            emit haltRequested();
        }
    } else if (halts > 0) {
        emit haltRequested();
    } else if (resumes > 0) {
        emit resumeRequested();
    }
    const int shutdowns = takeShutdownSignals();
    for (int i = 0; i < std::min(shutdowns, 2); ++i)
        emit shutdownRequested(g_lastShutdown.load());
}

} // namespace md
