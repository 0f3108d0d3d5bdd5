#include "chartpanel.h"

#include "theme.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QResizeEvent>
#include <QScatterSeries>
#include <QVBoxLayout>

#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace md {

ChartPanel::ChartPanel(QWidget* parent)
    : QWidget(parent)
    , m_chart(new QChart)
    , m_chartView(new QChartView(m_chart, this)) // the view owns the chart
    , m_buys(new QScatterSeries)
    , m_sells(new QScatterSeries)
    , m_time(new QDateTimeAxis)
    , m_price(new QValueAxis) {
    m_buys->setName(tr("Our buys"));
    m_sells->setName(tr("Our sells"));
    m_buys->setMarkerSize(7);
    m_sells->setMarkerSize(7);
    m_buys->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    m_sells->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_price, Qt::AlignRight);
    segment(0)->setName(tr("Mid")); // first, so the legend reads Mid, Our buys, Our sells
    for (auto* s : std::initializer_list<QXYSeries*>{m_buys, m_sells})
        m_chart->addSeries(s);
    m_time->setFormat("HH:mm:ss");
    m_time->setTickCount(6);
    m_price->setLabelFormat("%.2f");
    for (auto* s : std::initializer_list<QXYSeries*>{m_buys, m_sells}) {
        s->attachAxis(m_time);
        s->attachAxis(m_price);
    }
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_chart->setMargins(QMargins(6, 2, 6, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    // Every refresh moves every item (the time axis slides, hundreds of fill markers): keeping the
    // scene's BSP index up to date for that cost more than the linear search a few hundred items need
    // (QGraphicsScene::NoIndex: "ideal for dynamic scenes").
    m_chartView->scene()->setItemIndexMethod(QGraphicsScene::NoIndex);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chartView);
    applyTheme();
}

void ChartPanel::applyTheme() {
    const ThemeColors& c = themeColors();
    m_chart->setTheme(c.dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(c.dark ? QColor("#0f141b") : QColor("#ffffff"));
    m_chart->setPlotAreaBackgroundVisible(false);
    for (auto* mid : m_mids)
        mid->setPen(QPen(c.accent, 1.6));
    m_buys->setColor(c.bid);
    m_sells->setColor(c.ask);
    m_buys->setBorderColor(c.bid);
    m_sells->setBorderColor(c.ask);
    // Fill marks as light markers (QXYSeries::setLightMarker, Qt 6.2): painted by the series itself.
    // As plain scatter markers every fill was a graphics item of its own, all repositioned whenever the
    // time axis slid (twice a second): with a few hundred fills that was the UI thread's longest event
    // (~11 ms of CPU in bench_ui).
    m_buys->setLightMarker(triangleMarker(c.bid, m_buys->markerSize()));
    m_sells->setLightMarker(triangleMarker(c.ask, m_sells->markerSize()));
    const QColor grid = c.dark ? QColor("#222c38") : QColor("#e3e8ee");
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(m_time), static_cast<QAbstractAxis*>(m_price)}) {
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
        axis->setLabelsColor(c.muted);
        axis->setLabelsFont(small);
    }
    m_chart->legend()->setLabelColor(c.muted);
    m_chart->legend()->setFont(small);
    QFont title = font();
    title.setBold(true);
    m_chart->setTitleFont(title);
    m_chart->setTitleBrush(c.text);
}

QImage ChartPanel::triangleMarker(const QColor& colour, qreal size) {
    const int side = static_cast<int>(std::ceil(size));
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPolygon(QPolygonF{
        {side / 2.0, 0}, {static_cast<qreal>(side), static_cast<qreal>(side)}, {0, static_cast<qreal>(side)}});
    return image;
}

QLineSeries* ChartPanel::segment(int index) {
    while (static_cast<int>(m_mids.size()) <= index) {
        auto* series = new QLineSeries;
        m_chart->addSeries(series); // the chart owns it
        series->attachAxis(m_time);
        series->attachAxis(m_price);
        series->setPen(QPen(themeColors().accent, 1.6));
        // One "Mid" in the legend, however many stretches the line has.
        if (!m_mids.empty())
            for (auto* marker : m_chart->legend()->markers(series))
                marker->setVisible(false);
        m_mids.push_back(series);
    }
    return m_mids[static_cast<std::size_t>(index)];
}

void ChartPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    // As many time labels as fit ("HH:mm:ss" needs about 110 px).
    m_time->setTickCount(std::clamp(width() / 110, 2, 8));
}

int ChartPanel::midCount() const {
    int n = 0;
    for (const auto* mid : m_mids)
        n += static_cast<int>(mid->count());
    return n;
}

int ChartPanel::fillMarkCount() const {
    return static_cast<int>(m_buys->count() + m_sells->count());
}

void ChartPanel::setView(const std::shared_ptr<const MarketView>& view) {
    if (!view || (view->id == m_market && view->version == m_version))
        return;
    m_market = view->id;
    m_version = view->version;
    // The line is cut where samples stop for a while (the market was stopped or its data stalled):
    // joining across the hole would draw prices that never traded.
    std::vector<QList<QPointF>> stretches;
    double low = 0, high = 0;
    std::int64_t previous = 0;
    for (const auto& m : view->mids) {
        if (stretches.empty() || m.timeMs - previous > kGapMs)
            stretches.emplace_back();
        previous = m.timeMs;
        stretches.back().append(QPointF(static_cast<double>(m.timeMs), m.mid));
        low = stretches.size() == 1 && stretches[0].size() == 1 ? m.mid : std::min(low, m.mid);
        high = stretches.size() == 1 && stretches[0].size() == 1 ? m.mid : std::max(high, m.mid);
    }
    QList<QPointF> buys, sells;
    const std::int64_t since = view->mids.empty() ? 0 : view->mids.front().timeMs;
    for (const auto& f : view->fills) {
        if (f.timeMs < since)
            continue;
        (f.side == Side::Bid ? buys : sells).append(QPointF(static_cast<double>(f.timeMs), f.price.toDouble()));
        low = std::min(low, f.price.toDouble());
        high = std::max(high, f.price.toDouble());
    }
    for (std::size_t i = 0; i < stretches.size(); ++i)
        segment(static_cast<int>(i))->replace(stretches[i]);
    for (std::size_t i = stretches.size(); i < m_mids.size(); ++i)
        if (m_mids[i]->count() > 0)
            m_mids[i]->clear();
    m_segmentsShown = static_cast<int>(stretches.size());
    m_buys->replace(buys);
    m_sells->replace(sells);
    if (!stretches.empty()) {
        m_time->setRange(
            QDateTime::fromMSecsSinceEpoch(view->mids.front().timeMs),
            QDateTime::fromMSecsSinceEpoch(std::max(view->mids.back().timeMs, view->mids.front().timeMs + 1000)));
        const double pad = std::max((high - low) * 0.1, view->instrument.tick.toDouble() * 2);
        m_price->setRange(low - pad, high + pad);
        // Set only when they change: each set lays the chart out again.
        const QString format = QString("%.%1f").arg(view->instrument.priceScale());
        if (m_price->labelFormat() != format)
            m_price->setLabelFormat(format);
    }
    const QString title = QString::fromStdString(view->name + " · " + view->instrument.symbol);
    if (m_chart->title() != title)
        m_chart->setTitle(title);
}

} // namespace md
