#pragma once

#include "alerts/alert.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace md {

class AlertMonitor;
class AlertsModel;

/// The Alerts panel: every alert of the run, newest first (time, market, severity, what happened,
/// what to do, state); acknowledge the selected one or all; mute a kind (no notification, no sound,
/// not counted in the badge — still listed, greyed; remembered between runs); the sound on or off.
/// Thread: the UI thread.
class AlertsPanel : public QWidget {
    Q_OBJECT
public:
    explicit AlertsPanel(AlertMonitor& monitor, QWidget* parent = nullptr);

    AlertsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QPushButton* acknowledgeButton() const { return m_acknowledge; }
    QPushButton* acknowledgeAllButton() const { return m_acknowledgeAll; }
    QToolButton* muteButton() const { return m_mute; }
    QCheckBox* soundBox() const { return m_sound; }
    /// The selected alert in full: what happened and what to do (word-wrapped).
    QLabel* details() const { return m_details; }
    /// Selects the newest unacknowledged alert (the badge's click).
    void showNewest();

signals:
    void soundToggled(bool on);

private:
    void refresh();
    void acknowledgeSelected();
    void updateButtons();
    void showDetails();
    /// The alert a row of the (sorted) view shows.
    const Alert* alertAt(int row) const;

    AlertMonitor& m_monitor;
    AlertsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QPushButton* m_acknowledge;
    QPushButton* m_acknowledgeAll;
    QToolButton* m_mute;
    QCheckBox* m_sound;
    QLabel* m_summary;
    QLabel* m_details;
};

} // namespace md
