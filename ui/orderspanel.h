#pragma once

#include "engine/marketview.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAbstractItemModel;
class QCheckBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace md {

class FillsModel;
class OrdersModel;

/// Our orders (open, and the recent closed ones) and fills across every market, sortable, with a
/// cancel per open order (button, context menu, Delete key) and CSV export.
/// Thread: the UI thread.
class OrdersPanel : public QWidget {
    Q_OBJECT
public:
    explicit OrdersPanel(QWidget* parent = nullptr);

    /// Every market's latest view (index = market id); rows are diffed, not reset.
    void setViews(const std::vector<std::shared_ptr<const MarketView>>& views);
    OrdersModel* ordersModel() const { return m_orders; }
    FillsModel* fillsModel() const { return m_fills; }
    QTableView* ordersView() const { return m_ordersView; }
    QSortFilterProxyModel* ordersProxy() const { return m_ordersProxy; }
    QCheckBox* openOnlyBox() const { return m_openOnly; }
    /// The open order under the cursor, if any.
    const OrderView* currentOpenOrder() const;

signals:
    void cancelRequested(md::MarketId market, md::ClientOrderId id);
    void exportRequested(QAbstractItemModel* model, QString suggestedName);

private:
    void cancelCurrent();
    void updateButtons();

    OrdersModel* m_orders;
    FillsModel* m_fills;
    QSortFilterProxyModel* m_ordersProxy;
    QSortFilterProxyModel* m_fillsProxy;
    QTabWidget* m_tabs;
    QTableView* m_ordersView;
    QTableView* m_fillsView;
    QCheckBox* m_openOnly;
    QPushButton* m_cancel;
    QLabel* m_summary;
    std::vector<std::pair<std::size_t, std::int64_t>> m_fillSignature; // per market: count, newest
};

} // namespace md
