#pragma once

#include <QObject>

class QTimer;

namespace md {

class Engine;

/// Headless mode around an Engine: a status line per market every few seconds, and the close-out
/// report on stdout (create it before connecting the exit path). Thread: the main thread.
class HeadlessRunner : public QObject {
    Q_OBJECT
public:
    HeadlessRunner(Engine& engine, double statusIntervalSeconds, QObject* parent = nullptr);

private:
    void logStatus();

    Engine& m_engine;
    QTimer* m_statusTimer;
};

} // namespace md
