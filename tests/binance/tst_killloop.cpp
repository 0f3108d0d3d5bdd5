// SIGKILL, again and again, at the worst moment: the real marketdesk trades on the fake Binance
// exchange (in this process, so it outlives every kill) and is killed with SIGKILL the instant the
// exchange books one of its placements — before the answer is even sent — or a few milliseconds
// later. After every kill, every order open on the exchange must be listed by --journal-report: a
// placement the journal does not know could be forgotten for good. One journal for all runs, as a
// user has: each start reconciles with the exchange and takes over the killed run's lock.
// CTest runs 10 kills; MD_KILL_LOOP_KILLS=100 (scripts/killloop.sh) runs the long version.
#include "fakedesk.h"

#include "journal/sqlitejournal.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <random>
#include <set>

class TestKillLoop : public QObject {
    Q_OBJECT
private slots:
    void everyOrderOpenOnTheExchangeIsInTheJournalAfterEachKill() {
        const int kills = qEnvironmentVariableIntValue("MD_KILL_LOOP_KILLS") > 0
                              ? qEnvironmentVariableIntValue("MD_KILL_LOOP_KILLS")
                              : 10;
        md::test::FakeBinanceExchange exchange;
        exchange.setUpdateIntervalMs(50);
        QVERIFY(exchange.listen());
        exchange.setCredentials("loop-key", "loop-secret");

        QTemporaryDir dir;
        const QString config = dir.filePath("binance.json");
        {
            // A market maker quoting far from the mid: its bid and ask rest; every run places two.
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(md::test::marketMakerOnFakeExchange(exchange, dir.filePath("journal.sqlite"),
                                                                      "MD_LOOP_KEY", "MD_LOOP_SECRET", 2, "warn"))
                        .toJson());
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("MD_LOOP_KEY", "loop-key");
        env.insert("MD_LOOP_SECRET", "loop-secret");

        std::mt19937 rng(12);
        QProcess desk;
        desk.setProcessEnvironment(env);
        int armedAt = 0;  // kill on the placement with this number (exchange-wide count)
        int delayMs = -1; // -1: inside the exchange's handler; else this long after it
        connect(&exchange, &md::test::FakeBinanceExchange::placementAccepted, this, [&](const QString&) {
            if (armedAt == 0 || exchange.placementsAccepted() < armedAt || desk.state() != QProcess::Running)
                return;
            armedAt = 0;
            const auto pid = static_cast<pid_t>(desk.processId());
            if (delayMs < 0)
                ::kill(pid, SIGKILL);
            else
                QTimer::singleShot(delayMs, this, [pid] { ::kill(pid, SIGKILL); });
        });

        int misses = 0;                 // checks that found an open order the report does not list
        std::set<QString> missedOrders; // distinct such orders
        std::size_t checked = 0;
        QElapsedTimer clock;
        clock.start();
        for (int k = 0; k < kills; ++k) {
            // The first or second placement of this run; half the time at once, half a few ms later.
            armedAt = exchange.placementsAccepted() + 1 + static_cast<int>(rng() % 2);
            delayMs = rng() % 2 ? -1 : static_cast<int>(rng() % 20);
            desk.start(MARKETDESK_BIN, {"--headless", "--config", config});
            QVERIFY(desk.waitForStarted());
            const QByteArray output = md::test::waitForExit(desk, 30000).output;
            QVERIFY2(armedAt == 0, output.right(3000).constData()); // killed at a placement, not by the timeout
            QVERIFY2(desk.exitStatus() == QProcess::CrashExit, output.right(3000).constData());

            QProcess report;
            report.start(MARKETDESK_BIN, {"--journal-report", "--config", config});
            const QByteArray lines = md::test::waitForExit(report, 15000).output;
            QVERIFY2(report.exitCode() == 4, lines.constData());
            std::set<QString> listed; // "md-<run tag>-<client id>", as the exchange knows them
            for (const QByteArray& line : lines.split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.isEmpty())
                    continue;
                const std::string tag = md::SqliteJournal::orderTag(o.value("run").toString().toStdString());
                listed.insert(QString("md-%1-%2").arg(QString::fromStdString(tag), o.value("client_id").toString()));
            }
            for (const auto& open : exchange.openOrders()) {
                ++checked;
                if (!listed.count(open.clientOrderId)) {
                    ++misses;
                    if (!missedOrders.insert(open.clientOrderId).second)
                        continue;
                    qWarning("kill %d: %s is open on the exchange but not in --journal-report", k + 1,
                             qPrintable(open.clientOrderId));
                }
            }
        }
        qInfo("%d kills in %.1f s: %zu checks of an open order against the report, %d misses (%zu distinct orders); "
              "%zu orders open on the exchange at the end, %d placements accepted",
              kills, clock.elapsed() / 1000.0, checked, misses, missedOrders.size(), exchange.openOrders().size(),
              exchange.placementsAccepted());
        QCOMPARE(misses, 0);
        QCOMPARE(exchange.duplicatePlacements(), 0);
    }
};

QTEST_GUILESS_MAIN(TestKillLoop)
#include "tst_killloop.moc"
