#pragma once

#include "engine/marketview.h"

#include <QTimer>
#include <QWidget>

#include <memory>

namespace md {

/// Mid price of the selected market over time, with our fills marked (buys ▲, sells ▼).
/// Painted directly with QPainter (like the depth chart): the points are the published view's own
/// bounded histories (MarketView::kHistory mids, its fills), kept by holding the immutable view, not
/// copied; a paint walks them once (cost in the points shown). New views only mark the chart dirty; it
/// repaints on a timer, at most kMaxRepaintHz times a second, however often views arrive.
/// Thread: the UI thread.
class ChartPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChartPanel(QWidget* parent = nullptr);
    void setView(const std::shared_ptr<const MarketView>& view);
    void applyTheme();
    /// Points drawn now: mid samples, and our fills marked (buys + sells).
    int midCount() const { return m_midCount; }
    int fillMarkCount() const { return m_fillCount; }
    /// Stretches of the mid line drawn: a stopped period (no samples) is a gap, not a straight line.
    int midSegmentCount() const { return m_segments; }
    /// Paint events so far (the window tests check the repaint rate).
    int paintCount() const { return m_paints; }
    /// Samples further apart than this start a new stretch (they come every 250 ms while data flows).
    static constexpr std::int64_t kGapMs = 3000;
    static constexpr int kMaxRepaintHz = 25;

    QSize sizeHint() const override { return {640, 360}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::shared_ptr<const MarketView> m_view;
    QTimer m_repaint; // coalesces views into at most kMaxRepaintHz paints a second
    QString m_title;
    double m_low = 0, m_high = 0; // price range of mids and fills shown
    std::int64_t m_from = 0, m_to = 0;
    std::size_t m_firstFill = 0; // the first fill at or after the first mid
    int m_midCount = 0;
    int m_fillCount = 0;
    int m_segments = 0;
    int m_paints = 0;
    int m_priceDecimals = 2;
};

} // namespace md
