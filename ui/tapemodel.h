#pragma once

#include "snapshottablemodel.h"

#include "engine/marketview.h"
#include "numberformat.h"

#include <cstdint>

namespace md {

/// The trades tape of one market: its public trades and our own fills (marked "ours"), in
/// arrival order (TapePanel shows them newest first), as the market's last published view holds them (bounded:
/// MarketView::kTape). Thread: the UI thread.
class TapeModel : public SnapshotTableModel<TapeTrade, std::uint64_t> {
    Q_OBJECT
public:
    enum Column { Time, Side, Price, Quantity, Ours, ColumnCount };

    using SnapshotTableModel::SnapshotTableModel;

    /// The tape of `view` (empty when null); a view of another market replaces every row.
    void setView(const MarketView* view);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    MarketLabel m_label;
    int m_market = -1;
};

} // namespace md
