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
/// live (actions left, terminator running, done, killed), then the close-out report (clean or
/// killed, actions executed, not executed and with an unknown outcome, orders still open or "unknown").
/// It cannot be dismissed before the report.
/// Thread: the UI thread.
class ShutdownDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShutdownDialog(Engine& engine, QWidget* parent = nullptr);
    /// Replaces the live rows with the close-out; the application ends `exitInMs` later (< 0: unknown).
    void showReport(const ShutdownReport& report, int exitInMs = -1);
    bool showsReport() const { return m_reported; }
    QTableWidget* table() const { return m_table; }

public slots:
    void reject() override;

signals:
    /// The user closed the report (the application may end now).
    void acknowledged();

private:
    void refresh();
    void fitTable();
    void setCell(int row, int column, const QString& text, const QColor& colour = {});

    Engine& m_engine;
    QLabel* m_title;
    QLabel* m_subtitle;
    QLabel* m_money; // positions and P&L left at the close (issue 15)
    QLabel* m_seconds;
    QProgressBar* m_countdown;
    QTableWidget* m_table;
    QDialogButtonBox* m_buttons;
    QTimer* m_timer;
    bool m_reported = false;
};

} // namespace md
