#pragma once

#include "snapshottablemodel.h"

#include "engine/strategysetup.h"
#include "positions/moneysnapshot.h"

#include <QStringList>

#include <map>
#include <string>
#include <vector>

namespace md {

/// The desk's strategies, one row each: state (with why it halted), markets, P&L, orders, last reasoning.
/// Thread: the UI thread.
class StrategiesModel : public SnapshotTableModel<StrategyStatus, std::string> {
    Q_OBJECT
public:
    enum Column { Id, Kind, State, Markets, OpenOrders, Fills, Pnl, Reasoning, ColumnCount };

    using SnapshotTableModel::SnapshotTableModel;

    /// `marketNames` by market id, for the Markets column.
    void setStrategies(const std::vector<StrategyStatus>& strategies, const QStringList& marketNames);
    /// The positions thread's figures (its fills, fees included) for the P&L column.
    void setMoney(const MoneySnapshot& money);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QStringList m_marketNames;
    std::map<std::string, QString> m_pnl; // by strategy id
};

} // namespace md
