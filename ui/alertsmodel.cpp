#include "alertsmodel.h"

#include "numberformat.h"
#include "uiroles.h"

#include "alerts/alertbook.h"

#include <QDateTime>
#include <QFont>

namespace md {
namespace {

QString text(const std::string& s) {
    return QString::fromStdString(s);
}
QString view(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

void AlertsModel::setAlerts(const AlertBook& book) {
    std::set<AlertKind> muted;
    for (AlertKind kind : kAlertKinds)
        if (book.isMuted(kind))
            muted.insert(kind);
    const bool mutesChanged = muted != m_muted;
    m_muted = std::move(muted);
    std::vector<Alert> alerts(book.alerts().rbegin(), book.alerts().rend()); // newest first
    replaceRows(
        std::move(alerts), [](const Alert& a) { return a.id; },
        [](const Alert& a, const Alert& b) {
            return a.what == b.what && a.todo == b.todo && a.clearedMs == b.clearedMs &&
                   a.acknowledged == b.acknowledged && a.severity == b.severity;
        });
    if (mutesChanged && rowCount() > 0) // a mute greys every row of its kind
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int AlertsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertsModel::data(const QModelIndex& index, int role) const {
    const Alert* a = index.isValid() ? alert(index.row()) : nullptr;
    if (!a)
        return {};
    const bool muted = m_muted.count(a->kind) > 0;
    switch (role) {
    case AlertIdRole:
        return QVariant::fromValue<qulonglong>(a->id);
    case ToneRole:
        if (muted || !a->active())
            return static_cast<int>(Tone::Muted);
        if (index.column() == Severity || index.column() == What)
            return static_cast<int>(a->severity == AlertSeverity::Critical ? Tone::Bad : Tone::Warning);
        return {};
    case Qt::FontRole:
        if (!a->acknowledged && a->active()) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ToolTipRole:
        return QString("%1 — %2\n\n%3\n\n%4: %5")
            .arg(view(titleOf(a->kind)), a->market.empty() ? tr("desk") : text(a->market), text(a->what),
                 tr("What to do"), text(a->todo));
    case ExportRole:
        if (index.column() == Time)
            return dateTimeText(a->sinceMs);
        return data(index, Qt::DisplayRole);
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(a->sinceMs).toString(QStringLiteral("HH:mm:ss"));
        case Market:
            return a->market.empty() ? tr("desk") : text(a->market);
        case Severity:
            return view(nameOf(a->severity)).toUpper();
        case What:
            return view(titleOf(a->kind)) + QStringLiteral(": ") + text(a->what);
        case Todo:
            return text(a->todo);
        case State: {
            QString state = a->active() ? tr("active")
                                        : tr("cleared after %1 s").arg((a->clearedMs - a->sinceMs) / 1000.0, 0, 'f', 0);
            if (a->acknowledged)
                state += tr(" · acknowledged");
            if (muted)
                state += tr(" · muted");
            return state;
        }
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Time", "Market", "Severity", "What happened", "What to do", "State"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
