#include "tradingdelegate.h"

#include "theme.h"
#include "uiroles.h"

#include "domain/types.h"

#include <QPainter>

#include <spdlog/common.h>

namespace md {

void TradingDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const ThemeColors& c = themeColors();
    const QVariant side = index.data(SideRole);
    const QVariant state = index.data(StateRole);
    const QVariant level = index.data(LevelRole);
    if (side.isValid())
        option->palette.setColor(QPalette::Text, side.toInt() == static_cast<int>(Side::Bid) ? c.bid : c.ask);
    if (state.isValid() && index.column() <= 4) {
        switch (static_cast<MarketState>(state.toInt())) {
        case MarketState::Running:
            option->palette.setColor(QPalette::Text, index.column() == 3 ? c.ok : c.text);
            break;
        case MarketState::Degraded:
        case MarketState::Starting:
        case MarketState::Stopping:
            option->palette.setColor(QPalette::Text, c.warning);
            break;
        case MarketState::Failed:
        case MarketState::Killed:
            option->palette.setColor(QPalette::Text, c.danger);
            break;
        case MarketState::Stopped:
            option->palette.setColor(QPalette::Text, c.muted);
            break;
        }
        if (index.column() == 4 && index.data(HaltedRole).toBool())
            option->palette.setColor(QPalette::Text, c.danger);
    }
    if (level.isValid()) {
        const int l = level.toInt();
        option->palette.setColor(QPalette::Text, l >= spdlog::level::err     ? c.danger
                                                 : l == spdlog::level::warn  ? c.warning
                                                 : l <= spdlog::level::debug ? c.muted
                                                                             : c.text);
    }
    if (index.data(OwnOrderRole).toBool())
        option->font.setBold(true);
}

void TradingDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const QVariant fraction = index.data(DepthFractionRole);
    if (fraction.isValid() && fraction.toDouble() > 0) {
        // The depth bar grows from the right edge, like the ladders traders know.
        const ThemeColors& c = themeColors();
        const bool bid = index.data(SideRole).toInt() == static_cast<int>(Side::Bid);
        QRect bar = option.rect;
        bar.setLeft(bar.right() - static_cast<int>(bar.width() * std::min(1.0, fraction.toDouble())));
        painter->fillRect(bar, bid ? c.bidBar : c.askBar);
    }
    if (index.data(OwnOrderRole).toBool()) {
        const ThemeColors& c = themeColors();
        painter->fillRect(option.rect.adjusted(0, 0, -option.rect.width() + 3, 0), c.warning);
    }
    QStyledItemDelegate::paint(painter, option, index);
}

} // namespace md
