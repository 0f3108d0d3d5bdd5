#include "orderspanel.h"

#include "columnfitter.h"
#include "numberformat.h"
#include "ordersmodel.h"
#include "steadysizebox.h"
#include "tableview.h"
#include "uiroles.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace md {
namespace {

std::vector<MarketLabel> labels(const std::vector<std::shared_ptr<const MarketView>>& views) {
    std::vector<MarketLabel> out;
    for (const auto& v : views)
        out.push_back(v ? MarketLabel::of(v->name, v->instrument) : MarketLabel{});
    return out;
}

} // namespace

OrdersPanel::OrdersPanel(QWidget* parent)
    : QWidget(parent)
    , m_orders(new OrdersModel(this))
    , m_fills(new FillsModel(this))
    , m_ordersProxy(sortProxy(m_orders, this))
    , m_fillsProxy(sortProxy(m_fills, this))
    , m_tabs(new QTabWidget(this))
    , m_ordersView(makeTable(m_ordersProxy, m_tabs, "ordersView"))
    , m_fillsView(makeTable(m_fillsProxy, m_tabs, "fillsView"))
    , m_openOnly(new QCheckBox(tr("Open only"), this))
    , m_cancel(new QPushButton(tr("Cancel order"), this))
    , m_summary(new QLabel(this)) {
    m_ordersProxy->setFilterRole(OpenRole);
    m_ordersView->setSortingEnabled(true);
    m_ordersView->sortByColumn(OrdersModel::Updated, Qt::DescendingOrder);
    m_fillsView->setSortingEnabled(true);
    m_fillsView->sortByColumn(FillsModel::Time, Qt::DescendingOrder);
    // Every column stays in view when the panel is narrow (they shrink together, text elides).
    for (auto* view : {m_ordersView, m_fillsView})
        view->setTextElideMode(Qt::ElideMiddle);
    // Prices and quantities give width last, and never below what "0.0500" needs: a number elided in
    // the middle ("0.…00") cannot be read; names and times elide first.
    new ColumnFitter(m_ordersView, {96, 140, 104, 52, 84, 68, 68, 120, 108}, {72, 76, 56, 40, 72, 62, 62, 100, 80},
                     {1, 1, 1.5, 0.3, 0, 0, 0, 0.5, 1});
    new ColumnFitter(m_fillsView, {108, 96, 140, 52, 84, 68}, {80, 72, 76, 40, 72, 62}, {1, 1, 1, 0.3, 0, 0});
    m_ordersView->horizontalHeader()->setStretchLastSection(true);
    m_fillsView->horizontalHeader()->setStretchLastSection(true);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_ordersView, tr("Orders"));
    m_tabs->addTab(m_fillsView, tr("Fills"));

    // A cancel per open order: the button, the context menu, the Delete key.
    auto* cancelAction = new QAction(tr("Cancel order"), m_ordersView);
    cancelAction->setShortcut(QKeySequence::Delete);
    cancelAction->setShortcutContext(Qt::WidgetShortcut);
    connect(cancelAction, &QAction::triggered, this, &OrdersPanel::cancelCurrent);
    m_ordersView->addAction(cancelAction);
    m_ordersView->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_cancel->setObjectName("cancelOrderButton");
    m_cancel->setEnabled(false);
    connect(m_cancel, &QPushButton::clicked, this, &OrdersPanel::cancelCurrent);
    connect(m_ordersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &OrdersPanel::onCurrentChanged);
    // The proxy re-sorts and filters as orders change: a row under the cursor may become another
    // order. Whatever moves rows, the selection is put back on the order the user chose.
    auto restore = [this] {
        if (!m_updating)
            restoreSelection();
    };
    connect(m_ordersProxy, &QAbstractItemModel::layoutChanged, this, restore);
    connect(m_ordersProxy, &QAbstractItemModel::rowsRemoved, this, restore);
    connect(m_ordersProxy, &QAbstractItemModel::rowsInserted, this, restore);
    connect(m_ordersProxy, &QAbstractItemModel::modelReset, this, restore);
    connect(m_openOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_updating = true;
        m_ordersProxy->setFilterRegularExpression(on ? QStringLiteral("^true$") : QString());
        m_updating = false;
        restoreSelection();
    });
    auto* exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setToolTip(tr("Write the orders or fills shown to a CSV file (in the background)"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        if (m_tabs->currentIndex() == 0)
            emit exportRequested(m_ordersProxy, QStringLiteral("marketdesk-orders.csv"));
        else
            emit exportRequested(m_fillsProxy, QStringLiteral("marketdesk-fills.csv"));
    });
    m_summary->setObjectName("ordersSummary");

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 4);
    bar->setSpacing(8);
    bar->addWidget(m_cancel);
    bar->addWidget(m_openOnly);
    bar->addStretch(1);
    bar->addWidget(steady(m_summary));
    bar->addWidget(exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(bar);
}

void OrdersPanel::setViews(const std::vector<std::shared_ptr<const MarketView>>& views) {
    std::vector<OrderView> orders;
    std::size_t open = 0;
    for (const auto& v : views) {
        if (!v)
            continue;
        orders.insert(orders.end(), v->openOrders.begin(), v->openOrders.end());
        open += v->openOrders.size();
        const std::size_t closed = std::min<std::size_t>(v->closedOrders.size(), 200);
        orders.insert(orders.end(), v->closedOrders.end() - static_cast<long>(closed), v->closedOrders.end());
    }
    auto names = labels(views);
    m_updating = true;
    m_orders->setOrders(std::move(orders), names);
    m_updating = false;
    restoreSelection();

    // Fills only grow at the end (and age out at the front): diff them only when that moved.
    std::vector<std::pair<std::size_t, std::int64_t>> signature;
    std::size_t fillCount = 0;
    for (const auto& v : views) {
        signature.emplace_back(v ? v->fills.size() : 0, v && !v->fills.empty() ? v->fills.back().timeMs : 0);
        fillCount += v ? v->fills.size() : 0;
    }
    if (signature != m_fillSignature) {
        m_fillSignature = std::move(signature);
        std::vector<FillView> fills;
        fills.reserve(fillCount);
        for (const auto& v : views)
            if (v)
                fills.insert(fills.end(), v->fills.begin(), v->fills.end());
        m_fills->setFills(std::move(fills), std::move(names));
    }
    m_summary->setText(tr("%1 open · %2 fills").arg(open).arg(fillCount));
    updateButtons();
}

void OrdersPanel::onCurrentChanged(const QModelIndex& current) {
    if (m_updating)
        return; // the view moved its cursor because rows went away: not the user's choice
    const OrderView* order = current.isValid() ? m_orders->order(m_ordersProxy->mapToSource(current).row()) : nullptr;
    m_selected = order ? std::optional(std::make_pair(order->market, order->id)) : std::nullopt;
    updateButtons();
}

void OrdersPanel::restoreSelection() {
    const int row = m_selected ? m_orders->rowOf(m_selected->first, m_selected->second) : -1;
    const QModelIndex wanted = row >= 0 ? m_ordersProxy->mapFromSource(m_orders->index(row, 0)) : QModelIndex();
    QItemSelectionModel* selection = m_ordersView->selectionModel();
    m_updating = true;
    if (!wanted.isValid()) {
        // Gone (or filtered out): nothing stays selected, so Cancel and Delete hit nothing.
        m_selected.reset();
        selection->clear();
    } else if (m_ordersView->currentIndex().row() != wanted.row() || !selection->isRowSelected(wanted.row())) {
        selection->setCurrentIndex(wanted, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    m_updating = false;
    updateButtons();
}

const OrderView* OrdersPanel::currentOpenOrder() const {
    if (!m_selected)
        return nullptr;
    const OrderView* order = m_orders->order(m_orders->rowOf(m_selected->first, m_selected->second));
    return order && isOpen(order->status) ? order : nullptr;
}

void OrdersPanel::cancelCurrent() {
    if (const OrderView* order = currentOpenOrder())
        emit cancelRequested(order->market, order->id);
}

void OrdersPanel::updateButtons() {
    const OrderView* order = currentOpenOrder();
    m_cancel->setEnabled(order != nullptr);
    // The button names the order it will cancel: the market with the id (ids repeat across markets).
    m_cancel->setText(order ? tr("Cancel %1").arg(orderIdText(m_orders->marketName(order->market), order->id))
                            : tr("Cancel order"));
}

} // namespace md
