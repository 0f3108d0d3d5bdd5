#pragma once

#include <QObject>

class QSocketNotifier;

namespace md {

/// Turns POSIX signals into Qt signals on the main thread (self-pipe: a signal handler may only
/// write a byte). Thread: the main thread.
class SignalBridge : public QObject {
    Q_OBJECT
public:
    /// Watches SIGINT, SIGTERM, SIGUSR1 and SIGUSR2.
    explicit SignalBridge(QObject* parent = nullptr);

signals:
    void shutdownRequested(int signal);
    void haltRequested();
    void resumeRequested();

private:
    void onReadable();
    QSocketNotifier* m_notifier = nullptr;
};

} // namespace md
