#pragma once

#include "engine/marketview.h"

#include <QWidget>

#include <memory>
#include <vector>

class QChart;
class QColor;
class QImage;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace md {

/// Mid price of the selected market over time, with our fills marked (buys and sells).
/// Thread: the UI thread.
class ChartPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartPanel(QWidget* parent = nullptr);
    void setView(const std::shared_ptr<const MarketView>& view);
    void applyTheme();
    /// Points drawn now: mid samples, and our fills marked (buys + sells).
    int midCount() const;
    int fillMarkCount() const;
    /// Stretches of the mid line drawn: a stopped period (no samples) is a gap, not a straight line.
    int midSegmentCount() const { return m_segmentsShown; }
    /// Samples further apart than this start a new stretch (they come every 250 ms while data flows).
    static constexpr std::int64_t kGapMs = 3000;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    QChart* m_chart;
    QChartView* m_chartView;
    QLineSeries* segment(int index); // the index-th stretch of the mid line, created on first use
    /// A filled triangle `size` pixels wide: a fill's mark.
    static QImage triangleMarker(const QColor& colour, qreal size);
    std::vector<QLineSeries*> m_mids;
    int m_segmentsShown = 0;
    QScatterSeries* m_buys;
    QScatterSeries* m_sells;
    QDateTimeAxis* m_time;
    QValueAxis* m_price;
    std::uint64_t m_version = 0;
    MarketId m_market = 0;
};

} // namespace md
