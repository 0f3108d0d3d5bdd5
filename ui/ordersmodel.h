#pragma once

#include "numberformat.h"
#include "snapshottablemodel.h"

#include "engine/marketview.h"

#include <QStringList>

#include <tuple>
#include <vector>

namespace md {

bool isOpen(OrderStatus status);

/// Our orders across every market (the open ones and the recent closed ones), for the Orders panel.
/// Refreshed from snapshots by key (market, client id): rows update in place, so a selection
/// survives; a sort proxy sits on top (SortRole holds raw values).
/// Thread: the UI thread.
class OrdersModel : public SnapshotTableModel<OrderView, std::pair<MarketId, ClientOrderId>> {
    Q_OBJECT
public:
    enum Column { Market, Id, Source, Side, Price, Quantity, Filled, Status, Updated, ColumnCount };

    using SnapshotTableModel::SnapshotTableModel;

    void setOrders(std::vector<OrderView> orders, std::vector<MarketLabel> markets);
    const OrderView* order(int row) const { return item(row); }
    /// The row of an order, -1 when it is not there.
    int rowOf(MarketId market, ClientOrderId id) const;
    /// The market's name as the rows show it.
    QString marketName(MarketId market) const;
    /// The Source column's words: "manual" for the trader's orders, the owning strategy's name (by owner
    /// id) for the strategies' own.
    void setStrategyNames(QStringList names) { m_strategyNames = std::move(names); }
    QString sourceOf(OwnerId owner) const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<MarketLabel> m_markets;
    QStringList m_strategyNames{QStringLiteral("strategy")};
};

/// Our fills across every market (a sort proxy shows the newest first).
/// Thread: the UI thread.
class FillsModel
    : public SnapshotTableModel<FillView,
                                std::tuple<MarketId, std::int64_t, ClientOrderId, std::int64_t, std::int64_t>> {
    Q_OBJECT
public:
    enum Column { Time, Market, Id, Side, Price, Quantity, ColumnCount };

    using SnapshotTableModel::SnapshotTableModel;

    void setFills(std::vector<FillView> fills, std::vector<MarketLabel> markets);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<MarketLabel> m_markets;
};

} // namespace md
