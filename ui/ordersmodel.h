#pragma once

#include "engine/marketview.h"

#include <QAbstractTableModel>

#include <vector>

namespace md {

/// Our orders across every market (open ones first, then the recent closed ones), for the Orders
/// panel. Rows are replaced in bulk; a sort proxy sits on top (SortRole holds raw values).
/// Thread: the UI thread.
class OrdersModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Market, Id, Side, Price, Quantity, Filled, Status, Updated, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setOrders(std::vector<OrderView> orders, std::vector<std::string> marketNames);
    const OrderView* order(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<OrderView> m_orders;
    std::vector<std::string> m_names;
};

/// Our fills across every market, newest first.
/// Thread: the UI thread.
class FillsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Market, Id, Side, Price, Quantity, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setFills(std::vector<FillView> fills, std::vector<std::string> marketNames);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<FillView> m_fills;
    std::vector<std::string> m_names;
};

} // namespace md
