// The marketdesk executable, headless: exit codes, orderly shutdown on SIGTERM, --run-for, metrics.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/stat.h>

namespace {

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QString simMarket(const QString& name, const QString& extra) {
    return QString(R"({"name": "%1", "connector": "sim",
        "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"},
        "settings": {"seed": 3, "mid": "100.00", "events_per_second": 500 %2}})")
        .arg(name, extra);
}

QString writeConfig(QTemporaryDir& dir, const QString& markets, const QString& strategy = R"({"kind": "none"})",
                    double grace = 1.0) {
    const QString path = dir.filePath("config.json");
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(QString(R"({"markets": [%1], "strategy": %2, "grace_seconds": %3, "log_level": "info", "journal": "%4"})")
                .arg(markets, strategy)
                .arg(grace)
                .arg(dir.filePath("journal.sqlite"))
                .toUtf8());
    return path;
}

// Nothing listens at the URLs: the configuration is refused before any connection is tried.
QString binanceMarketWithInlineKeys(const QString& key, const QString& secret) {
    return QString(R"({"name": "BN", "connector": "binance",
        "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.00001"},
        "settings": {"rest_url": "http://127.0.0.1:9", "stream_url": "ws://127.0.0.1:9", "api_key": "%1", "api_secret": "%2"}})")
        .arg(key, secret);
}

struct Run {
    int exitCode = -1;
    QByteArray output;
    qint64 elapsedMs = 0;
};

Run runToEnd(QProcess& p, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    r.elapsedMs = t.elapsed();
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.output = p.readAllStandardOutput() + p.readAllStandardError();
    return r;
}

} // namespace

class TestHeadless : public QObject {
    Q_OBJECT
private slots:
    void badConfigExitsTwoNamingTheField() {
        QTemporaryDir dir;
        const QString path = writeConfig(dir, simMarket("A", R"(, "fault": "explode")"));
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", path});
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains("markets[0].settings.fault"), r.output.constData());
        QVERIFY(!r.output.contains("engine started"));
    }

    // Inline keys in a file others can read: refused before anything starts, the field named, the
    // secret itself never repeated.
    void secretReadableByOthersExitsTwoNamingTheField() {
        QTemporaryDir dir;
        const QByteArray secret = "hdls-SECRET-5b1f0e9d7c3a";
        const QString binance = binanceMarketWithInlineKeys("hdls-KEY-2c4e6a8b0d", QString::fromLatin1(secret));
        const QString path = writeConfig(dir, simMarket("A", "") + "," + binance);
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0644), 0);
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", path, "--log-level", "trace"});
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains("configuration refused"), r.output.constData());
        QVERIFY2(r.output.contains("markets[1].settings.api_key: holds a secret but is readable by other users "
                                   "(mode 0644) (also markets[1].settings.api_secret); chmod 600 " +
                                   path.toUtf8()),
                 r.output.constData());
        QVERIFY2(!r.output.contains(secret), r.output.constData());
        QVERIFY2(!r.output.contains("hdls-KEY"), r.output.constData());
        QVERIFY(!r.output.contains("engine started"));
        QVERIFY(!QFile::exists(dir.filePath("journal.sqlite"))); // refused before the journal opened
    }

    void runForShutsDownCleanlyWithExitZeroAndServesMetrics() {
        QTemporaryDir dir;
        const QString path = writeConfig(dir, simMarket("A", "") + "," + simMarket("B", R"(, "seed": 4)"));
        const quint16 port = freePort();
        QProcess p;
        p.start(MARKETDESK_BIN,
                {"--headless", "--config", path, "--run-for", "3", "--metrics-port", QString::number(port)});
        QVERIFY(p.waitForStarted());
        // Scrape once the markets are up.
        QNetworkAccessManager net;
        QByteArray metrics;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QNetworkReply* reply = net.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/metrics").arg(port))));
                QSignalSpy done(reply, &QNetworkReply::finished);
                done.wait(1000);
                metrics = reply->readAll();
                reply->deleteLater();
                return metrics.contains("marketdesk_market_up{market=\"B\"} 1") &&
                       !metrics.contains("marketdesk_events_total{market=\"A\"} 0\n");
            }(),
            8000);
        for (const char* series :
             {"marketdesk_market_state{market=\"A\",state=\"running\"} 1", "marketdesk_actions_enqueued_total",
              "marketdesk_actions_executed_total", "marketdesk_action_queue_depth", "marketdesk_open_orders",
              "marketdesk_best_bid", "marketdesk_best_ask", "marketdesk_parse_errors_total",
              "marketdesk_tick_to_action_seconds_bucket", "marketdesk_alerts_raised_total{kind=\"killed\"} 0",
              "marketdesk_alerts_active{kind=\"breaker\",severity=\"warning\"} 0",
              "marketdesk_alerts_unacknowledged 0"})
            QVERIFY2(metrics.contains(series), series);
        const Run r = runToEnd(p, 15000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.output.contains("close-out [A]: clean"), r.output.right(2000).constData());
        QVERIFY(r.output.contains("close-out [B]: clean"));
    }

    void sigtermStartsTheOrderlyShutdown() {
        QTemporaryDir dir;
        const QString path = writeConfig(dir, simMarket("A", ""));
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(MARKETDESK_BIN, {"--headless", "--config", path});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT((p.waitForReadyRead(100), p.peek(1 << 20).contains("starting -> running")), 8000);
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.output.contains("orderly shutdown"));
    }

    void hungExecutorIsKilledWithinGraceAndExitsThree() {
        QTemporaryDir dir;
        // B's executor hangs on its first action; the market maker gives it actions at once.
        const QString markets =
            simMarket("A", "") + "," + simMarket("B", R"(, "seed": 9, "fault": "hang_executor", "fault_after_ms": 0)");
        const QString strategy =
            R"({"kind": "market_maker", "market": "B", "half_spread_ticks": 5, "order_quantity": "0.01", "max_position": "1"})";
        const QString path = writeConfig(dir, markets, strategy, 1.0);
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", path, "--run-for", "1.5"});
        const Run r = runToEnd(p, 15000);
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.output.contains("close-out [B]: KILLED"), r.output.right(3000).constData());
        QVERIFY(r.output.contains("close-out [A]: clean"));
        // --run-for 1.5 s, then at most grace (1 s) + 1 s, plus process start-up.
        QVERIFY2(r.elapsedMs < 1500 + 2000 + 1500, qPrintable(QString::number(r.elapsedMs)));
    }

    // Headless, the close-out goes to stdout whole: the killed market, every order left behind, the
    // net position, whether the strategy answered; the alarms are in the log.
    void closeOutOnStdoutTellsEverything() {
        QTemporaryDir dir;
        // B's quotes rest far from the touch; its executor hangs after a second, so they cannot be cancelled.
        const QString markets = simMarket("A", "") + "," +
                                simMarket("B", R"(, "seed": 9, "fault": "hang_executor", "fault_after_ms": 1000)");
        const QString strategy =
            R"({"kind": "market_maker", "market": "B", "half_spread_ticks": 300, "requote_ticks": 2, "order_quantity": "0.01", "max_position": "1"})";
        const QString path = writeConfig(dir, markets, strategy, 1.0);
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", path, "--run-for", "2.5"});
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 3);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString log = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(out.contains("close-out NEEDS ATTENTION: 1 market killed;"), qPrintable(out));
        QVERIFY2(out.contains("the strategy did NOT answer the shutdown"), qPrintable(out));
        QVERIFY2(out.contains("close-out [B]: KILLED"), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("(open   |unknown) \\[B\\] #\\d+ (bid|ask) 0\\.01 @ ")),
                 qPrintable(out));
        QVERIFY2(out.contains("net position left"), qPrintable(out));
        QVERIFY2(log.contains("ALERT Market killed: B was killed"), qPrintable(log.right(3000)));
        QVERIFY2(log.contains("close-out NEEDS ATTENTION"), qPrintable(log.right(3000))); // the same words in the log
    }

    // SIGKILL while orders are open: the journal knows exactly those orders, --journal-report lists
    // them (exit 4), the next start reconciles them with the exchange before trading and settles
    // the ones that are no longer there (the simulated exchange restarts empty), and the report is
    // then empty (exit 0).
    void killedWithOpenOrdersThenReconciledOnRestart() {
        QTemporaryDir dir;
        const QString strategy =
            R"({"kind": "market_maker", "market": "B", "half_spread_ticks": 20, "order_quantity": "0.01", "max_position": "1", "requote_ticks": 100000})";
        const QString path =
            writeConfig(dir, simMarket("A", "") + "," + simMarket("B", R"(, "seed": 9)"), strategy, 1.0);
        const quint16 port = freePort();
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", path, "--metrics-port", QString::number(port)});
        QVERIFY(p.waitForStarted());
        QNetworkAccessManager net;
        int open = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                QNetworkReply* reply = net.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/metrics").arg(port))));
                QSignalSpy done(reply, &QNetworkReply::finished);
                done.wait(1000);
                const QByteArray metrics = reply->readAll();
                reply->deleteLater();
                const QByteArray series = "marketdesk_open_orders{market=\"B\"} ";
                const int at = metrics.indexOf(series);
                const int from = at + static_cast<int>(series.size());
                open = at < 0 ? 0 : metrics.mid(from, metrics.indexOf('\n', from) - from).toInt();
                return open >= 2;
            }(),
            10000);
        QTest::qWait(300); // let the journal's writer (20 ms batches) catch up with the acks
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished();

        QProcess report;
        report.start(MARKETDESK_BIN, {"--journal-report", "--config", path});
        QVERIFY(report.waitForFinished(10000));
        QCOMPARE(report.exitCode(), 4);
        // The report is stdout, one JSON object a line; diagnostics go to stderr.
        const QList<QByteArray> lines = report.readAllStandardOutput().trimmed().split('\n');
        QVERIFY2(lines.size() >= 2, lines.join("\n").constData());
        for (const QByteArray& line : lines)
            QVERIFY2(line.contains("\"market\":\"B\"") &&
                         (line.contains("\"status\":\"open\"") || line.contains("\"status\":\"queued\"")),
                     line.constData());

        QProcess restart;
        restart.start(MARKETDESK_BIN, {"--headless", "--config", path, "--run-for", "2"});
        Run r = runToEnd(restart, 15000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.output.contains("order(s) from earlier runs are open or unknown"), r.output.left(3000).constData());
        QCOMPARE(r.output.count("is not open on the exchange: settled in the journal"), lines.size());

        QProcess after;
        after.start(MARKETDESK_BIN, {"--journal-report", "--config", path});
        QVERIFY(after.waitForFinished(10000));
        QCOMPARE(after.exitCode(), 0);
        QVERIFY(after.readAllStandardOutput().trimmed().isEmpty());
    }

    void demoConfigIsValid() {
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", QString(MD_SOURCE_DIR) + "/resources/config/demo.json",
                                 "--run-for", "2", "--grace", "2"});
        const Run r = runToEnd(p, 20000);
        QVERIFY2(r.exitCode == 0, r.output.right(3000).constData());
        QVERIFY(r.output.contains("strategy mirror"));
    }

    // Every shipped example loads (the journal report loads the config and starts nothing).
    void everyShippedConfigIsValid() {
        QTemporaryDir dir;
        const QDir configs(QString(MD_SOURCE_DIR) + "/resources/config");
        const QStringList files = configs.entryList({"*.json"}, QDir::Files);
        QVERIFY(files.size() >= 3);
        for (const QString& file : files) {
            // A copy: the journal's default path derives from the config's, keep it in the temporary dir.
            const QString copy = dir.filePath(file);
            QVERIFY(QFile::copy(configs.filePath(file), copy));
            QProcess p;
            p.start(MARKETDESK_BIN, {"--config", copy, "--journal-report"});
            const Run r = runToEnd(p, 10000);
            QVERIFY2(r.exitCode == 0, qPrintable(file + ": " + r.output.right(2000)));
        }
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
