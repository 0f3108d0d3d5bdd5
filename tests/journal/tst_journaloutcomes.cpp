// Every journal row ends in a true state (issue 11, item 8): the real engine and threads, a scripted
// connector and the real SQLite journal. A placement refused by its queue ends "refused", actions
// taken back at a kill end "not_executed", the one in progress "outcome_unknown"; a refused CancelAll
// is journaled as refused.
#include "enginerig.h"

#include "journal/sqlitejournal.h"
#include "logging/logging.h"
#include "strategy/strategyfactory.h"

#include <QSignalSpy>
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

    // Issue 17 part 5: every change the user makes to a running strategy is journaled in the order it
    // was applied (a parameter with its value before and after; pause, resume, stop, start); a refused
    // change is not. --journal-report reads them back with latestStrategyChanges.
    void strategyChangesAreJournaled() {
        TempJournal j;
        QVERIFY2(j.journal, j.error.c_str());
        const auto& factory = *new ScriptedConnectorFactory;
        std::vector<MarketSetup> markets{{scriptedMarket(0, "A", "normal"), &factory, true}};
        const QJsonObject params{{"kind", "market_maker"},
                                 {"market", "A"},
                                 {"half_spread_ticks", 5},
                                 {"order_quantity", "0.01"},
                                 {"max_position", "1"}};
        std::vector<MarketSpec> traded{markets[0].spec};
        std::vector<StrategySetup> setups;
        setups.push_back({"mm", findStrategyFactory("market_maker")->create(params, traded), {0}, {}, params});
        EngineSettings settings;
        settings.graceSeconds = 0.5;
        settings.strategyTimeoutSeconds = 0.2;
        settings.risk = roomyLimits();
        Engine engine(settings, std::move(markets), std::move(setups));
        engine.setJournal(j.journal);
        engine.start();
        auto state = [&] { return engine.strategies().at(0).state; };
        QTRY_VERIFY_WITH_TIMEOUT(engine.marketView(0) && !engine.marketView(0)->openOrders.empty(), 5000);
        QVERIFY(engine.setStrategyParameter(0, "order_quantity", "-1")); // refused: not journaled
        QVERIFY(!engine.setStrategyParameter(0, "half_spread_ticks", 20));
        QVERIFY(!engine.setStrategyParameter(0, "order_quantity", "0.02"));
        QCOMPARE(engine.strategyParameters(0).value("order_quantity").toString(), QString("0.02"));
        engine.pauseStrategy(0, true);
        QTRY_COMPARE_WITH_TIMEOUT(state(), StrategyState::Paused, 3000);
        engine.resumeStrategy(0);
        QTRY_COMPARE_WITH_TIMEOUT(state(), StrategyState::Running, 3000);
        engine.stopStrategy(0);
        QTRY_COMPARE_WITH_TIMEOUT(state(), StrategyState::Stopped, 3000);
        engine.startStrategy(0);
        QTRY_COMPARE_WITH_TIMEOUT(state(), StrategyState::Running, 3000);
        QSignalSpy finished(&engine, &Engine::shutdownFinished);
        engine.beginShutdown();
        QVERIFY(finished.wait(5000));
        QVERIFY(j.journal->flush());
        std::string error;
        auto changes = SqliteJournal::latestStrategyChanges(j.path, error);
        QVERIFY2(changes, error.c_str());
        QStringList told;
        for (const auto& c : *changes) {
            QCOMPARE(QString::fromStdString(c.run), QString::fromStdString(j.journal->runId()));
            QCOMPARE(QString::fromStdString(c.change.strategy), QString("mm"));
            told << QString::fromStdString(c.change.change + " " + c.change.key + " " + c.change.before + " " +
                                           c.change.after + " " + c.change.detail)
                        .simplified();
        }
        qInfo("journaled: %s", qPrintable(told.join(" | ")));
        QCOMPARE(told, QStringList({"parameter half_spread_ticks 5 20", "parameter order_quantity \"0.01\" \"0.02\"",
                                    "pause its open orders cancelled", "resume", "stop", "start"}));
    }
};

QTEST_GUILESS_MAIN(TestJournalOutcomes)
#include "tst_journaloutcomes.moc"
