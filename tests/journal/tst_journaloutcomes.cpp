// Every journal row ends in a true state (issue 11, item 8): the real engine and threads, a scripted
// connector and the real SQLite journal. A placement refused by its queue ends "refused", actions
// taken back at a kill end "not_executed", the one in progress "outcome_unknown"; a refused CancelAll
// is journaled as refused.
#include "enginerig.h"

#include "journal/sqlitejournal.h"
#include "logging/logging.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace md;
using namespace md::test;

namespace {

/// Order rows of one market by status, read straight from the file.
std::map<QString, int> statuses(const QString& path, const QString& market) {
    std::map<QString, int> out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "outcomes-reader");
        db.setDatabaseName(path);
        if (!db.open())
            return out;
        QSqlQuery q(db);
        q.prepare("SELECT status, COUNT(*) FROM orders WHERE market=? GROUP BY status");
        q.addBindValue(market);
        q.exec();
        while (q.next())
            out[q.value(0).toString()] = q.value(1).toInt();
    }
    QSqlDatabase::removeDatabase("outcomes-reader");
    return out;
}

int eventsOfKind(const QString& path, const QString& market, const QString& kind, const QString& detailLike = "%") {
    int n = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "outcomes-events");
        db.setDatabaseName(path);
        if (!db.open())
            return -1;
        QSqlQuery q(db);
        q.prepare("SELECT COUNT(*) FROM events WHERE market=? AND kind=? AND COALESCE(detail,'') LIKE ?");
        q.addBindValue(market);
        q.addBindValue(kind);
        q.addBindValue(detailLike);
        q.exec();
        if (q.next())
            n = q.value(0).toInt();
    }
    QSqlDatabase::removeDatabase("outcomes-events");
    return n;
}

QString describe(const std::map<QString, int>& m) {
    QStringList parts;
    for (const auto& [status, n] : m)
        parts << QString("%1 %2").arg(status).arg(n);
    return parts.join(", ");
}

/// A journal in a temporary directory.
struct TempJournal {
    QTemporaryDir dir;
    QString path = dir.filePath("j.sqlite");
    std::string error;
    std::shared_ptr<SqliteJournal> journal = SqliteJournal::open(path, error);
};

/// The gated terminator holds B's stop with its queue sealed while the strategy keeps going.
void stopBWhileItsTerminatorWaits(Rig& rig) {
    rig.engine->stopMarket(1);
    QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Stopping), 2000);
    QTest::qWait(400);
}

} // namespace

class TestJournalOutcomes : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    // Placements the strategy makes while the market's stop is under way never stay "queued".
    void placementsRefusedDuringAStopEndRefused() {
        TempJournal j;
        QVERIFY2(j.journal, j.error.c_str());
        const QString& path = j.path;
        auto& journal = j.journal;
        Rig rig("gated_terminator", 2.0, 5);
        rig.engine->setJournal(journal);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.factory.openOrders >= 5, 5000);
        stopBWhileItsTerminatorWaits(rig); // the strategy keeps placing meanwhile
        rig.factory.openGate();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Stopped), 5000);
        QVERIFY(journal->flush());
        const auto rows = statuses(path, "B");
        qInfo("B's orders in the journal: %s", qPrintable(describe(rows)));
        QCOMPARE(rows.count("queued"), 0u);
        QVERIFY(rig.strategy->rejected > 0);
    }

    // A kill: the actions taken back end "not_executed", the one in progress "outcome_unknown".
    void actionsTakenBackAtAKillEndNotExecuted() {
        TempJournal j;
        QVERIFY2(j.journal, j.error.c_str());
        const QString& path = j.path;
        auto& journal = j.journal;
        Rig rig("slow_executor", 0.4, 1);
        rig.engine->setJournal(journal);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.health(1).queueDepth >= 20, 5000);
        const ShutdownReport report = rig.shutdown();
        QVERIFY(!report.markets.at(1).clean);
        QVERIFY(journal->flush());
        const auto rows = statuses(path, "B");
        qInfo("B's orders in the journal: %s", qPrintable(describe(rows)));
        QCOMPARE(rows.count("queued"), 0u);
        QVERIFY(rows.count("not_executed") && rows.at("not_executed") > 0);
        // What --journal-report and the next start see: the one whose outcome is unknown, and the
        // ones acknowledged as open.
        std::string error;
        auto open = SqliteJournal::openOrders(path, error);
        QVERIFY2(open, error.c_str());
        for (const auto& o : *open)
            QVERIFY2(o.status == "open" || o.status == "outcome_unknown", o.status.c_str());
    }

    // A CancelAll the sealed queue refuses (a halt while the market stops) is journaled as refused.
    void refusedCancelAllIsJournaled() {
        TempJournal j;
        QVERIFY2(j.journal, j.error.c_str());
        const QString& path = j.path;
        auto& journal = j.journal;
        Rig rig("gated_terminator", 2.0, 5);
        rig.engine->setJournal(journal);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.factory.openOrders >= 2, 5000);
        stopBWhileItsTerminatorWaits(rig);
        rig.engine->halt();
        QTest::qWait(200);
        rig.factory.openGate();
        QTRY_COMPARE_WITH_TIMEOUT(st(rig.health(1).state), st(MarketState::Stopped), 5000);
        QVERIFY(journal->flush());
        const int refused = eventsOfKind(path, "B", "refused", "%cancel_all%");
        qInfo("refused CancelAll rows for B: %d", refused);
        QCOMPARE(refused, 1);
    }
};

QTEST_GUILESS_MAIN(TestJournalOutcomes)
#include "tst_journaloutcomes.moc"
