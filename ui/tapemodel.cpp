#include "tapemodel.h"

#include "uiroles.h"

#include <vector>

namespace md {

void TapeModel::setView(const MarketView* view) {
    const int market = view ? view->id : -1;
    if (market != m_market) { // another market: its sequence numbers are its own
        replaceRows(
            {}, [](const TapeTrade& t) { return t.sequence; }, [](const TapeTrade&, const TapeTrade&) { return true; });
        m_market = market;
    }
    if (!view)
        return;
    m_label = MarketLabel::of(view->name, view->instrument);
    // Oldest first as the view holds them (new trades are appended); the panel sorts newest first.
    replaceRows(
        std::vector<TapeTrade>(view->tape.begin(), view->tape.end()), [](const TapeTrade& t) { return t.sequence; },
        [](const TapeTrade&, const TapeTrade&) { return true; }); // a trade never changes
}

int TapeModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TapeModel::data(const QModelIndex& index, int role) const {
    const TapeTrade* t = index.isValid() ? item(index.row()) : nullptr;
    if (!t)
        return {};
    switch (role) {
    case SideRole: // the aggressor's side for a public trade, ours for our fill: buys green, sells red
        return index.column() == Side || index.column() == Price ? QVariant(static_cast<int>(t->side)) : QVariant();
    case ToneRole:
        return index.column() == Ours && t->ours ? QVariant(static_cast<int>(Tone::Accent)) : QVariant();
    case SortRole: // every column sorts by arrival
        return qulonglong(t->sequence);
    case OwnOrderRole: // our fills in bold
        return t->ours;
    case Qt::TextAlignmentRole:
        return index.column() == Price || index.column() == Quantity ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                                     : QVariant(int(Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::ToolTipRole:
        return t->ours ? QVariant(tr("Our fill: %1").arg(orderIdText(m_label.name, t->orderId)))
                       : QVariant(tr("Public trade; the side is the aggressor's"));
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return clockText(t->timeMs);
        case Side:
            return t->side == md::Side::Bid ? tr("BUY") : tr("SELL");
        case Price:
            return priceText(t->price, m_label.priceScale);
        case Quantity:
            return quantityText(t->quantity, m_label.quantityScale);
        case Ours:
            return t->ours ? tr("ours #%1").arg(t->orderId) : QString();
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant TapeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Time", "Side", "Price", "Qty", "Ours"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
