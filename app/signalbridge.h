#pragma once

#include <QObject>

class QSocketNotifier;

namespace md {

/// Turns POSIX signals (SIGINT, SIGTERM: shut down; SIGUSR1: halt; SIGUSR2: resume) into Qt signals
/// on the main thread. The handler never blocks and coalesces: it counts the signal in lock-free
/// atomics and writes one wake-up byte to a non-blocking pipe only when none is pending, so a storm
/// of signals costs each one a few atomic operations and the main thread one read per wake-up (a
/// handler that wrote a byte per signal to a full socketpair once froze every thread for good).
/// installHandlers() runs first thing in main(), so a signal during start-up is never lost and never
/// ends the process with its default action; the bridge, made once the event loop exists, delivers
/// what came before it.
/// Thread: the handler on any thread; the bridge on the main thread.
class SignalBridge : public QObject {
    Q_OBJECT
public:
    /// Installs the handlers (once; async-signal-safe). False when the pipe cannot be made.
    static bool installHandlers();

    explicit SignalBridge(QObject* parent = nullptr);
    /// SIGINT/SIGTERM received and not yet delivered, marked delivered (start-up asks before trading).
    int takeShutdownSignals();

signals:
    /// Once per shutdown signal, at most twice per wake-up (a second one stays visible as such).
    void shutdownRequested(int signal);
    void haltRequested();
    void resumeRequested();

private:
    void onReadable();

    QSocketNotifier* m_notifier = nullptr;
    unsigned m_shutdownsSeen = 0;
    unsigned m_haltsSeen = 0;
    unsigned m_resumesSeen = 0;
};

} // namespace md
