#include "balancesmodel.h"

#include "uiroles.h"

namespace md {
namespace {

QString plain(Decimal d) {
    return QString::fromStdString(d.toTrimmedString());
}
QString text(const std::string& s) {
    return QString::fromStdString(s);
}
QVariant right() {
    return int(Qt::AlignRight | Qt::AlignVCenter);
}
QVariant left() {
    return int(Qt::AlignLeft | Qt::AlignVCenter);
}

} // namespace

void BalancesModel::setBalances(const std::vector<BalanceRow>& balances) {
    replaceRows(
        balances, [](const BalanceRow& b) { return std::make_pair(b.market, b.asset); },
        [](const BalanceRow& a, const BalanceRow& b) { return a.free == b.free && a.locked == b.locked; });
}

int BalancesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BalancesModel::data(const QModelIndex& index, int role) const {
    const BalanceRow* b = index.isValid() ? item(index.row()) : nullptr;
    if (!b)
        return {};
    switch (role) {
    case Qt::TextAlignmentRole:
        return index.column() == Free || index.column() == Locked ? right() : left();
    case SortRole:
        if (index.column() == Free)
            return b->free.toDouble();
        if (index.column() == Locked)
            return b->locked.toDouble();
        return data(index, Qt::DisplayRole);
    case Qt::DisplayRole:
        switch (index.column()) {
        case Market:
            return text(b->marketName);
        case Asset:
            return text(b->asset);
        case Free:
            return plain(b->free);
        case Locked:
            return plain(b->locked);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant BalancesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return section == Free || section == Locked ? right() : left();
    if (role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {QT_TR_NOOP("Market"), QT_TR_NOOP("Asset"), QT_TR_NOOP("Free"),
                                        QT_TR_NOOP("Locked")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
