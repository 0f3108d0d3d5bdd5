#include "positionsmodel.h"

#include "uiroles.h"

#include "engine/closeouttext.h"
#include "positions/moneytext.h"

namespace md {
namespace {

QString text(const std::string& s) {
    return QString::fromStdString(s);
}
QString plain(Decimal d) {
    return text(d.toTrimmedString());
}
QString signedText(Decimal d) {
    return text(signedDecimal(d));
}
Tone toneOf(Decimal d) {
    return d.isPositive() ? Tone::Good : (d.isNegative() ? Tone::Bad : Tone::Normal);
}
QVariant right() {
    return int(Qt::AlignRight | Qt::AlignVCenter);
}
QVariant left() {
    return int(Qt::AlignLeft | Qt::AlignVCenter);
}

} // namespace

void PositionsModel::setMoney(const MoneySnapshot& money) {
    std::vector<MarketMoney> rows;
    for (const auto& m : money.markets)
        if (moneytext::hasMoney(m))
            rows.push_back(m);
    replaceRows(
        std::move(rows), [](const MarketMoney& m) { return m.market; },
        [](const MarketMoney& a, const MarketMoney& b) {
            return a.position == b.position && a.realized == b.realized && a.unrealized == b.unrealized &&
                   a.feesInQuote == b.feesInQuote && a.mid == b.mid && a.fills == b.fills && a.fees == b.fees;
        });
}

int PositionsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PositionsModel::data(const QModelIndex& index, int role) const {
    const MarketMoney* m = index.isValid() ? item(index.row()) : nullptr;
    if (!m)
        return {};
    switch (role) {
    case Qt::TextAlignmentRole:
        return index.column() == Market || index.column() == Asset || index.column() == Currency ? left() : right();
    case ToneRole:
        switch (index.column()) {
        case Realized:
            return static_cast<int>(toneOf(m->realized));
        case Unrealized:
            return static_cast<int>(toneOf(m->unrealized));
        case Net:
            return static_cast<int>(toneOf(m->net));
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Fees) {
            QString tip = tr("Fees as charged:");
            for (const auto& [asset, amount] : m->fees)
                tip += QStringLiteral("\n%1 %2").arg(plain(amount), text(asset));
            return tip + tr("\nIn %1: quote fees + base fees at their fill's price").arg(text(m->quote));
        }
        if (index.column() == Unrealized && !m->marked)
            return tr("No two-sided book yet: not marked");
        return {};
    case SortRole:
        switch (index.column()) {
        case Position:
            return m->position.toDouble();
        case AverageEntry:
            return m->averageEntry.toDouble();
        case Mid:
            return m->mid.toDouble();
        case Realized:
            return m->realized.toDouble();
        case Unrealized:
            return m->unrealized.toDouble();
        case Fees:
            return m->feesInQuote.toDouble();
        case Net:
            return m->net.toDouble();
        case Fills:
            return qulonglong(m->fills);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Market:
            return text(m->name);
        case Asset:
            return text(m->base);
        case Position:
            return signedText(m->position);
        case AverageEntry:
            return m->position.isZero() ? QString() : plain(m->averageEntry);
        case Mid:
            return m->marked ? plain(m->mid) : QStringLiteral("—");
        case Realized:
            return signedText(m->realized);
        case Unrealized:
            return signedText(m->unrealized);
        case Fees: {
            QString fees = plain(m->feesInQuote);
            for (const auto& [asset, amount] : m->fees)
                if (asset != m->base && asset != m->quote)
                    fees += QStringLiteral(" + %1 %2").arg(plain(amount), text(asset));
            return fees;
        }
        case Net:
            return signedText(m->net);
        case Currency:
            return text(m->quote);
        case Fills:
            return QString::number(m->fills);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant PositionsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole)
        return section == Market || section == Asset || section == Currency ? left() : right();
    if (role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {QT_TR_NOOP("Market"),     QT_TR_NOOP("Asset"), QT_TR_NOOP("Position"),
                                        QT_TR_NOOP("Avg entry"),  QT_TR_NOOP("Mid"),   QT_TR_NOOP("Realized"),
                                        QT_TR_NOOP("Unrealized"), QT_TR_NOOP("Fees"),  QT_TR_NOOP("Net"),
                                        QT_TR_NOOP("Ccy"),        QT_TR_NOOP("Fills")};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
