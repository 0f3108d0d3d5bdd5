#include "segmentedlabel.h"

#include <QEvent>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>
#include <QStyleOption>

#include <numeric>

namespace md {

SegmentedLabel::SegmentedLabel(QWidget* parent)
    : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void SegmentedLabel::setSegments(std::vector<Segment> segments) {
    if (segments == m_segments)
        return;
    m_segments = std::move(segments);
    const int before = m_hintWidth;
    measure();
    if (m_hintWidth != before)
        updateGeometry();
    update();
}

QString SegmentedLabel::text() const {
    QString all;
    for (const auto& s : m_segments)
        all += s.text;
    return all;
}

void SegmentedLabel::measure() {
    const QFontMetrics metrics(font());
    m_widths.clear();
    for (const auto& s : m_segments)
        m_widths.push_back(metrics.horizontalAdvance(s.text));
    const int total = std::accumulate(m_widths.begin(), m_widths.end(), 0);
    if (total > m_hintWidth) {
        // Rounded up to four more digits: the numbers of a live quote change width by a digit now and then.
        const int digit = metrics.horizontalAdvance(QLatin1Char('8'));
        m_hintWidth = (total / digit + 4) * digit;
    }
    updateToolTip();
}

void SegmentedLabel::updateToolTip() {
    // Each setToolTip() sends a ToolTipChange event: only when it changes, not per quote.
    const bool cut = shownSegments() < static_cast<int>(m_segments.size());
    QString tip = cut ? text() : QString();
    if (tip != toolTip())
        setToolTip(tip);
}

void SegmentedLabel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    updateToolTip();
}

int SegmentedLabel::shownSegments() const {
    const int room = contentsRect().width();
    int used = 0, shown = 0;
    for (int w : m_widths) {
        if (used + w > room)
            break;
        used += w;
        ++shown;
    }
    return shown;
}

QSize SegmentedLabel::sizeHint() const {
    return QSize(m_hintWidth, fontMetrics().height() + 2);
}

QSize SegmentedLabel::minimumSizeHint() const {
    return QSize(0, fontMetrics().height() + 2);
}

void SegmentedLabel::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    QStyleOption option;
    option.initFrom(this);
    style()->drawPrimitive(QStyle::PE_Widget, &option, &painter, this); // a style sheet's background
    const QRect area = contentsRect();
    const int shown = shownSegments();
    int width = 0;
    for (int i = 0; i < shown; ++i)
        width += m_widths[static_cast<std::size_t>(i)];
    int x = area.right() + 1 - width; // right-aligned, like the numbers under it
    const QColor text = palette().color(isEnabled() ? QPalette::Active : QPalette::Disabled, QPalette::WindowText);
    for (int i = 0; i < shown; ++i) {
        const auto& s = m_segments[static_cast<std::size_t>(i)];
        painter.setPen(s.colour.isValid() ? s.colour : text);
        const int w = m_widths[static_cast<std::size_t>(i)];
        painter.drawText(QRect(x, area.top(), w, area.height()), Qt::AlignLeft | Qt::AlignVCenter, s.text);
        x += w;
    }
}

void SegmentedLabel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
        // Measured again in the new font; a new size asked for only if the hint really changed.
        const int before = m_hintWidth;
        m_hintWidth = 0;
        measure();
        if (m_hintWidth != before)
            updateGeometry();
        update();
    }
}

} // namespace md
