#pragma once

#include <QTableView>

class QSortFilterProxyModel;

namespace md {

/// The one look of every table in the window: compact rows, row selection, no grid clutter,
/// numbers in a monospace font (so digits line up), the TradingDelegate for meaning.
/// Thread: the UI thread.
QTableView* makeTable(QAbstractItemModel* model, QWidget* parent, const char* objectName, bool monospace = true);
/// A sort proxy over `model` sorting by SortRole (raw values), kept sorted as rows change.
QSortFilterProxyModel* sortProxy(QAbstractItemModel* model, QObject* parent);
/// The monospace font of the numbers.
QFont numberFont(const QFont& base);

} // namespace md
