#include "journal/journalstatements.h"

#include <QSqlError>
#include <QVariant>

#include <stdexcept>

namespace md {

JournalStatements::JournalStatements(const QSqlDatabase& db, QString run)
    : m_run(std::move(run))
    , m_insertEvent(db)
    , m_insertOrder(db)
    , m_updateStatus(db)
    , m_settleQueued(db)
    , m_updateFill(db)
    , m_selectFill(db)
    , m_insertShutdown(db)
    , m_insertStrategyChange(db) {
    m_insertEvent.prepare("INSERT INTO events(run, time_ms, market, client_id, kind, side, price, quantity, detail, "
                          "fee, fee_asset) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    m_insertOrder.prepare("INSERT INTO orders(run, market, client_id, side, price, quantity, status, created_ms, "
                          "updated_ms, owner) VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    m_updateStatus.prepare("UPDATE orders SET status=?, reason=COALESCE(?, reason), updated_ms=? "
                           "WHERE run=? AND market=? AND client_id=?");
    // A placement that was not executed ends in its outcome, unless an order event already told more.
    m_settleQueued.prepare("UPDATE orders SET status=?, reason=?, updated_ms=? "
                           "WHERE run=? AND market=? AND client_id=? AND status='queued'");
    m_updateFill.prepare("UPDATE orders SET filled=?, status=CASE WHEN status IN ('queued','open','outcome_unknown') "
                         "THEN 'partially_filled' ELSE status END, updated_ms=? WHERE run=? AND market=? AND "
                         "client_id=?");
    m_selectFill.prepare("SELECT filled FROM orders WHERE run=? AND market=? AND client_id=?");
    m_insertShutdown.prepare("INSERT INTO shutdowns(run, time_ms, report) VALUES(?,?,?)");
    m_insertStrategyChange.prepare("INSERT INTO strategy_changes(run, time_ms, strategy, change, key, before, after, "
                                   "detail) VALUES(?,?,?,?,?,?,?,?)");
}

void JournalStatements::exec(QSqlQuery& query) {
    if (!query.exec())
        throw std::runtime_error(query.lastError().text().toStdString());
}

void JournalStatements::setStatus(const JournalRecord& e, const char* status, const QVariant& reason) {
    m_updateStatus.bindValue(0, QString(status));
    m_updateStatus.bindValue(1, reason);
    m_updateStatus.bindValue(2, qlonglong(e.timeMs));
    m_updateStatus.bindValue(3, m_run);
    m_updateStatus.bindValue(4, QString::fromStdString(e.market));
    m_updateStatus.bindValue(5, static_cast<qlonglong>(e.id));
    exec(m_updateStatus);
}

void JournalStatements::write(const JournalRecord& e) {
    const QString market = QString::fromStdString(e.market);
    const qlonglong id = static_cast<qlonglong>(e.id);
    if (e.kind == "shutdown") {
        m_insertShutdown.bindValue(0, m_run);
        m_insertShutdown.bindValue(1, qlonglong(e.timeMs));
        m_insertShutdown.bindValue(2, QString::fromStdString(e.detail));
        exec(m_insertShutdown);
        return;
    }
    if (e.kind == "strategy") {
        const StrategyChange& c = e.change;
        auto textOrNull = [](const std::string& t) {
            return t.empty() ? QVariant() : QVariant(QString::fromStdString(t));
        };
        int k = 0;
        for (const QVariant& v :
             {QVariant(m_run), QVariant(qlonglong(e.timeMs)), QVariant(QString::fromStdString(c.strategy)),
              QVariant(QString::fromStdString(c.change)), textOrNull(c.key), textOrNull(c.before), textOrNull(c.after),
              textOrNull(c.detail)})
            m_insertStrategyChange.bindValue(k++, v);
        exec(m_insertStrategyChange);
        return;
    }
    int i = 0;
    for (const QVariant& v : {QVariant(m_run), QVariant(qlonglong(e.timeMs)), QVariant(market), QVariant(id),
                              QVariant(QString::fromStdString(e.kind)), QVariant(QString::fromStdString(e.side)),
                              QVariant(QString::fromStdString(e.price)), QVariant(QString::fromStdString(e.quantity)),
                              QVariant(QString::fromStdString(e.detail)),
                              e.fee.empty() ? QVariant() : QVariant(QString::fromStdString(e.fee)),
                              e.feeAsset.empty() ? QVariant() : QVariant(QString::fromStdString(e.feeAsset))})
        m_insertEvent.bindValue(i++, v);
    exec(m_insertEvent);
    if (e.kind == "place" || e.kind == "placed") {
        i = 0;
        for (const QVariant& v :
             {QVariant(m_run), QVariant(market), QVariant(id), QVariant(QString::fromStdString(e.side)),
              QVariant(QString::fromStdString(e.price)), QVariant(QString::fromStdString(e.quantity)),
              QVariant(QString(e.kind == "place" ? "queued" : "open")), QVariant(qlonglong(e.timeMs)),
              QVariant(qlonglong(e.timeMs)), QVariant(int(e.owner))})
            m_insertOrder.bindValue(i++, v);
        exec(m_insertOrder);
        if (e.kind == "placed")
            setStatus(e, "open", QVariant());
    } else if (e.kind == "filled") {
        auto key = std::make_pair(e.market, e.id);
        auto it = m_filled.find(key);
        if (it == m_filled.end()) {
            m_selectFill.bindValue(0, m_run);
            m_selectFill.bindValue(1, market);
            m_selectFill.bindValue(2, id);
            exec(m_selectFill);
            Decimal start;
            if (m_selectFill.next())
                start = Decimal::parse(m_selectFill.value(0).toString().toStdString()).value_or(Decimal());
            m_selectFill.finish();
            it = m_filled.emplace(key, start).first;
        }
        it->second += Decimal::parse(e.quantity).value_or(Decimal());
        m_updateFill.bindValue(0, QString::fromStdString(it->second.toTrimmedString()));
        m_updateFill.bindValue(1, qlonglong(e.timeMs));
        m_updateFill.bindValue(2, m_run);
        m_updateFill.bindValue(3, market);
        m_updateFill.bindValue(4, id);
        exec(m_updateFill);
    } else if (e.kind == "cancelled") {
        setStatus(e, "cancelled", QVariant());
        m_filled.erase({e.market, e.id});
    } else if (e.kind == "done") {
        setStatus(e, "filled", QVariant());
        m_filled.erase({e.market, e.id});
    } else if (e.kind == "rejected") {
        setStatus(e, "rejected", QString::fromStdString(e.detail));
        m_filled.erase({e.market, e.id});
    } else if ((e.kind == "refused" || e.kind == "not_executed" || e.kind == "outcome_unknown") &&
               e.detail.rfind("place:", 0) == 0) {
        int k = 0;
        for (const QVariant& v :
             {QVariant(QString::fromStdString(e.kind)), QVariant(QString::fromStdString(e.detail.substr(7))),
              QVariant(qlonglong(e.timeMs)), QVariant(m_run), QVariant(market), QVariant(id)})
            m_settleQueued.bindValue(k++, v);
        exec(m_settleQueued);
    }
}

} // namespace md
