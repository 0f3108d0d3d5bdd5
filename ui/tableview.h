#pragma once

#include <QTableView>

namespace md {

/// The one look of every table in the window: compact rows, row selection, no grid clutter,
/// numbers in a monospace font (so digits line up), the TradingDelegate for meaning.
/// Thread: the UI thread.
QTableView* makeTable(QAbstractItemModel* model, QWidget* parent, const char* objectName, bool monospace = true);
/// The monospace font of the numbers.
QFont numberFont(const QFont& base);

} // namespace md
