#include "orderspanel.h"

#include "ordersmodel.h"
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
    const int orderWidths[] = {96, 52, 52, 96, 72, 72, 136, 108};
    for (int c = 0; c < OrdersModel::ColumnCount; ++c)
        m_ordersView->setColumnWidth(c, orderWidths[c]);
    const int fillWidths[] = {108, 96, 52, 52, 96, 72};
    for (int c = 0; c < FillsModel::ColumnCount; ++c)
        m_fillsView->setColumnWidth(c, fillWidths[c]);
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
    connect(m_ordersView->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &OrdersPanel::updateButtons);
    connect(m_openOnly, &QCheckBox::toggled, this,
            [this](bool on) { m_ordersProxy->setFilterRegularExpression(on ? QStringLiteral("^true$") : QString()); });
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
    bar->addWidget(m_summary);
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
    m_orders->setOrders(std::move(orders), names);

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

const OrderView* OrdersPanel::currentOpenOrder() const {
    const QModelIndex current = m_ordersView->currentIndex();
    if (!current.isValid())
        return nullptr;
    const OrderView* order = m_orders->order(m_ordersProxy->mapToSource(current).row());
    return order && isOpen(order->status) ? order : nullptr;
}

void OrdersPanel::cancelCurrent() {
    if (const OrderView* order = currentOpenOrder())
        emit cancelRequested(order->market, order->id);
}

void OrdersPanel::updateButtons() {
    const OrderView* order = currentOpenOrder();
    m_cancel->setEnabled(order != nullptr);
    m_cancel->setText(order ? tr("Cancel #%1").arg(order->id) : tr("Cancel order"));
}

} // namespace md
