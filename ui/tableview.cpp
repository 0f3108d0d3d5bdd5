#include "tableview.h"

#include "tradingdelegate.h"
#include "uiroles.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>

namespace md {

QSortFilterProxyModel* sortProxy(QAbstractItemModel* model, QObject* parent) {
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(SortRole);
    proxy->setDynamicSortFilter(true);
    return proxy;
}

QFont numberFont(const QFont& base) {
    QFont mono(QStringLiteral("DejaVu Sans Mono"));
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(base.pointSizeF() > 0 ? base.pointSizeF() * 0.92 : 9);
    return mono;
}

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent, const char* objectName, bool monospace) {
    auto* view = new QTableView(parent);
    view->setObjectName(objectName);
    view->setModel(model);
    view->setItemDelegate(new TradingDelegate(view));
    view->verticalHeader()->hide();
    view->verticalHeader()->setMinimumSectionSize(18);
    view->verticalHeader()->setDefaultSectionSize(20);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setMinimumSectionSize(28);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    view->setCornerButtonEnabled(false);
    view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    if (monospace)
        view->setFont(numberFont(view->font()));
    return view;
}

} // namespace md
