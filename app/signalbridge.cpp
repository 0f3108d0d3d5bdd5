#include "signalbridge.h"

#include "shutdownwatchdog.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace md {
namespace {
int g_pipe[2] = {-1, -1};

void onSignal(int signal) {
    // The watchdog hears SIGINT/SIGTERM straight from here, not through the main thread (which may be stuck).
    if (signal == SIGINT || signal == SIGTERM)
        ShutdownWatchdog::noteTerminationSignal();
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] auto written = ::write(g_pipe[1], &byte, 1);
}
} // namespace

SignalBridge::SignalBridge(QObject* parent)
    : QObject(parent) {
    if (g_pipe[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) != 0)
        return;
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalBridge::onReadable);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int s : {SIGINT, SIGTERM, SIGUSR1, SIGUSR2})
        ::sigaction(s, &action, nullptr);
}

void SignalBridge::onReadable() {
    char byte = 0;
    if (::read(g_pipe[0], &byte, 1) != 1)
        return;
    switch (byte) {
    case SIGINT:
    case SIGTERM:
        emit shutdownRequested(byte);
        break;
    case SIGUSR1:
        emit haltRequested();
        break;
    case SIGUSR2:
        emit resumeRequested();
        break;
    default:
        break;
    }
}

} // namespace md
