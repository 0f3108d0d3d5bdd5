#pragma once

#include "snapshottablemodel.h"

#include "alerts/alert.h"

#include <set>
#include <vector>

namespace md {

class AlertBook;

/// The desk's alerts, newest first: time, market, severity, what happened, what to do, and whether it
/// lasts, cleared or was acknowledged. Refreshed from the AlertBook when it changes, diffed by alert
/// id (a selection survives). Alerts of a muted kind are shown greyed.
/// Thread: the UI thread.
class AlertsModel : public SnapshotTableModel<Alert, std::uint64_t> {
    Q_OBJECT
public:
    enum Column { Time, Market, Severity, What, Todo, State, ColumnCount };

    using SnapshotTableModel::SnapshotTableModel;

    void setAlerts(const AlertBook& book);
    const Alert* alert(int row) const { return item(row); }

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::set<AlertKind> m_muted;
};

} // namespace md
