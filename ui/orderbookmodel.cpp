#include "orderbookmodel.h"

#include "uiroles.h"

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
    std::set<std::pair<int, std::int64_t>> mine; // (side, price units at the instrument scale)
    if (m_view)
        for (const auto& o : m_view->openOrders)
            if (auto p = o.price.rescaled(m_view->instrument.priceScale()))
                mine.insert({static_cast<int>(o.side), p->units()});
    auto fill = [&](Side side, const std::vector<BookLevel>& levels) {
        Quantity cumulative;
        for (int i = 0; i < m_depth; ++i) {
            // Asks are shown highest first, so the best ask sits just above the best bid.
            Row& row = side == Side::Ask ? m_rows[m_depth - 1 - i] : m_rows[m_depth + i];
            row.side = side;
            if (i < static_cast<int>(levels.size())) {
                cumulative += levels[i].quantity;
                row.level = levels[i];
                row.cumulative = cumulative;
                auto p = levels[i].price.rescaled(m_view->instrument.priceScale());
                row.mine = p && mine.count({static_cast<int>(side), p->units()});
            } else {
                row.level.reset();
                row.mine = false;
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
        return row.mine;
    case DepthFractionRole:
        return row.level && m_maxCumulative > 0 ? row.cumulative.toDouble() / m_maxCumulative : 0.0;
    case Qt::TextAlignmentRole:
        return index.column() == Mine ? int(Qt::AlignCenter) : int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::DisplayRole:
        if (!row.level)
            return {};
        switch (index.column()) {
        case Mine:
            return row.mine ? QStringLiteral("●") : QString();
        case Price:
            return QString::fromStdString(row.level->price.toString());
        case Size:
            return QString::fromStdString(row.level->quantity.toString());
        case Cumulative:
            return QString::fromStdString(row.cumulative.toString());
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant OrderBookModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"", "Price", "Size", "Total"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
