#pragma once

#include "journal/journalrecord.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <map>
#include <utility>

namespace md {

/// The journal writer's SQL: turns one record into its event row and the order row it changes
/// (queued -> open -> partially_filled -> filled / cancelled / rejected), with prepared statements.
/// Thread: the journal's writer thread (the connection's thread) only.
/// Errors: write() throws std::runtime_error with SQLite's message; the caller rolls back.
class JournalStatements {
public:
    JournalStatements(const QSqlDatabase& db, QString run);
    void write(const JournalRecord& record);

private:
    void exec(QSqlQuery& query);
    void setStatus(const JournalRecord& record, const char* status, const QVariant& reason);

    QString m_run;
    QSqlQuery m_insertEvent, m_insertOrder, m_updateStatus, m_settleQueued, m_updateFill, m_selectFill,
        m_insertShutdown, m_insertStrategyChange;
    std::map<std::pair<std::string, ClientOrderId>, Decimal> m_filled; // running fills of open orders
};

} // namespace md
