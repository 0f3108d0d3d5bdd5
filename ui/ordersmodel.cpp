#include "ordersmodel.h"

#include "uiroles.h"

namespace md {
namespace {

QString sideText(md::Side s) {
    return s == md::Side::Bid ? QStringLiteral("BUY") : QStringLiteral("SELL");
}
const MarketLabel& label(const std::vector<MarketLabel>& markets, MarketId m) {
    static const MarketLabel unknown;
    return m < markets.size() ? markets[m] : unknown;
}
QString labelName(const std::vector<MarketLabel>& markets, MarketId m) {
    return m < markets.size() ? markets[m].name : QString::number(m);
}
int alignment(int column, int firstNumeric, int lastNumeric) {
    return column >= firstNumeric && column <= lastNumeric ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                           : int(Qt::AlignLeft | Qt::AlignVCenter);
}
Tone statusTone(OrderStatus s) {
    switch (s) {
    case OrderStatus::Pending:
        return Tone::Warning;
    case OrderStatus::Open:
    case OrderStatus::PartiallyFilled:
        return Tone::Accent;
    case OrderStatus::Filled:
        return Tone::Good;
    case OrderStatus::Cancelled:
        return Tone::Muted;
    case OrderStatus::Rejected:
        return Tone::Bad;
    case OrderStatus::Gone:
        return Tone::Muted;
    }
    return Tone::Normal;
}
bool sameLabels(const std::vector<MarketLabel>& a, const std::vector<MarketLabel>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const MarketLabel& x, const MarketLabel& y) {
        return x.name == y.name && x.priceScale == y.priceScale && x.quantityScale == y.quantityScale;
    });
}

} // namespace

bool isOpen(OrderStatus status) {
    return status == OrderStatus::Pending || status == OrderStatus::Open || status == OrderStatus::PartiallyFilled;
}

void OrdersModel::setOrders(std::vector<OrderView> orders, std::vector<MarketLabel> markets) {
    const bool relabel = !sameLabels(m_markets, markets);
    m_markets = std::move(markets);
    replaceRows(
        std::move(orders), [](const OrderView& o) { return std::make_pair(o.market, o.id); },
        [](const OrderView& a, const OrderView& b) {
            return a.status == b.status && a.filled == b.filled && a.updatedMs == b.updatedMs && a.price == b.price &&
                   a.quantity == b.quantity && a.owner == b.owner;
        });
    if (relabel && rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int OrdersModel::rowOf(MarketId market, ClientOrderId id) const {
    for (std::size_t i = 0; i < m_items.size(); ++i)
        if (m_items[i].market == market && m_items[i].id == id)
            return static_cast<int>(i);
    return -1;
}

QString OrdersModel::marketName(MarketId market) const {
    return labelName(m_markets, market);
}

QString OrdersModel::sourceOf(OwnerId owner) const {
    if (owner == kManualOwner)
        return QStringLiteral("manual");
    return owner < m_strategyNames.size() ? m_strategyNames.at(owner) : QString("strategy #%1").arg(owner);
}

int OrdersModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant OrdersModel::data(const QModelIndex& index, int role) const {
    const OrderView* o = index.isValid() ? order(index.row()) : nullptr;
    if (!o)
        return {};
    const MarketLabel& m = label(m_markets, o->market);
    switch (role) {
    case SideRole:
        return index.column() == Side || index.column() == Price ? QVariant(static_cast<int>(o->side)) : QVariant();
    case OpenRole:
        return isOpen(o->status);
    case ToneRole:
        return index.column() == Status ? QVariant(static_cast<int>(statusTone(o->status))) : QVariant();
    case Qt::TextAlignmentRole:
        return alignment(index.column(), Price, Filled);
    case Qt::ToolTipRole:
        if (index.column() == Market || index.column() == Id)
            return orderIdText(labelName(m_markets, o->market), o->id);
        return o->reason.empty() ? QVariant() : QVariant(QString::fromStdString(o->reason));
    case ExportRole:
        if (index.column() == Updated)
            return dateTimeText(o->updatedMs);
        return data(index, Qt::DisplayRole);
    case SortRole:
        switch (index.column()) {
        case Id:
            return qulonglong(o->id);
        case Price:
            return o->price.toDouble();
        case Quantity:
            return o->quantity.toDouble();
        case Filled:
            return o->filled.toDouble();
        case Status:
            return static_cast<int>(o->status);
        case Updated:
            return qlonglong(o->updatedMs);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Market:
            return labelName(m_markets, o->market);
        case Id:
            return orderIdText(labelName(m_markets, o->market), o->id);
        case Source:
            return sourceOf(o->owner);
        case Side:
            return sideText(o->side);
        case Price:
            return priceText(o->price, m.priceScale);
        case Quantity:
            return quantityText(o->quantity, m.quantityScale);
        case Filled:
            return quantityText(o->filled, m.quantityScale);
        case Status:
            return QString::fromLatin1(nameOf(o->status).data(), static_cast<int>(nameOf(o->status).size()));
        case Updated:
            return clockText(o->updatedMs);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant OrdersModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return alignment(section, Price, Filled);
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Market", "Id", "Source", "Side", "Price", "Qty", "Filled", "Status", "Updated"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void FillsModel::setFills(std::vector<FillView> fills, std::vector<MarketLabel> markets) {
    const bool relabel = !sameLabels(m_markets, markets);
    m_markets = std::move(markets);
    replaceRows(
        std::move(fills),
        [](const FillView& f) {
            return std::make_tuple(f.market, f.timeMs, f.id, f.price.units(), f.quantity.units());
        },
        [](const FillView&, const FillView&) { return true; }); // a fill never changes
    if (relabel && rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int FillsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FillsModel::data(const QModelIndex& index, int role) const {
    const FillView* f = index.isValid() ? item(index.row()) : nullptr;
    if (!f)
        return {};
    const MarketLabel& m = label(m_markets, f->market);
    switch (role) {
    case SideRole:
        return index.column() == Side || index.column() == Price ? QVariant(static_cast<int>(f->side)) : QVariant();
    case Qt::TextAlignmentRole:
        return alignment(index.column(), Price, Quantity);
    case ExportRole:
        if (index.column() == Time)
            return dateTimeText(f->timeMs);
        return data(index, Qt::DisplayRole);
    case Qt::ToolTipRole:
        return index.column() == Market || index.column() == Id
                   ? QVariant(orderIdText(labelName(m_markets, f->market), f->id))
                   : QVariant();
    case SortRole:
        switch (index.column()) {
        case Time:
            return qlonglong(f->timeMs);
        case Id:
            return qulonglong(f->id);
        case Price:
            return f->price.toDouble();
        case Quantity:
            return f->quantity.toDouble();
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return clockText(f->timeMs);
        case Market:
            return labelName(m_markets, f->market);
        case Id:
            return orderIdText(labelName(m_markets, f->market), f->id);
        case Side:
            return sideText(f->side);
        case Price:
            return priceText(f->price, m.priceScale);
        case Quantity:
            return quantityText(f->quantity, m.quantityScale);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant FillsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return alignment(section, Price, Quantity);
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Time", "Market", "Id", "Side", "Price", "Qty"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
