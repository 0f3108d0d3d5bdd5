// Never lose an order across a crash: the real marketdesk executable trades on the fake Binance
// exchange, which lives in this test process and outlives it. The process is killed with SIGKILL
// while its orders rest on the exchange; --journal-report must list exactly those orders; the next
// start must find them on the exchange before trading, place none of them again, keep its own
// orders apart from them (client ids carry a run tag), and its verified close-out must cancel them
// and settle them in the journal, after which the report is empty.
#include "fakedesk.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <set>

using md::test::Exited;
using md::test::waitForExit;

class TestKillRestart : public QObject {
    Q_OBJECT
private slots:
    void killedWhileOrdersRestThenReportedReconciledAndClosedOut() {
        md::test::FakeBinanceExchange exchange;
        exchange.setUpdateIntervalMs(50);
        QVERIFY(exchange.listen());
        exchange.setCredentials("kill-test-key", "kill-test-secret");

        QTemporaryDir dir;
        const QString config = dir.filePath("binance.json");
        {
            // A market maker quoting 200 USDT either side of a 64250 mid: its two orders rest.
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                QJsonDocument(md::test::marketMakerOnFakeExchange(exchange, dir.filePath("journal.sqlite"),
                                                                  "MD_KILLTEST_KEY", "MD_KILLTEST_SECRET", 5, "info"))
                    .toJson());
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("MD_KILLTEST_KEY", "kill-test-key");
        env.insert("MD_KILLTEST_SECRET", "kill-test-secret");

        // 1. The first run places its bid and ask; both rest on the exchange. Then SIGKILL.
        QProcess first;
        first.setProcessEnvironment(env);
        first.start(MARKETDESK_BIN, {"--headless", "--config", config});
        QVERIFY(first.waitForStarted());
        QVERIFY2(QTest::qWaitFor([&] { return exchange.openOrders().size() == 2; }, 15000),
                 (first.readAllStandardOutput() + first.readAllStandardError()).right(3000).constData());
        // Kill only once the journal holds both acks (its writer commits in batches; WAL lets the
        // report read while the first run writes).
        auto openInJournal = [&] {
            QProcess report;
            report.start(MARKETDESK_BIN, {"--journal-report", "--config", config});
            return waitForExit(report, 10000).output.count("\"status\":\"open\"");
        };
        QVERIFY(QTest::qWaitFor([&] { return openInJournal() == 2; }, 10000));
        ::kill(static_cast<pid_t>(first.processId()), SIGKILL);
        QVERIFY(QTest::qWaitFor([&] { return first.state() == QProcess::NotRunning; }, 5000));
        const auto left = exchange.openOrders();
        QCOMPARE(left.size(), std::size_t(2));
        std::set<QString> leftIds;
        QString firstTag;
        for (const auto& o : left) {
            // md-<run tag>-<number>
            const QStringList parts = o.clientOrderId.split('-');
            QCOMPARE(parts.size(), 3);
            QCOMPARE(parts[0], QString("md"));
            firstTag = parts[1];
            leftIds.insert(parts[2]);
            qInfo("open on the exchange after SIGKILL: %s %s %s @ %s", qPrintable(o.clientOrderId), qPrintable(o.side),
                  qPrintable(o.quantity), qPrintable(o.price));
        }

        // 2. The journal report lists exactly those two orders, exit code 4.
        QProcess report;
        report.start(MARKETDESK_BIN, {"--journal-report", "--config", config});
        Exited r = waitForExit(report, 10000);
        QCOMPARE(r.code, 4);
        std::set<QString> reported;
        for (const QByteArray& line : r.output.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.isEmpty())
                continue;
            QCOMPARE(o.value("market").toString(), QString("BIN"));
            QVERIFY2(o.value("status").toString() == "open", line.constData());
            reported.insert(o.value("client_id").toString());
            qInfo("--journal-report: %s", line.constData());
        }
        QCOMPARE(reported, leftIds);

        // 3. The next run: reconciled before trading (both found), nothing placed twice, its own
        //    orders under a new tag, and the close-out cancels the earlier run's orders too.
        const int acceptedBefore = exchange.placementsAccepted();
        QProcess second;
        second.setProcessEnvironment(env);
        second.start(MARKETDESK_BIN, {"--headless", "--config", config, "--run-for", "4"});
        QVERIFY(second.waitForStarted());
        if (!QTest::qWaitFor([&] { return exchange.openOrders().size() == 4; }, 15000)) {
            qWarning("%s", (second.readAllStandardOutput() + second.readAllStandardError()).constData());
            QFAIL("the second run did not place its own two orders beside the first run's");
        }
        std::set<QString> tags;
        for (const auto& o : exchange.openOrders())
            tags.insert(o.clientOrderId.split('-').value(1));
        QCOMPARE(tags.size(), std::size_t(2)); // two runs, told apart
        QVERIFY(tags.count(firstTag));
        Exited s = waitForExit(second, 20000);
        QVERIFY2(s.code == 0, s.output.right(4000).constData());
        for (const QByteArray& line : s.output.split('\n'))
            if (line.contains("still open on the exchange") || line.contains("settled in the journal") ||
                line.contains("close-out [") || line.contains("left by an earlier run"))
                qInfo("second run: %s", line.mid(line.indexOf(']') + 2).constData());
        QCOMPARE(s.output.count("is still open on the exchange"), 2);
        QCOMPARE(s.output.count("the exchange has an open order the journal does not know"), 0);
        QCOMPARE(s.output.count("after the close-out: settled in the journal"), 2);
        QCOMPARE(exchange.placementsAccepted() - acceptedBefore, 2);
        QCOMPARE(exchange.duplicatePlacements(), 0);
        QVERIFY(exchange.openOrders().empty());
        for (const QString& id : leftIds) {
            const auto o = exchange.order("md-" + firstTag + "-" + id);
            QVERIFY(o);
            QCOMPARE(o->status, QString("CANCELED"));
        }

        // 4. Nothing is open any more, and the journal agrees.
        QProcess after;
        after.start(MARKETDESK_BIN, {"--journal-report", "--config", config});
        Exited a = waitForExit(after, 10000);
        QCOMPARE(a.code, 0);
    }
};

QTEST_GUILESS_MAIN(TestKillRestart)
#include "tst_killrestart.moc"
