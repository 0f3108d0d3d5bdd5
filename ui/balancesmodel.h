#pragma once

#include "snapshottablemodel.h"

#include "positions/moneysnapshot.h"

#include <string>
#include <utility>

namespace md {

/// Free and locked balance per market and asset, as each market's connector last reported.
/// Thread: the UI thread.
class BalancesModel : public SnapshotTableModel<BalanceRow, std::pair<MarketId, std::string>> {
    Q_OBJECT
public:
    enum Column { Market, Asset, Free, Locked, ColumnCount };

    using SnapshotTableModel::SnapshotTableModel;

    void setBalances(const std::vector<BalanceRow>& balances);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
};

} // namespace md
