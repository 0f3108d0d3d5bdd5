#pragma once

#include "engine/marketview.h"

#include <QWidget>

#include <memory>
#include <vector>

namespace md {

/// The depth chart of the selected market: cumulative bid size (left of the mid, stepping up
/// as the price falls) and cumulative ask size (right, stepping up as it rises), from the levels of
/// the market's last published view (MarketView::kViewDepth per side). Painted directly: a few
/// hundred points redrawn at most at the window's refresh rate.
/// Thread: the UI thread.
class DepthChart : public QWidget {
    Q_OBJECT
public:
    explicit DepthChart(QWidget* parent = nullptr);

    /// Keeps the levels of `view` (nothing when null) and repaints when they changed.
    void setView(const std::shared_ptr<const MarketView>& view);

    /// One step of a cumulative curve: at `price`, this much is available up to it.
    struct Step {
        double price = 0;
        double cumulative = 0;
    };
    const std::vector<Step>& bidSteps() const { return m_bids; }
    const std::vector<Step>& askSteps() const { return m_asks; }
    /// Cumulative steps of one side, best first (exact sums, shown as doubles).
    static std::vector<Step> cumulate(const std::vector<BookLevel>& levels);

    QSize sizeHint() const override { return {320, 220}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<Step> m_bids;
    std::vector<Step> m_asks;
    QString m_market;
    std::uint64_t m_version = 0;
    int m_marketId = -1;
    int m_priceDecimals = 2;
};

} // namespace md
