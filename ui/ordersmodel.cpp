#include "ordersmodel.h"

#include "uiroles.h"

#include <QDateTime>

namespace md {
namespace {

QString timeText(std::int64_t ms) {
    return QDateTime::fromMSecsSinceEpoch(ms).toString("HH:mm:ss.zzz");
}
QString sideText(Side s) {
    return s == Side::Bid ? QStringLiteral("BUY") : QStringLiteral("SELL");
}
QString name(const std::vector<std::string>& names, MarketId m) {
    return m < names.size() ? QString::fromStdString(names[m]) : QString::number(m);
}
int numericAlign(int column, int firstNumeric) {
    return column >= firstNumeric ? int(Qt::AlignRight | Qt::AlignVCenter) : int(Qt::AlignLeft | Qt::AlignVCenter);
}

} // namespace

void OrdersModel::setOrders(std::vector<OrderView> orders, std::vector<std::string> marketNames) {
    const bool sameShape = orders.size() == m_orders.size();
    if (sameShape) {
        m_orders = std::move(orders);
        m_names = std::move(marketNames);
        if (!m_orders.empty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_orders = std::move(orders);
    m_names = std::move(marketNames);
    endResetModel();
}

const OrderView* OrdersModel::order(int row) const {
    return row >= 0 && row < static_cast<int>(m_orders.size()) ? &m_orders[row] : nullptr;
}

int OrdersModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_orders.size());
}
int OrdersModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OrdersModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_orders.size()))
        return {};
    const OrderView& o = m_orders[index.row()];
    if (role == SideRole)
        return static_cast<int>(o.side);
    if (role == Qt::TextAlignmentRole)
        return numericAlign(index.column(), Price);
    if (role == Qt::ToolTipRole && !o.reason.empty())
        return QString::fromStdString(o.reason);
    if (role == SortRole) {
        switch (index.column()) {
        case Id:
            return qulonglong(o.id);
        case Price:
            return o.price.toDouble();
        case Quantity:
            return o.quantity.toDouble();
        case Filled:
            return o.filled.toDouble();
        case Updated:
            return qlonglong(o.updatedMs);
        default:
            role = Qt::DisplayRole;
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Market:
        return name(m_names, o.market);
    case Id:
        return QString::number(o.id);
    case Side:
        return sideText(o.side);
    case Price:
        return QString::fromStdString(o.price.toString());
    case Quantity:
        return QString::fromStdString(o.quantity.toString());
    case Filled:
        return QString::fromStdString(o.filled.toString());
    case Status:
        return QString::fromLatin1(nameOf(o.status).data(), static_cast<int>(nameOf(o.status).size()));
    case Updated:
        return timeText(o.updatedMs);
    default:
        return {};
    }
}

QVariant OrdersModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Market", "Id", "Side", "Price", "Qty", "Filled", "Status", "Updated"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void FillsModel::setFills(std::vector<FillView> fills, std::vector<std::string> marketNames) {
    if (fills.size() == m_fills.size() && (fills.empty() || fills.front().timeMs == m_fills.front().timeMs))
        return;
    beginResetModel();
    m_fills = std::move(fills);
    m_names = std::move(marketNames);
    endResetModel();
}

int FillsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_fills.size());
}
int FillsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FillsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_fills.size()))
        return {};
    const FillView& f = m_fills[index.row()];
    if (role == SideRole)
        return static_cast<int>(f.side);
    if (role == Qt::TextAlignmentRole)
        return numericAlign(index.column(), Price);
    if (role == SortRole) {
        switch (index.column()) {
        case Time:
            return qlonglong(f.timeMs);
        case Id:
            return qulonglong(f.id);
        case Price:
            return f.price.toDouble();
        case Quantity:
            return f.quantity.toDouble();
        default:
            role = Qt::DisplayRole;
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return timeText(f.timeMs);
    case Market:
        return name(m_names, f.market);
    case Id:
        return QString::number(f.id);
    case Side:
        return sideText(f.side);
    case Price:
        return QString::fromStdString(f.price.toString());
    case Quantity:
        return QString::fromStdString(f.quantity.toString());
    default:
        return {};
    }
}

QVariant FillsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Time", "Market", "Id", "Side", "Price", "Qty"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
