#pragma once

#include <QStyledItemDelegate>

namespace md {

/// Paints meaning: depth bars behind book levels, bid/ask colours, market-state and log-level
/// colours, our own orders highlighted. Reads roles only (uiroles.h); knows no model.
/// Thread: the UI thread.
class TradingDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace md
