#pragma once

#include "celltextcache.h"

#include <QStyledItemDelegate>

namespace md {

/// Paints meaning: on/off switches, market-state badges, bid/ask and status colours, depth bars
/// behind book levels, our own orders highlighted, the spread line of the ladder, log-level
/// colours. Reads roles only (uiroles.h); knows no model.
/// Thread: the UI thread.
class TradingDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

private:
    void paintSwitch(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    void paintState(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    /// What QStyledItemDelegate::paint does, with the text drawn from m_texts (laid out once).
    void paintItem(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
    mutable CellTextCache m_texts;
    // The text rectangle's distance from a plain-text cell's edges in the view last painted, with
    // the style it was asked of.
    mutable const QWidget* m_insetsFor = nullptr;
    mutable const QStyle* m_insetsStyle = nullptr;
    mutable QMargins m_insets;
};

} // namespace md
