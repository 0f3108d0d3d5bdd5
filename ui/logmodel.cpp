#include "logmodel.h"

#include "numberformat.h"
#include "uiroles.h"

#include "logging/logtags.h"

namespace md {

LogModel::LogModel(std::size_t capacity, QObject* parent)
    : QAbstractTableModel(parent)
    , m_capacity(capacity) {}

void LogModel::append(std::vector<LogRecord> records) {
    if (records.empty())
        return;
    if (records.size() > m_capacity) {
        m_dropped += records.size() - m_capacity;
        records.erase(records.begin(), records.end() - static_cast<long>(m_capacity));
    }
    const std::size_t overflow =
        m_records.size() + records.size() > m_capacity ? m_records.size() + records.size() - m_capacity : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, static_cast<int>(overflow) - 1);
        m_records.erase(m_records.begin(), m_records.begin() + static_cast<long>(overflow));
        m_markets.erase(m_markets.begin(), m_markets.begin() + static_cast<long>(overflow));
        m_dropped += overflow;
        endRemoveRows();
    }
    const int first = static_cast<int>(m_records.size());
    beginInsertRows({}, first, first + static_cast<int>(records.size()) - 1);
    for (auto& r : records) {
        QStringList markets;
        for (const auto& m : marketsOfLogLine(r.logger, r.text))
            markets << QString::fromStdString(m);
        m_markets.push_back(std::move(markets));
        m_records.push_back(std::move(r));
    }
    endInsertRows();
}

int LogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_records.size());
}
int LogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(m_records.size()))
        return {};
    const LogRecord& r = m_records[static_cast<std::size_t>(index.row())];
    if (role == LevelRole)
        return static_cast<int>(r.level);
    if (role == ExportRole && index.column() == Time)
        return dateTimeText(r.timeMs);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time:
        return clockText(r.timeMs);
    case Level:
        return levelText(r.level);
    case Source:
        return QString::fromStdString(r.logger);
    case Message:
        return QString::fromStdString(r.text);
    default:
        return {};
    }
}

QString LogModel::levelText(int level) {
    const auto name = spdlog::level::to_string_view(static_cast<spdlog::level::level_enum>(level));
    return QString::fromLatin1(name.data(), static_cast<int>(name.size())).toUpper();
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* names[] = {"Time", "Level", "Source", "Message"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

void LogFilterProxy::setMinimumLevel(int level) {
    m_level = level;
    invalidateFilter();
}

void LogFilterProxy::setMarket(const QString& market) {
    m_market = market;
    invalidateFilter();
}

void LogFilterProxy::setText(const QString& text) {
    m_text = text;
    invalidateFilter();
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const auto* model = static_cast<const LogModel*>(sourceModel());
    const LogRecord& r = model->record(sourceRow);
    if (static_cast<int>(r.level) < m_level)
        return false;
    if (!m_market.isEmpty() && !model->markets(sourceRow).contains(m_market) &&
        !QString::fromStdString(r.text).contains("[" + m_market + "]"))
        return false;
    return m_text.isEmpty() || QString::fromStdString(r.text).contains(m_text, Qt::CaseInsensitive) ||
           QString::fromStdString(r.logger).contains(m_text, Qt::CaseInsensitive);
}

} // namespace md
