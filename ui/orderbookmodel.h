#pragma once

#include "engine/marketview.h"

#include <QAbstractTableModel>

#include <memory>
#include <optional>

namespace md {

/// The ladder of one market: asks from the highest shown down to the best, then bids from the best
/// down; our own resting size, price, size and cumulative size with the instrument's decimals.
/// Fixed row count (2 × depth) so a refresh is one dataChanged, never a reset.
/// Thread: the UI thread.
class OrderBookModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Mine, Price, Size, Cumulative, ColumnCount };

    explicit OrderBookModel(int depth = 20, QObject* parent = nullptr);

    void setView(std::shared_ptr<const MarketView> view);
    const MarketView* view() const { return m_view.get(); }
    int depth() const { return m_depth; }
    /// Row of the best ask (the best bid is the next row).
    int bestAskRow() const { return m_depth - 1; }
    /// The side and price of a row's level (click-to-trade); nullopt for an empty row.
    std::optional<std::pair<Side, md::Price>> levelAt(int row) const {
        if (row < 0 || row >= static_cast<int>(m_rows.size()) || !m_rows[static_cast<std::size_t>(row)].level)
            return std::nullopt;
        const Row& r = m_rows[static_cast<std::size_t>(row)];
        return std::make_pair(r.side, r.level->price);
    }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row {
        Side side = Side::Ask;
        std::optional<BookLevel> level;
        md::Quantity cumulative;
        std::optional<md::Quantity> mine; // our resting size at this price
    };
    int m_depth;
    std::vector<Row> m_rows;
    double m_maxCumulative = 0;
    int m_priceScale = -1;
    int m_quantityScale = -1;
    std::shared_ptr<const MarketView> m_view;
};

} // namespace md
