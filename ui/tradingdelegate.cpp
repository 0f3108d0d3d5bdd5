#include "tradingdelegate.h"

#include "theme.h"
#include "uiroles.h"

#include "domain/types.h"

#include <QApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

#include <spdlog/common.h>

namespace md {
namespace {

QColor stateColor(MarketState state) {
    const ThemeColors& c = themeColors();
    switch (state) {
    case MarketState::Running:
        return c.ok;
    case MarketState::Degraded:
    case MarketState::Starting:
    case MarketState::Stopping:
        return c.warning;
    case MarketState::Failed:
    case MarketState::Killed:
        return c.danger;
    case MarketState::Stopped:
        return c.muted;
    }
    return c.text;
}

QColor toneColor(Tone tone) {
    const ThemeColors& c = themeColors();
    switch (tone) {
    case Tone::Good:
        return c.ok;
    case Tone::Warning:
        return c.warning;
    case Tone::Bad:
        return c.danger;
    case Tone::Muted:
        return c.muted;
    case Tone::Accent:
        return c.accent;
    case Tone::Normal:
        break;
    }
    return c.text;
}

QPalette::ColorGroup colorGroup(const QStyleOptionViewItem& option) {
    return !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
           : (option.state & QStyle::State_Active) ? QPalette::Normal
                                                   : QPalette::Inactive;
}

void paintBackground(QPainter* painter, const QStyleOptionViewItem& option) {
    // The item's own background (PE_PanelItemViewItem: the selection, or the model's BackgroundRole),
    // drawn here rather than through the style: with the application's style sheet every call went
    // through QStyleSheetStyle's rule lookup, ~30% of a table's paint (tests/ui paint experiment,
    // pixel-identical). The row's alternate colour is the view's (PE_PanelItemViewRow, drawn before the
    // delegate); the style sheet's `outline: 0` draws no focus frame.
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, option.palette.brush(colorGroup(option), QPalette::Highlight));
    else if (option.backgroundBrush.style() != Qt::NoBrush)
        painter->fillRect(option.rect, option.backgroundBrush);
}

} // namespace

void TradingDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    const ThemeColors& c = themeColors();
    auto setText = [option, &c](const QColor& colour) {
        option->palette.setColor(QPalette::Text, colour);
        option->palette.setColor(QPalette::HighlightedText, c.dark ? colour.lighter(115) : colour.darker(110));
    };
    if (const QVariant side = index.data(SideRole); side.isValid())
        setText(side.toInt() == static_cast<int>(Side::Bid) ? c.bid : c.ask);
    if (const QVariant tone = index.data(ToneRole); tone.isValid())
        setText(toneColor(static_cast<Tone>(tone.toInt())));
    if (index.data(HaltedRole).toBool()) {
        setText(c.danger);
        option->font.setBold(true);
    }
    if (const QVariant level = index.data(LevelRole); level.isValid()) {
        const int l = level.toInt();
        setText(l >= spdlog::level::err     ? c.danger
                : l == spdlog::level::warn  ? c.warning
                : l <= spdlog::level::debug ? c.muted
                                            : c.text);
    }
    if (index.data(OwnOrderRole).toBool())
        option->font.setBold(true);
}

void TradingDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    if (index.data(ToggleRole).toBool()) {
        paintSwitch(painter, option, index);
        return;
    }
    if (index.data(StateRole).isValid()) {
        paintState(painter, option, index);
        return;
    }
    const ThemeColors& c = themeColors();
    const QVariant fraction = index.data(DepthFractionRole);
    if (fraction.isValid() && fraction.toDouble() > 0) {
        // The depth bar grows from the right edge, like the ladders traders know.
        const bool bid = index.data(SideRole).toInt() == static_cast<int>(Side::Bid);
        QRect bar = option.rect;
        bar.setLeft(bar.right() - static_cast<int>(bar.width() * std::min(1.0, fraction.toDouble())));
        painter->fillRect(bar, bid ? c.bidBar : c.askBar);
    }
    if (index.data(OwnOrderRole).toBool()) {
        // Our resting order: the row tinted, a stripe at its left edge — found at a glance.
        QColor tint = c.warning;
        tint.setAlpha(c.dark ? 45 : 40);
        painter->fillRect(option.rect, tint);
        if (index.column() == 0)
            painter->fillRect(QRect(option.rect.left(), option.rect.top(), 3, option.rect.height()), c.warning);
    }
    paintItem(painter, option, index);
    if (index.data(SpreadEdgeRole).toBool()) {
        painter->save();
        painter->setPen(QPen(c.muted, 1));
        painter->drawLine(option.rect.bottomLeft(), option.rect.bottomRight());
        painter->restore();
    }
}

void TradingDelegate::paintItem(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    // Cells with an icon, a check box, wrapped or multi-line text keep the style's own drawing.
    const bool plainText = !opt.text.isEmpty() &&
                           !(opt.features & (QStyleOptionViewItem::HasCheckIndicator |
                                             QStyleOptionViewItem::HasDecoration | QStyleOptionViewItem::WrapText)) &&
                           !opt.text.contains(QChar::LineSeparator) && !opt.text.contains(u'\n');
    if (!plainText) {
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        return;
    }
    paintBackground(painter, opt);
    // Where QCommonStyle would draw the text: the cell less the style sheet's padding (asked once per
    // view: it is the same for every plain-text cell) and the focus frame's margin.
    if (m_insetsFor != widget || m_insetsStyle != style) { // View → Theme sets a new style
        QStyleOptionViewItem probe = opt;
        probe.text.clear(); // with text, QCommonStyle lays it out to measure it (shaping it again)
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const QRect inner = style->subElementRect(QStyle::SE_ItemViewItemText, &probe, widget);
        m_insets = QMargins(inner.left() - opt.rect.left() + margin, inner.top() - opt.rect.top(),
                            opt.rect.right() - inner.right() + margin, opt.rect.bottom() - inner.bottom());
        m_insetsFor = widget;
        m_insetsStyle = style;
    }
    const QRect area = opt.rect.marginsRemoved(m_insets);
    if (area.width() <= 0)
        return;
    const QStaticText& text = m_texts.text(opt.text, opt.font, area.width(), opt.textElideMode);
    const QSizeF size = text.size();
    const Qt::Alignment align = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
    const qreal x = align & Qt::AlignRight     ? area.right() + 1 - size.width()
                    : align & Qt::AlignHCenter ? area.left() + (area.width() - size.width()) / 2
                                               : area.left();
    const qreal y = align & Qt::AlignTop      ? area.top()
                    : align & Qt::AlignBottom ? area.bottom() + 1 - size.height()
                                              : area.top() + (area.height() - size.height()) / 2;
    painter->save();
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(colorGroup(opt),
                                      opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
    painter->setClipRect(area, Qt::IntersectClip);
    painter->drawStaticText(QPointF(x, y), text);
    painter->restore();
}

void TradingDelegate::paintSwitch(QPainter* painter, const QStyleOptionViewItem& option,
                                  const QModelIndex& index) const {
    paintBackground(painter, option);
    const ThemeColors& c = themeColors();
    const bool on = index.data(Qt::CheckStateRole).toInt() == Qt::Checked;
    const QSize size(26, 14);
    const QRect track(QPoint(option.rect.center().x() - size.width() / 2, option.rect.center().y() - size.height() / 2),
                      size);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    QColor trackColour = on ? c.ok : c.muted;
    trackColour.setAlpha(on ? 220 : 110);
    painter->setBrush(trackColour);
    painter->drawRoundedRect(track, size.height() / 2.0, size.height() / 2.0);
    const int knob = size.height() - 4;
    const int x = on ? track.right() - knob - 1 : track.left() + 2;
    painter->setBrush(QColor(255, 255, 255, on ? 255 : 200));
    painter->drawEllipse(QRect(x, track.top() + 2, knob, knob));
    painter->restore();
}

void TradingDelegate::paintState(QPainter* painter, const QStyleOptionViewItem& option,
                                 const QModelIndex& index) const {
    paintBackground(painter, option);
    const QColor colour = stateColor(static_cast<MarketState>(index.data(StateRole).toInt()));
    const QRect r = option.rect.adjusted(6, 0, -4, 0);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    const int dot = 8;
    painter->drawEllipse(QRect(r.left(), r.center().y() - dot / 2 + 1, dot, dot));
    QFont font = option.font;
    font.setBold(true);
    painter->setFont(font);
    painter->setPen(colour);
    painter->drawText(r.adjusted(dot + 6, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                      index.data(Qt::DisplayRole).toString());
    painter->restore();
}

bool TradingDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                                  const QModelIndex& index) {
    if (!index.data(ToggleRole).toBool() || !(index.flags() & Qt::ItemIsUserCheckable))
        return QStyledItemDelegate::editorEvent(event, model, option, index);
    // The whole cell is the switch: a click anywhere in it, or Space, flips it.
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
        return option.rect.contains(static_cast<QMouseEvent*>(event)->position().toPoint());
    case QEvent::MouseButtonRelease: {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() != Qt::LeftButton || !option.rect.contains(mouse->position().toPoint()))
            return false;
        break;
    }
    case QEvent::KeyPress: {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key != Qt::Key_Space && key != Qt::Key_Select)
            return false;
        break;
    }
    default:
        return false;
    }
    const bool on = index.data(Qt::CheckStateRole).toInt() == Qt::Checked;
    return model->setData(index, on ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
}

} // namespace md
