#pragma once

#include "engine/marketview.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QTableView;

namespace md {

class OrderBookModel;
class SegmentedLabel;

/// The order book ladder of the selected market: a market chooser, the top of book and spread,
/// and the ladder (asks above, bids below, our resting size marked, depth bars).
/// Thread: the UI thread.
class BookPanel : public QWidget {
    Q_OBJECT
public:
    BookPanel(const QStringList& markets, int depth, QWidget* parent = nullptr);

    void setMarket(int market);
    void setView(const std::shared_ptr<const MarketView>& view);
    OrderBookModel* model() const { return m_model; }
    QTableView* view() const { return m_ladder; }
    /// Puts the spread in the middle of the ladder (done on the first book and whenever the ladder is
    /// resized, so a short ladder shows bids and asks, not asks only).
    void centreSpread();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void changeEvent(QEvent* event) override;

signals:
    void marketSelected(int market);
    /// Click-to-trade: a bid or ask level of the ladder was clicked (the ticket prepares or sends).
    void levelClicked(md::Side side, md::Price price);

private:
    OrderBookModel* m_model;
    QComboBox* m_market;
    SegmentedLabel* m_top;
    QTableView* m_ladder;
    std::shared_ptr<const MarketView> m_view; // the latest, for the top line's colours after a theme change
    bool m_centred = false;
};

} // namespace md
