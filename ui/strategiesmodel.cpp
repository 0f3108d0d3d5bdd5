#include "strategiesmodel.h"

#include <QBrush>
#include <QColor>

namespace md {

void StrategiesModel::setStrategies(const std::vector<StrategyStatus>& strategies, const QStringList& marketNames) {
    m_marketNames = marketNames;
    replaceRows(
        strategies, [](const StrategyStatus& s) { return s.id; },
        [](const StrategyStatus& a, const StrategyStatus& b) {
            return a.state == b.state && a.failure == b.failure && a.openOrders == b.openOrders && a.fills == b.fills &&
                   a.pnl == b.pnl && a.lastReasoning == b.lastReasoning;
        });
}

int StrategiesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StrategiesModel::data(const QModelIndex& index, int role) const {
    const StrategyStatus* s = item(index.row());
    if (!s)
        return {};
    if (role == Qt::ForegroundRole && index.column() == State && s->state == StrategyState::Halted)
        return QBrush(QColor(0xd0, 0x40, 0x40));
    if (role == Qt::ToolTipRole && index.column() == State && !s->failure.empty())
        return QString::fromStdString(s->failure);
    if (role == Qt::ToolTipRole && index.column() == Reasoning)
        return QString::fromStdString(s->lastReasoning);
    if (role == Qt::TextAlignmentRole &&
        (index.column() == OpenOrders || index.column() == Fills || index.column() == Pnl))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Id:
        return QString::fromStdString(s->id);
    case Kind:
        return QString::fromStdString(s->kind);
    case State: {
        QString text = QString::fromUtf8(nameOf(s->state).data(), static_cast<qsizetype>(nameOf(s->state).size()));
        if (!s->failure.empty())
            text += ": " + QString::fromStdString(s->failure);
        return text;
    }
    case Markets: {
        if (s->markets.empty())
            return tr("every market");
        QStringList names;
        for (MarketId m : s->markets)
            names << (m < m_marketNames.size() ? m_marketNames.at(m) : QString::number(m));
        return names.join(", ");
    }
    case OpenOrders:
        return qulonglong(s->openOrders);
    case Fills:
        return qulonglong(s->fills);
    case Pnl:
        return QString::number(s->pnl, 'f', 2);
    case Reasoning:
        return QString::fromStdString(s->lastReasoning);
    }
    return {};
}

QVariant StrategiesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Strategy");
    case Kind:
        return tr("Kind");
    case State:
        return tr("State");
    case Markets:
        return tr("Markets");
    case OpenOrders:
        return tr("Open");
    case Fills:
        return tr("Fills");
    case Pnl:
        return tr("P&L");
    case Reasoning:
        return tr("Last reasoning");
    }
    return {};
}

} // namespace md
