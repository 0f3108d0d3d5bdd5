#pragma once

#include "engine/health.h"

#include <QDialog>

class QLabel;
class QProgressBar;
class QTableWidget;
class QTimer;
class QDialogButtonBox;

namespace md {

class CloseOutView;
class Engine;

/// Shown when the window closes: a countdown from the grace period and a row per market updating
/// live (actions left, terminator running, done, killed), then the close-out report (CloseOutView).
/// It cannot be dismissed before the report; a report that needs attention stays until closed.
/// Thread: the UI thread.
class ShutdownDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShutdownDialog(Engine& engine, QWidget* parent = nullptr);
    /// Replaces the live rows with the close-out; the application ends `exitInMs` later (< 0: when
    /// the user closes the report).
    void showReport(const ShutdownReport& report, int exitInMs = -1);
    bool showsReport() const { return m_reported; }
    /// The live rows during the shutdown; after it, the close-out's table of markets.
    QTableWidget* table() const;
    CloseOutView* closeOut() const { return m_closeOut; }
    QLabel* title() const { return m_title; }
    QLabel* subtitle() const { return m_subtitle; }

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
    QLabel* m_seconds;
    QProgressBar* m_countdown;
    QTableWidget* m_table;
    CloseOutView* m_closeOut = nullptr;
    QDialogButtonBox* m_buttons;
    QTimer* m_timer;
    bool m_reported = false;
};

} // namespace md
