#pragma once

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace md::venue {

/// Declares a connection dead when nothing has arrived on it for longer than the venue's keepalive
/// allows (a server that pings every 20 s and is silent for a minute is gone, even when TCP has not
/// noticed). The owner calls heard() on every frame, ping or pong it receives — a clock read, cheap
/// enough for the market-data path — and start()/stop() with the connection; a coarse timer checks.
/// Thread: the thread of the connection that owns it.
class StaleConnectionWatch : public QObject {
    Q_OBJECT
public:
    explicit StaleConnectionWatch(int silenceMs, QObject* parent = nullptr);
    void start();
    void stop();
    void heard() { m_last.restart(); }
    int silenceMs() const { return m_silenceMs; }

signals:
    void silent(int silenceMs);

private:
    void check();

    QTimer* m_timer;
    QElapsedTimer m_last;
    int m_silenceMs;
};

} // namespace md::venue
