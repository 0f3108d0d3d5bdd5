#pragma once

#include "engine/marketview.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <utility>
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
    /// The order the user selected, while it is still open (the selection follows the order, not the row).
    const OrderView* currentOpenOrder() const;
    /// The order the user selected, open or not; nullopt when none is (or it went away).
    std::optional<std::pair<MarketId, ClientOrderId>> selectedOrder() const { return m_selected; }
    QPushButton* cancelButton() const { return m_cancel; }

signals:
    void cancelRequested(md::MarketId market, md::ClientOrderId id);
    void exportRequested(QAbstractItemModel* model, QString suggestedName);

private:
    void cancelCurrent();
    void updateButtons();
    void onCurrentChanged(const QModelIndex& current);
    /// After the rows changed: the selection back on the chosen order, or cleared if it is gone.
    void restoreSelection();

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
    std::optional<std::pair<MarketId, ClientOrderId>> m_selected;      // what the user chose
    bool m_updating = false; // rows are being replaced: the view's own moves of the cursor are not the user's
};

} // namespace md
