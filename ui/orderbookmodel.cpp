#include "orderbookmodel.h"

#include "numberformat.h"
#include "uiroles.h"

#include <map>

namespace md {

OrderBookModel::OrderBookModel(int depth, QObject* parent)
    : QAbstractTableModel(parent)
    , m_depth(depth)
    , m_rows(static_cast<std::size_t>(2 * depth)) {
    for (int i = 0; i < 2 * depth; ++i)
        m_rows[i].side = i < depth ? Side::Ask : Side::Bid;
}

void OrderBookModel::setView(std::shared_ptr<const MarketView> view) {
    m_view = std::move(view);
    m_priceScale = m_view ? m_view->instrument.priceScale() : -1;
    m_quantityScale = m_view ? m_view->instrument.quantityScale() : -1;
    // Our remaining size per (side, price in units at the instrument's scale).
    std::map<std::pair<int, std::int64_t>, md::Quantity> mine;
    if (m_view)
        for (const auto& o : m_view->openOrders)
            if (auto p = o.price.rescaled(m_priceScale))
                mine[{static_cast<int>(o.side), p->units()}] += o.quantity - o.filled;
    auto fill = [&](Side side, const std::vector<BookLevel>& levels) {
        md::Quantity cumulative;
        for (int i = 0; i < m_depth; ++i) {
            // Asks are shown highest first, so the best ask sits just above the best bid.
            Row& row = side == Side::Ask ? m_rows[m_depth - 1 - i] : m_rows[m_depth + i];
            row.side = side;
            row.mine.reset();
            if (i < static_cast<int>(levels.size())) {
                cumulative += levels[i].quantity;
                row.level = levels[i];
                row.cumulative = cumulative;
                if (auto p = levels[i].price.rescaled(m_priceScale)) {
                    const auto it = mine.find({static_cast<int>(side), p->units()});
                    if (it != mine.end())
                        row.mine = it->second;
                }
            } else {
                row.level.reset();
            }
        }
        return cumulative.toDouble();
    };
    static const std::vector<BookLevel> none;
    const double bidTotal = fill(Side::Bid, m_view ? m_view->bids : none);
    const double askTotal = fill(Side::Ask, m_view ? m_view->asks : none);
    m_maxCumulative = std::max(bidTotal, askTotal);
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int OrderBookModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int OrderBookModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OrderBookModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_rows.size()))
        return {};
    const Row& row = m_rows[index.row()];
    switch (role) {
    case SideRole:
        return static_cast<int>(row.side);
    case OwnOrderRole:
        return row.mine.has_value();
    case SpreadEdgeRole:
        return index.row() == bestAskRow();
    case DepthFractionRole:
        if (index.column() != Cumulative || !row.level || m_maxCumulative <= 0)
            return {};
        return row.cumulative.toDouble() / m_maxCumulative;
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == Mine && row.mine)
            return tr("our resting %1 %2")
                .arg(row.side == Side::Bid ? tr("bid") : tr("ask"), quantityText(*row.mine, m_quantityScale));
        return {};
    case Qt::DisplayRole:
        if (!row.level)
            return {};
        switch (index.column()) {
        case Mine:
            return row.mine ? quantityText(*row.mine, m_quantityScale) : QString();
        case Price:
            return priceText(row.level->price, m_priceScale);
        case Size:
            return quantityText(row.level->quantity, m_quantityScale);
        case Cumulative:
            return quantityText(row.cumulative, m_quantityScale);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant OrderBookModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Mine", "Price", "Size", "Total"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
