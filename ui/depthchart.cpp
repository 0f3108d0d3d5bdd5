#include "depthchart.h"

#include "theme.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace md {

DepthChart::DepthChart(QWidget* parent)
    : QWidget(parent) {
    setObjectName("depthChart");
    setMinimumSize(160, 120);
}

std::vector<DepthChart::Step> DepthChart::cumulate(const std::vector<BookLevel>& levels) {
    std::vector<Step> steps;
    steps.reserve(levels.size());
    Decimal total; // summed exactly; only the drawing goes through double
    for (const auto& level : levels) {
        total += level.quantity.decimal();
        steps.push_back({level.price.toDouble(), total.toDouble()});
    }
    return steps;
}

void DepthChart::setView(const std::shared_ptr<const MarketView>& view) {
    const int id = view ? view->id : -1;
    if (id == m_marketId && view && view->version == m_version)
        return;
    m_marketId = id;
    m_version = view ? view->version : 0;
    m_market = view ? QString::fromStdString(view->name) : QString();
    m_priceDecimals = view ? std::max(0, view->instrument.tick.scale()) : 2;
    m_bids = view ? cumulate(view->bids) : std::vector<Step>{};
    m_asks = view ? cumulate(view->asks) : std::vector<Step>{};
    update();
}

void DepthChart::paintEvent(QPaintEvent*) {
    const ThemeColors& c = themeColors();
    QPainter p(this);
    p.fillRect(rect(), c.dark ? QColor("#0f141b") : QColor("#ffffff"));
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font());
    if (m_bids.empty() && m_asks.empty()) {
        p.setPen(c.muted);
        p.drawText(rect(), Qt::AlignCenter, tr("No book yet"));
        return;
    }
    // Price runs left to right over both sides; size bottom to top, shared by both sides.
    double lo = m_bids.empty() ? m_asks.front().price : m_bids.back().price;
    double hi = m_asks.empty() ? m_bids.front().price : m_asks.back().price;
    double top =
        std::max(m_bids.empty() ? 0.0 : m_bids.back().cumulative, m_asks.empty() ? 0.0 : m_asks.back().cumulative);
    if (hi <= lo)
        hi = lo + 1;
    if (top <= 0)
        top = 1;
    const QRectF plot = QRectF(rect()).adjusted(8, fm.height() + 8, -8, -(fm.height() + 8));
    auto x = [&](double price) { return plot.left() + (price - lo) / (hi - lo) * plot.width(); };
    auto y = [&](double size) { return plot.bottom() - size / top * plot.height(); };

    auto draw = [&](const std::vector<Step>& steps, const QColor& colour) {
        if (steps.empty())
            return;
        // A step curve from the best price outwards: the size available up to each price.
        QPainterPath path;
        path.moveTo(x(steps.front().price), plot.bottom());
        double last = 0;
        for (const auto& s : steps) {
            path.lineTo(x(s.price), y(last));
            path.lineTo(x(s.price), y(s.cumulative));
            last = s.cumulative;
        }
        path.lineTo(x(steps.back().price), plot.bottom());
        path.closeSubpath();
        QColor fill = colour;
        fill.setAlpha(70);
        p.fillPath(path, fill);
        p.setPen(QPen(colour, 1.6));
        p.drawPath(path);
    };
    draw(m_bids, c.bid);
    draw(m_asks, c.ask);

    p.setPen(c.muted);
    const QString loText = QString::number(lo, 'f', m_priceDecimals),
                  hiText = QString::number(hi, 'f', m_priceDecimals);
    p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), fm.height()), Qt::AlignLeft, loText);
    p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), fm.height()), Qt::AlignRight, hiText);
    if (!m_bids.empty() && !m_asks.empty()) {
        const double mid = (m_bids.front().price + m_asks.front().price) / 2;
        p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), fm.height()), Qt::AlignHCenter,
                   tr("mid %1").arg(QString::number(mid, 'f', m_priceDecimals + 1)));
    }
    p.drawText(QRectF(plot.left(), 4, plot.width(), fm.height()), Qt::AlignLeft,
               tr("%1 depth · max %2").arg(m_market, QString::number(top, 'g', 6)));
    p.setPen(c.bid);
    p.drawText(QRectF(plot.left(), 4, plot.width(), fm.height()), Qt::AlignRight,
               tr("bids %1").arg(QString::number(m_bids.empty() ? 0.0 : m_bids.back().cumulative, 'g', 6)));
    p.setPen(c.ask);
    p.drawText(QRectF(plot.left(), 4 + fm.height(), plot.width(), fm.height()), Qt::AlignRight,
               tr("asks %1").arg(QString::number(m_asks.empty() ? 0.0 : m_asks.back().cumulative, 'g', 6)));
}

} // namespace md
