#pragma once

#include "engine/health.h"

#include <QDialog>

class QLabel;
class QProgressBar;
class QTableWidget;
class QTimer;
class QDialogButtonBox;

namespace md {

class Engine;

/// Shown when the window closes: a countdown from the grace period and a row per market updating
/// live (actions left, terminator running, done, killed), then the close-out report.
/// Thread: the UI thread.
class ShutdownDialog : public QDialog {
    Q_OBJECT
public:
    ShutdownDialog(Engine& engine, QWidget* parent = nullptr);
    void showReport(const ShutdownReport& report);

signals:
    void acknowledged();

private:
    void refresh();

    Engine& m_engine;
    QLabel* m_title;
    QProgressBar* m_countdown;
    QTableWidget* m_table;
    QDialogButtonBox* m_buttons;
    QTimer* m_timer;
};

} // namespace md
