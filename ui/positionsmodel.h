#pragma once

#include "snapshottablemodel.h"

#include "positions/moneysnapshot.h"

namespace md {

/// One row per market that traded (or carries the day's P&L): position, average entry, mark,
/// realized, unrealized, fees and net in the market's quote currency, exact decimals as text.
/// ToneRole colours P&L by sign. Thread: the UI thread.
class PositionsModel : public SnapshotTableModel<MarketMoney, MarketId> {
    Q_OBJECT
public:
    enum Column {
        Market,
        Asset,
        Position,
        AverageEntry,
        Mid,
        Realized,
        Unrealized,
        Fees,
        Net,
        Currency,
        Fills,
        ColumnCount
    };

    using SnapshotTableModel::SnapshotTableModel;

    void setMoney(const MoneySnapshot& money);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
};

} // namespace md
