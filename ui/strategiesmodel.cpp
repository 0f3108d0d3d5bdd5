#include "strategiesmodel.h"

#include "positions/moneytext.h"

#include <QBrush>
#include <QColor>

namespace md {

void StrategiesModel::setStrategies(const std::vector<StrategyStatus>& strategies, const QStringList& marketNames) {
    m_marketNames = marketNames;
    replaceRows(
        strategies, [](const StrategyStatus& s) { return s.id; },
        [](const StrategyStatus& a, const StrategyStatus& b) {
            return a.state == b.state && a.failure == b.failure && a.openOrders == b.openOrders && a.fills == b.fills &&
                   a.lastReasoning == b.lastReasoning;
        });
}

void StrategiesModel::setMoney(const MoneySnapshot& money) {
    for (int row = 0; row < rowCount(); ++row) {
        const StrategyStatus* s = item(row);
        const QString text = QString::fromStdString(moneytext::strategyText(money, s->id));
        QString& shown = m_pnl[s->id];
        if (shown != text) {
            shown = text;
            emit dataChanged(index(row, Pnl), index(row, Pnl));
        }
    }
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
    if (role == Qt::ForegroundRole && index.column() == Pnl) {
        const auto it = m_pnl.find(s->id);
        if (it != m_pnl.end() && it->second.startsWith('-'))
            return QBrush(QColor(0xd0, 0x40, 0x40));
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Pnl) {
        const auto it = m_pnl.find(s->id);
        return (it != m_pnl.end() ? it->second + "\n" : QString()) +
               tr("Its fills on its markets, marked at the mid, fees included (the positions thread's figure)");
    }
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
    case Pnl: {
        const auto it = m_pnl.find(s->id);
        return it != m_pnl.end() ? it->second : QStringLiteral("—");
    }
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
