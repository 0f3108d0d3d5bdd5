#include "marketsmodel.h"

#include "uiroles.h"

#include <QString>

namespace md {
namespace {

QString age(double seconds) {
    if (seconds < 0)
        return QStringLiteral("—");
    if (seconds < 1)
        return QString::number(seconds * 1000, 'f', 0) + " ms";
    if (seconds < 120)
        return QString::number(seconds, 'f', 1) + " s";
    return QString::number(seconds / 60, 'f', 0) + " min";
}

bool sameRow(const MarketHealth& a, const MarketHealth& b) {
    return a.state == b.state && a.eventsTotal == b.eventsTotal && a.queueDepth == b.queueDepth &&
           a.openOrders == b.openOrders && a.errors == b.errors && a.tradingState == b.tradingState &&
           a.stateReason == b.stateReason &&
           static_cast<int>(a.eventsPerSecond) == static_cast<int>(b.eventsPerSecond) &&
           static_cast<int>(a.lastEventAgeSeconds * 10) == static_cast<int>(b.lastEventAgeSeconds * 10) &&
           static_cast<int>(a.oldestActionAgeSeconds * 10) == static_cast<int>(b.oldestActionAgeSeconds * 10);
}

} // namespace

void MarketsModel::setSnapshot(std::vector<MarketHealth> markets) {
    if (markets.size() != m_markets.size()) {
        beginResetModel();
        m_markets = std::move(markets);
        endResetModel();
        return;
    }
    for (std::size_t i = 0; i < markets.size(); ++i) {
        const bool changed = !sameRow(m_markets[i], markets[i]);
        m_markets[i] = std::move(markets[i]);
        if (changed)
            emit dataChanged(index(static_cast<int>(i), 0), index(static_cast<int>(i), ColumnCount - 1));
    }
}

const MarketHealth* MarketsModel::market(int row) const {
    return row >= 0 && row < static_cast<int>(m_markets.size()) ? &m_markets[row] : nullptr;
}

int MarketsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_markets.size());
}

int MarketsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MarketsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_markets.size()))
        return {};
    const MarketHealth& m = m_markets[index.row()];
    const bool on = isActive(m.state);
    if (role == StateRole)
        return static_cast<int>(m.state);
    if (role == HaltedRole)
        return m.tradingState == "halted";
    if (role == Qt::CheckStateRole && index.column() == On)
        return on ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::TextAlignmentRole)
        return index.column() >= EventsPerSecond ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                 : int(Qt::AlignLeft | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        QString tip = QString::fromStdString(m.name + " (" + m.symbol + ", " + m.connector + ")");
        if (!m.stateReason.empty())
            tip += "\n" + QString::fromStdString(std::string(nameOf(m.state)) + ": " + m.stateReason);
        if (!m.breakerReason.empty())
            tip += "\nbreaker: " + QString::fromStdString(m.breakerReason);
        if (!m.lastError.empty())
            tip += "\nlast error: " + QString::fromStdString(m.lastError);
        for (const auto& d : m.details)
            tip += "\n" + QString::fromStdString(d.key + ": " + d.text);
        return tip;
    }
    if (role == SortRole) {
        switch (index.column()) {
        case EventsPerSecond:
            return m.eventsPerSecond;
        case LastData:
            return m.lastEventAgeSeconds;
        case Queue:
            return qulonglong(m.queueDepth);
        case OldestAction:
            return m.oldestActionAgeSeconds;
        case OpenOrders:
            return qulonglong(m.openOrders);
        case Errors:
            return qulonglong(m.errors);
        default:
            break;
        }
        role = Qt::DisplayRole;
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case On:
        return on ? tr("on") : tr("off");
    case Market:
        return QString::fromStdString(m.name);
    case Connector:
        return QString::fromStdString(m.connector + " · " + m.symbol);
    case State:
        return QString::fromLatin1(nameOf(m.state).data(), static_cast<int>(nameOf(m.state).size())).toUpper();
    case Trading:
        return QString::fromStdString(m.tradingState);
    case EventsPerSecond:
        return QString::number(m.eventsPerSecond, 'f', 0);
    case LastData:
        return age(m.lastEventAgeSeconds);
    case Queue:
        return QString::number(m.queueDepth);
    case OldestAction:
        return m.queueDepth ? age(m.oldestActionAgeSeconds) : QStringLiteral("—");
    case OpenOrders:
        return QString::number(m.openOrders);
    case Errors:
        return QString::number(m.errors);
    default:
        return {};
    }
}

QVariant MarketsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"",     "Market", "Venue",       "State",     "Trading", "Ev/s",
                                  "Data", "Queue",  "Oldest act.", "Open ord.", "Errors"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

Qt::ItemFlags MarketsModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == On)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

bool MarketsModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != On || role != Qt::CheckStateRole)
        return false;
    // The row changes when the engine reports the new state; the model only forwards the wish.
    emit toggleRequested(index.row(), value.toInt() == Qt::Checked);
    return true;
}

} // namespace md
