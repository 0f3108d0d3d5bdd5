#include "marketsmodel.h"

#include "uiroles.h"

#include <QLocale>
#include <QString>

#include <cmath>
#include <iterator>
#include <limits>

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

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// Equal as displayed: a row whose text would not change is not signalled.
bool sameRow(const MarketHealth& a, const MarketHealth& b) {
    return a.state == b.state && a.eventsTotal == b.eventsTotal && a.queueDepth == b.queueDepth &&
           a.openOrders == b.openOrders && a.errors == b.errors && a.tradingState == b.tradingState &&
           a.stateReason == b.stateReason && a.breakerReason == b.breakerReason && a.lastError == b.lastError &&
           a.restarts == b.restarts && a.tickToAction.total == b.tickToAction.total &&
           a.ordersRejected == b.ordersRejected && a.actionsOutcomeUnknown == b.actionsOutcomeUnknown &&
           static_cast<int>(a.eventsPerSecond) == static_cast<int>(b.eventsPerSecond) &&
           static_cast<int>(a.lastDataAgeSeconds * 10) == static_cast<int>(b.lastDataAgeSeconds * 10) &&
           static_cast<int>(a.oldestActionAgeSeconds * 10) == static_cast<int>(b.oldestActionAgeSeconds * 10);
}

Tone tradingTone(const MarketHealth& m) {
    if (m.tradingState == "halted")
        return Tone::Bad;
    if (m.tradingState == "reduce-only")
        return Tone::Warning;
    return Tone::Normal;
}

} // namespace

QString MarketsModel::detail(const MarketHealth& m) {
    QStringList parts;
    if (!m.stateReason.empty())
        parts << text(m.stateReason);
    if (!m.breakerReason.empty())
        parts << QObject::tr("breaker: %1").arg(text(m.breakerReason));
    if (!m.lastError.empty() && m.lastError != m.stateReason)
        parts << QObject::tr("last error: %1").arg(text(m.lastError));
    return parts.join(QStringLiteral(" · "));
}

double MarketsModel::latencyQuantileUs(const LatencyHistogram& h, double q) {
    std::uint64_t total = 0;
    for (auto c : h.counts)
        total += c;
    if (total == 0)
        return -1;
    const auto wanted = static_cast<std::uint64_t>(q * static_cast<double>(total - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
        seen += h.counts[i];
        if (seen >= wanted)
            return i < kLatencyBucketsUs.size() ? kLatencyBucketsUs[i] : std::numeric_limits<double>::infinity();
    }
    return std::numeric_limits<double>::infinity();
}

namespace {
QString microseconds(double us) {
    if (us < 0)
        return QStringLiteral("—");
    if (std::isinf(us))
        return QStringLiteral(">100 ms");
    return us >= 1000 ? QString::number(us / 1000) + " ms" : QString::number(us) + " µs";
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
    const int column = index.column();
    const bool on = isActive(m.state);
    switch (role) {
    case StateRole:
        return column == State ? QVariant(static_cast<int>(m.state)) : QVariant();
    case HaltedRole:
        return column == Trading ? QVariant(on && m.tradingState == "halted") : QVariant();
    case ToggleRole:
        return column == On ? QVariant(true) : QVariant();
    case ToneRole:
        if (column == Trading)
            return static_cast<int>(on ? tradingTone(m) : Tone::Muted);
        if (column == Errors && m.errors > 0)
            return static_cast<int>(Tone::Warning);
        if (column == Detail)
            return static_cast<int>(m.state == MarketState::Failed || m.state == MarketState::Killed ? Tone::Bad
                                                                                                     : Tone::Muted);
        if (column == Queue && m.queueDepth > 100)
            return static_cast<int>(Tone::Warning);
        if (column == LastData && m.lastDataAgeSeconds > 5 && on)
            return static_cast<int>(Tone::Warning);
        return {};
    case Qt::CheckStateRole:
        return column == On ? QVariant(on ? Qt::Checked : Qt::Unchecked) : QVariant();
    case Qt::TextAlignmentRole:
        return column >= EventsPerSecond && column < Detail ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                            : int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole: {
        QString tip = QString::fromStdString(m.name + " (" + m.symbol + ", " + m.connector + ")");
        if (column == On)
            tip = on ? tr("Switch %1 off (orderly stop)").arg(text(m.name))
                     : tr("Switch %1 on (fresh start)").arg(text(m.name));
        if (!m.stateReason.empty())
            tip += "\n" + text(nameOf(m.state)) + ": " + text(m.stateReason);
        if (!m.breakerReason.empty())
            tip += "\n" + tr("breaker: %1").arg(text(m.breakerReason));
        if (!m.lastError.empty())
            tip += "\n" + tr("last error: %1").arg(text(m.lastError));
        if (m.ordersRejected > 0) {
            QStringList reasons;
            for (const auto& [reason, n] : m.rejectionsByReason)
                reasons << QString("%1 %2").arg(text(reason)).arg(n);
            tip += "\n" + tr("rejected: %1").arg(reasons.join(", "));
        }
        if (m.actionsOutcomeUnknown > 0)
            tip += "\n" + tr("%1 action(s) with an unknown outcome").arg(m.actionsOutcomeUnknown);
        for (const auto& d : m.details)
            tip += "\n" + QString::fromStdString(d.key + ": " + d.text);
        return tip;
    }
    case SortRole:
        switch (column) {
        case EventsPerSecond:
            return m.eventsPerSecond;
        case LastData: // the market's own data (its book), not our order events
            return m.lastDataAgeSeconds;
        case Queue:
            return qulonglong(m.queueDepth);
        case OldestAction:
            return m.oldestActionAgeSeconds;
        case OpenOrders:
            return qulonglong(m.openOrders);
        case Errors:
            return qulonglong(m.errors);
        case Restarts:
            return qulonglong(m.restarts);
        case Latency:
            return latencyQuantileUs(m.tickToAction, 0.5);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case On:
        return on ? tr("on") : tr("off");
    case Market:
        return text(m.name); // long names elide in the middle (the view), whole in the tooltip
    case Connector:
        return text(m.connector + " · " + m.symbol);
    case State:
        return text(nameOf(m.state)).toUpper();
    case Trading:
        // A market that is not running trades nothing, whatever its switch would allow.
        return on ? text(m.tradingState) : QStringLiteral("—");
    case EventsPerSecond:
        return on ? QLocale().toString(m.eventsPerSecond, 'f', 0) : QStringLiteral("—");
    case LastData:
        // The age of its last data stops with the market (it would only grow).
        return on ? age(m.lastDataAgeSeconds) : QStringLiteral("—");
    case Queue:
        return QString::number(m.queueDepth);
    case OldestAction:
        return m.queueDepth ? age(m.oldestActionAgeSeconds) : QStringLiteral("—");
    case OpenOrders:
        return QString::number(m.openOrders);
    case Errors:
        return QString::number(m.errors);
    case Restarts:
        return QString::number(m.restarts);
    case Latency: {
        const double p50 = latencyQuantileUs(m.tickToAction, 0.5);
        return p50 < 0 ? QStringLiteral("—")
                       : "≤" + microseconds(p50) + " / ≤" + microseconds(latencyQuantileUs(m.tickToAction, 0.99));
    }
    case Detail:
        return detail(m);
    default:
        return {};
    }
}

QVariant MarketsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    // Short titles, so every column fits a 1024 px window; the tooltips say the rest.
    static const char* names[] = {"On",    "Market", "Venue",  "State",  "Trading",  "Events/s",    "Last data",
                                  "Queue", "Oldest", "Orders", "Errors", "Restarts", "Tick→action", "Detail"};
    static_assert(std::size(names) == ColumnCount);
    if (role == Qt::DisplayRole)
        return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
    if (role == Qt::ToolTipRole) {
        static const char* tips[] = {"Switch the market on or off (orderly stop / fresh start)",
                                     "",
                                     "Connector and instrument",
                                     "Lifecycle state; the reason is in Detail",
                                     "Placements allowed: active, reduce-only or halted",
                                     "Market events per second (last second)",
                                     "Age of the newest market event",
                                     "Actions waiting in the market's queue",
                                     "Oldest action: the age of the oldest queued action",
                                     "Open orders: ours, open on this market",
                                     "Parse and executor errors and rejected placements",
                                     "Times the market was started again",
                                     "Tick-to-action latency since the start: p50 / p99 (histogram bucket bounds)",
                                     "Why failed, killed or degraded; breaker; last error"};
        return section >= 0 && section < ColumnCount && *tips[section] ? tr(tips[section]) : QVariant();
    }
    if (role == Qt::TextAlignmentRole)
        return section >= EventsPerSecond && section < Detail ? int(Qt::AlignRight | Qt::AlignVCenter)
                                                              : int(Qt::AlignLeft | Qt::AlignVCenter);
    return QAbstractTableModel::headerData(section, orientation, role);
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
