#include "reasoningmodel.h"

#include "numberformat.h"
#include "uiroles.h"

namespace md {

ReasoningModel::ReasoningModel(std::size_t capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_capacity(capacity) {}

void ReasoningModel::append(std::vector<ReasoningRecord> records) {
    if (records.empty())
        return;
    m_last = records.back().sequence;
    if (records.size() > m_capacity)
        records.erase(records.begin(), records.end() - static_cast<long>(m_capacity));
    const std::size_t overflow =
        m_records.size() + records.size() > m_capacity ? m_records.size() + records.size() - m_capacity : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow) - 1);
        m_records.erase(m_records.begin(), m_records.begin() + static_cast<long>(overflow));
        endRemoveRows();
    }
    const int first = static_cast<int>(m_records.size());
    beginInsertRows({}, first, first + static_cast<int>(records.size()) - 1);
    for (auto& r : records)
        m_records.push_back(std::move(r));
    endInsertRows();
}

int ReasoningModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}
int ReasoningModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReasoningModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_records.size()))
        return {};
    const ReasoningRecord& r = m_records[static_cast<std::size_t>(index.row())];
    if (role == ExportRole && index.column() == Time)
        return dateTimeText(r.timeMs);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time:
        return clockText(r.timeMs);
    case Market:
        return QString::fromStdString(r.tag.empty() ? r.marketName : r.tag);
    case Reasoning:
        return QString::fromStdString(r.text);
    default:
        return {};
    }
}

QVariant ReasoningModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Time", "Market", "Why"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace md
