#include "chartpanel.h"

#include "theme.h"

#include <QDateTime>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>

namespace md {

namespace {

/// A "nice" step (1, 2 or 5 times a power of ten) giving about `count` divisions of `span`.
double niceStep(double span, int count) {
    const double raw = span / std::max(1, count);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (raw <= m * power)
            return m * power;
    return 10 * power;
}

/// A time step a trader reads at a glance (whole seconds or minutes) for about `count` divisions.
std::int64_t timeStep(std::int64_t spanMs, int count) {
    static constexpr std::array<std::int64_t, 13> steps{1'000,   2'000,   5'000,   10'000,  15'000,    30'000,   60'000,
                                                        120'000, 300'000, 600'000, 900'000, 1'800'000, 3'600'000};
    const std::int64_t raw = spanMs / std::max(1, count);
    for (auto s : steps)
        if (raw <= s)
            return s;
    return steps.back();
}

void drawMark(QPainter& p, QPointF at, bool up, const QColor& colour) {
    constexpr double h = 7, w = 8;
    const QPolygonF triangle =
        up ? QPolygonF{{at.x(), at.y() - h / 2}, {at.x() + w / 2, at.y() + h / 2}, {at.x() - w / 2, at.y() + h / 2}}
           : QPolygonF{{at.x(), at.y() + h / 2}, {at.x() + w / 2, at.y() - h / 2}, {at.x() - w / 2, at.y() - h / 2}};
    // No outline: marks of fills close in time overlap, and an outline in the background's colour
    // smudged them into dark blocks.
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPolygon(triangle);
}

} // namespace

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName("midChart");
    setMinimumSize(200, 140);
    setAttribute(Qt::WA_OpaquePaintEvent); // every pixel is painted: nothing beneath to draw first
    m_repaint.setSingleShot(true);
    m_repaint.setInterval(1000 / kMaxRepaintHz);
    connect(&m_repaint, &QTimer::timeout, this, qOverload<>(&QWidget::update));
}

void ChartPanel::applyTheme() {
    update();
}

void ChartPanel::setView(const std::shared_ptr<const MarketView>& view) {
    if (!view || (m_view && view->id == m_view->id && view->version == m_view->version))
        return;
    m_view = view;
    m_priceDecimals = std::max(0, view->instrument.priceScale());
    m_title = QString::fromStdString(view->name + " · " + view->instrument.symbol);
    // The line is cut where samples stop for a while (the market was stopped or its data stalled):
    // joining across the hole would draw prices that never traded.
    m_segments = 0;
    m_midCount = static_cast<int>(view->mids.size());
    m_low = view->mids.empty() ? 0 : view->mids.front().mid;
    m_high = m_low;
    std::int64_t previous = 0;
    for (const auto& m : view->mids) {
        if (m_segments == 0 || m.timeMs - previous > kGapMs)
            ++m_segments;
        m_low = std::min(m_low, m.mid);
        m_high = std::max(m_high, m.mid);
        previous = m.timeMs;
    }
    m_from = view->mids.empty() ? 0 : view->mids.front().timeMs;
    m_to = view->mids.empty() ? 0 : std::max(view->mids.back().timeMs, m_from + 1000);
    // Fills are oldest first: those before the first mid are off the chart.
    m_firstFill =
        static_cast<std::size_t>(std::partition_point(view->fills.begin(), view->fills.end(),
                                                      [this](const FillView& f) { return f.timeMs < m_from; }) -
                                 view->fills.begin());
    m_fillCount = view->mids.empty() ? 0 : static_cast<int>(view->fills.size() - m_firstFill);
    if (!view->mids.empty())
        for (std::size_t i = m_firstFill; i < view->fills.size(); ++i) {
            m_low = std::min(m_low, view->fills[i].price.toDouble());
            m_high = std::max(m_high, view->fills[i].price.toDouble());
        }
    if (!m_repaint.isActive())
        m_repaint.start();
}

void ChartPanel::paintEvent(QPaintEvent*) {
    ++m_paints;
    const ThemeColors& c = themeColors();
    const QColor background = c.dark ? QColor("#0f141b") : QColor("#ffffff");
    const QColor grid = c.dark ? QColor("#1c2530") : QColor("#eef1f5");
    const QColor axisLine = c.dark ? QColor("#2a3644") : QColor("#d5dbe3");
    QPainter p(this);
    p.fillRect(rect(), background);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fm(small), fmBold(bold);

    // Title left, legend right, on one line above the plot.
    p.setFont(bold);
    p.setPen(c.text);
    const int headerHeight = fmBold.height() + 8;
    p.drawText(QRect(10, 4, width() / 2, fmBold.height()), Qt::AlignLeft | Qt::AlignVCenter,
               m_view ? m_title : tr("Mid price"));
    p.setFont(small);
    if (!m_view || m_view->mids.empty()) {
        p.setPen(c.muted);
        p.drawText(rect(), Qt::AlignCenter, tr("No prices yet"));
        return;
    }
    const MarketView& v = *m_view;
    p.setRenderHint(QPainter::Antialiasing);
    {
        // Legend: the mid's line, then our fills' marks, right-aligned.
        const QString mid = tr("Mid"), buys = tr("Our buys"), sells = tr("Our sells");
        const int y = 4 + fmBold.height() / 2;
        int x = width() - 10 - fm.horizontalAdvance(sells);
        p.setPen(c.muted);
        p.drawText(QPoint(x, y + fm.ascent() / 2 - 1), sells);
        drawMark(p, QPointF(x - 9, y), false, c.ask);
        x -= 22 + fm.horizontalAdvance(buys);
        p.setPen(c.muted);
        p.drawText(QPoint(x, y + fm.ascent() / 2 - 1), buys);
        drawMark(p, QPointF(x - 9, y), true, c.bid);
        x -= 22 + fm.horizontalAdvance(mid);
        p.setPen(c.muted);
        p.drawText(QPoint(x, y + fm.ascent() / 2 - 1), mid);
        p.setPen(QPen(c.accent, 2));
        p.drawLine(QPointF(x - 20, y), QPointF(x - 6, y));
    }

    // Price on the right (as on a trading terminal), time along the bottom.
    const double tick = std::max(v.instrument.tick.toDouble(), 1e-12);
    const double pad = std::max((m_high - m_low) * 0.1, tick * 2);
    const double low = m_low - pad, high = m_high + pad;
    // Wide enough for the last mid's tag (one more decimal than the labels).
    const QString widest = QString::number(std::max(std::abs(low), std::abs(high)), 'f', m_priceDecimals + 1);
    const int axisWidth = fm.horizontalAdvance(widest) + 16;
    const QRectF plot(10, headerHeight + 4, std::max(20, width() - 10 - axisWidth),
                      std::max(20, height() - headerHeight - 4 - fm.height() - 10));
    const double span = static_cast<double>(m_to - m_from);
    auto x = [&](std::int64_t t) { return plot.left() + static_cast<double>(t - m_from) / span * plot.width(); };
    auto y = [&](double price) { return plot.bottom() - (price - low) / (high - low) * plot.height(); };

    // Grid and labels: nice price steps, whole-second or whole-minute times.
    p.setRenderHint(QPainter::Antialiasing, false);
    const double priceStep = std::max(niceStep(high - low, std::max(2, static_cast<int>(plot.height()) / 44)), tick);
    for (double price = std::ceil(low / priceStep) * priceStep; price <= high; price += priceStep) {
        const double py = std::round(y(price)) + 0.5;
        p.setPen(grid);
        p.drawLine(QPointF(plot.left(), py), QPointF(plot.right(), py));
        p.setPen(c.muted);
        p.drawText(QRectF(plot.right() + 8, py - fm.height() / 2.0, axisWidth - 8, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::number(price, 'f', m_priceDecimals));
    }
    const std::int64_t step = timeStep(m_to - m_from, std::max(1, static_cast<int>(plot.width()) / 110));
    const std::int64_t offset = QDateTime::fromMSecsSinceEpoch(m_from).offsetFromUtc() * 1000LL; // local whole minutes
    for (std::int64_t t = ((m_from + offset) / step + 1) * step - offset; t <= m_to; t += step) {
        const double px = std::round(x(t)) + 0.5;
        p.setPen(grid);
        p.drawLine(QPointF(px, plot.top()), QPointF(px, plot.bottom()));
        p.setPen(c.muted);
        const QString label = QDateTime::fromMSecsSinceEpoch(t).toString("HH:mm:ss");
        const double w = fm.horizontalAdvance(label);
        if (px - w / 2 >= 0 && px + w / 2 <= plot.right() + axisWidth)
            p.drawText(QRectF(px - w / 2 - 2, plot.bottom() + 4, w + 4, fm.height()), Qt::AlignCenter, label);
    }
    p.setPen(axisLine);
    p.drawLine(QPointF(plot.right() + 0.5, plot.top()), QPointF(plot.right() + 0.5, plot.bottom()));
    p.drawLine(QPointF(plot.left(), plot.bottom() + 0.5), QPointF(plot.right(), plot.bottom() + 0.5));

    // The mid line, one stretch at a time, over a soft fill down to the axis.
    p.setRenderHint(QPainter::Antialiasing);
    p.setClipRect(plot.adjusted(0, -4, 0, 4));
    QColor fillTop = c.accent, fillBottom = c.accent;
    fillTop.setAlpha(c.dark ? 60 : 45);
    fillBottom.setAlpha(0);
    QLinearGradient gradient(0, plot.top(), 0, plot.bottom());
    gradient.setColorAt(0, fillTop);
    gradient.setColorAt(1, fillBottom);
    QPolygonF line;
    line.reserve(static_cast<qsizetype>(v.mids.size()) + 2);
    auto flush = [&] {
        if (line.isEmpty())
            return;
        QPolygonF area = line;
        area << QPointF(line.back().x(), plot.bottom()) << QPointF(line.front().x(), plot.bottom());
        // The soft fill without antialiasing (its edge is under the line): rasterizing a polygon of
        // a thousand points with coverage costs several times more.
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(Qt::NoPen);
        p.setBrush(gradient);
        p.drawPolygon(area);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(Qt::NoBrush);
        if (line.size() == 1) {
            p.setPen(QPen(c.accent, 2));
            p.drawPoint(line.front());
        } else {
            // Two one-pixel strokes 0.7 px apart look like a 1.7 px line: a pen wider than one pixel
            // leaves the raster engine's fast cosmetic stroker for its general stroker (outline, then
            // a coverage fill), several times the cost for a thousand points.
            p.setPen(QPen(c.accent, 1));
            p.drawPolyline(line);
            p.translate(0, 0.7);
            p.drawPolyline(line);
            p.translate(0, -0.7);
        }
        line.clear();
    };
    std::int64_t previous = v.mids.front().timeMs;
    for (const auto& m : v.mids) {
        if (m.timeMs - previous > kGapMs)
            flush();
        line << QPointF(x(m.timeMs), y(m.mid));
        previous = m.timeMs;
    }
    flush();

    // Last mid: a dashed level across the plot and its price in a tag on the axis.
    const double last = v.mids.back().mid;
    const double ly = std::round(y(last)) + 0.5;
    QColor level = c.accent;
    level.setAlpha(140);
    p.setPen(QPen(level, 1, Qt::DashLine));
    p.drawLine(QPointF(plot.left(), ly), QPointF(plot.right(), ly));

    for (std::size_t i = m_firstFill; i < v.fills.size(); ++i) {
        const FillView& f = v.fills[i];
        const bool buy = f.side == Side::Bid;
        drawMark(p, QPointF(x(f.timeMs), y(f.price.toDouble())), buy, buy ? c.bid : c.ask);
    }
    p.setClipping(false);
    // A mid between two ticks needs one more decimal than the prices; one on a tick does not.
    const double scaled = last * std::pow(10.0, m_priceDecimals);
    const QString lastText =
        QString::number(last, 'f', m_priceDecimals + (std::abs(scaled - std::round(scaled)) > 1e-6 ? 1 : 0));
    const QRectF tag(plot.right() + 1, ly - fm.height() / 2.0 - 1, fm.horizontalAdvance(lastText) + 12,
                     fm.height() + 2);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.fillRect(tag, c.accent);
    p.setPen(background);
    p.drawText(tag, Qt::AlignCenter, lastText);
}

} // namespace md
