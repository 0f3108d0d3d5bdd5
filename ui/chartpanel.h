#pragma once

#include "engine/marketview.h"

#include <QWidget>

#include <memory>

class QChart;
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

private:
    QChart* m_chart;
    QChartView* m_chartView;
    QLineSeries* m_mid;
    QScatterSeries* m_buys;
    QScatterSeries* m_sells;
    QDateTimeAxis* m_time;
    QValueAxis* m_price;
    std::uint64_t m_version = 0;
    MarketId m_market = 0;
};

} // namespace md
