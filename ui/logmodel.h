#pragma once

#include "logging/logbuffer.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <deque>

namespace md {

/// The log dashboard's records: appended in batches from the engine's LogBuffer, bounded (the
/// oldest rows are dropped and counted). Thread: the UI thread.
class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Level, Source, Message, ColumnCount };

    explicit LogModel(std::size_t capacity = 20000, QObject* parent = nullptr);

    void append(std::vector<LogRecord> records);
    std::uint64_t dropped() const { return m_dropped; }
    std::size_t capacity() const { return m_capacity; }
    const LogRecord& record(int row) const { return m_records[static_cast<std::size_t>(row)]; }
    /// Every market the record concerns (its logger's, its leading tag's).
    const QStringList& markets(int row) const { return m_markets[static_cast<std::size_t>(row)]; }
    /// "TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL": the one spelling the log panel uses,
    /// in its rows and its level filter alike (spdlog's names, as the log file writes them).
    static QString levelText(int level);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::deque<LogRecord> m_records;
    std::deque<QStringList> m_markets; // parsed once, when the record arrives
    std::size_t m_capacity;
    std::uint64_t m_dropped = 0;
};

/// Filters the log by minimum level, by market (every market a record concerns: its logger's, its
/// leading tag's, or any "[<market>]" in it) and by text.
/// Thread: the UI thread.
class LogFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setMinimumLevel(int level);
    void setMarket(const QString& market); // empty: every market and subsystem
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    int m_level = 0;
    QString m_market;
    QString m_text;
};

} // namespace md
