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
#include <cstdio>

#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// `extra` may set its own seed (a key given twice is refused, as it should be).
QString simMarket(const QString& name, const QString& extra) {
    return QString(R"({"name": "%1", "connector": "sim",
        "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"},
        "settings": {%3"mid": "100.00", "events_per_second": 500 %2}})")
        .arg(name, extra, extra.contains("\"seed\"") ? "" : "\"seed\": 3, ");
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

const QString kMarketMaker =
    R"({"kind": "market_maker", "market": "A", "half_spread_ticks": 20, "order_quantity": "0.01", "max_position": "1"})";

/// The marketdesk process as a test starts it: output merged, the sim markets of `config`.
void startDesk(QProcess& p, const QStringList& arguments) {
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(MARKETDESK_BIN, arguments);
}

/// Waits until the merged output holds `text` (without consuming it).
bool waitForOutput(QProcess& p, const QByteArray& text, int timeoutMs) {
    return QTest::qWaitFor(
               [&] {
                   p.waitForReadyRead(50);
                   return p.peek(1 << 24).contains(text) || p.state() == QProcess::NotRunning;
               },
               timeoutMs) &&
           p.peek(1 << 24).contains(text);
}

/// The faulty VFS (tests/journal/faultyvfs.h) under the child's SQLite.
QProcessEnvironment withFaultyDisk(const QMap<QString, QString>& settings) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("LD_PRELOAD", MD_FAULTY_VFS_PRELOAD);
    // Sanitizer builds: the preloaded library comes before their runtime; that is fine here.
    env.insert("ASAN_OPTIONS",
               env.value("ASAN_OPTIONS") + (env.contains("ASAN_OPTIONS") ? ":" : "") + "verify_asan_link_order=0");
    for (auto it = settings.begin(); it != settings.end(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

/// How many of the process's descriptors are open on the file.
int openCount(qint64 pid, const QString& fileName) {
    const QDir fds(QString("/proc/%1/fd").arg(pid));
    int n = 0;
    for (const QFileInfo& fd : fds.entryInfoList(QDir::Files | QDir::System | QDir::NoDotAndDotDot))
        n += fd.symLinkTarget().endsWith(fileName) ? 1 : 0;
    return n;
}

/// True once the process has the file open (it is inside the journal's start-up).
bool hasOpen(qint64 pid, const QString& fileName) {
    return openCount(pid, fileName) > 0;
}

/// The id of the process's thread called `name` (/proc/<pid>/task/<tid>/comm), 0 when there is none.
pid_t threadNamed(qint64 pid, const QByteArray& name) {
    const QDir tasks(QString("/proc/%1/task").arg(pid));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + "/comm"));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == name)
            return static_cast<pid_t>(tid.toLong());
    }
    return 0;
}

/// A headless desk on `config` whose output (merged) goes to the file `output`.
void startDeskWritingTo(QProcess& p, const QString& output, const QString& config) {
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardOutputFile(output);
    p.start(MARKETDESK_BIN, {"--headless", "--config", config});
}

QByteArray fileText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// Waits until the file holds `text` (a child's output sent to a file).
bool waitForFile(const QString& path, const QByteArray& text, int timeoutMs) {
    return QTest::qWaitFor([&] { return fileText(path).contains(text); }, timeoutMs);
}

char procState(qint64 pid) {
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const int close = line.lastIndexOf(')');
    return close > 0 && close + 2 < line.size() ? line[close + 2] : 0;
}

/// Prints a file whole to stderr when the test function has failed by the time it goes out of scope.
/// A failure message is cut at about 1,000 characters (QTest's buffer): a sanitizer report in the
/// child's output must never be, or the race it names cannot be found afterwards.
class PrintWholeOnFailure {
public:
    explicit PrintWholeOnFailure(QString path)
        : m_path(std::move(path)) {}
    PrintWholeOnFailure(const PrintWholeOnFailure&) = delete;
    PrintWholeOnFailure& operator=(const PrintWholeOnFailure&) = delete;
    ~PrintWholeOnFailure() {
        if (!QTest::currentTestFailed())
            return;
        const QByteArray text = fileText(m_path);
        std::fprintf(stderr, "---- the child's whole output (%s, %lld bytes) ----\n", qPrintable(m_path),
                     static_cast<long long>(text.size()));
        std::fwrite(text.constData(), 1, static_cast<size_t>(text.size()), stderr);
        std::fprintf(stderr, "\n---- end of the child's output ----\n");
        std::fflush(stderr);
    }

private:
    QString m_path;
};

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

/// One series of the desk's /metrics (0 when absent or unreachable).
qint64 metricValue(QNetworkAccessManager& net, quint16 port, const QByteArray& series) {
    QNetworkReply* reply = net.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/metrics").arg(port))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(1000);
    const QByteArray metrics = reply->readAll();
    reply->deleteLater();
    const int at = metrics.indexOf(series + ' ');
    const int from = at + static_cast<int>(series.size()) + 1;
    return at < 0 ? 0 : metrics.mid(from, metrics.indexOf('\n', from) - from).toLongLong();
}

/// `marketdesk --config <config> --control <command...>`: its exit code and what it printed.
Run control(const QString& config, const QStringList& command) {
    QProcess c;
    c.start(MARKETDESK_BIN, QStringList{"--config", config, "--control"} + command);
    return runToEnd(c, 15000);
}

/// The state column of strategy `id` in `--control list` ("" when not listed).
QString stateOf(const QString& config, const QString& id) {
    const Run r = control(config, {"list"});
    for (const QByteArray& line : r.output.split('\n')) {
        const QList<QByteArray> cells = line.simplified().split(' ');
        if (cells.size() >= 3 && cells[0] == id.toUtf8())
            return QString::fromUtf8(cells[2]);
    }
    return {};
}

/// A desk config of two market makers on their own markets (mm-a on A, mm-b on B), grace 1 s.
QString twoMarketMakers(QTemporaryDir& dir, const QString& name, const QString& journal) {
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    const QString mm = R"({"id": "%1", "kind": "market_maker", "markets": ["%2"], "market": "%2",
                           "half_spread_ticks": 20, "order_quantity": "0.01", "max_position": "1"})";
    f.write(QString(R"({"markets": [%1, %2], "strategies": [%3, %4], "grace_seconds": 1, "journal": "%5"})")
                .arg(simMarket("A", ""), simMarket("B", R"(, "seed": 9)"), mm.arg("mm-a", "A"), mm.arg("mm-b", "B"),
                     dir.filePath(journal))
                .toUtf8());
    return path;
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
        QVERIFY2(out.contains(QRegularExpression("positions: nothing traded|position left per asset: BTC")),
                 qPrintable(out));
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

    // ---- issue 12: hostile command lines, paths, signals, two instances, a journal that cannot be written.

    void helpNamesTheProgram() {
        QProcess p;
        p.start(MARKETDESK_BIN, {"--help"});
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.output.startsWith("Usage: marketdesk [options]"), r.output.left(200).constData());
    }

    void numbersThatOverflowExitOneWithTheRange_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("grace inf") << QStringList{"--grace", "inf"}
                                   << "--grace: expected a number of seconds between 0.05 and 3600";
        QTest::newRow("grace nan") << QStringList{"--grace", "nan"}
                                   << "--grace: expected a number of seconds between 0.05 and 3600";
        QTest::newRow("grace 1e10") << QStringList{"--grace", "1e10"}
                                    << "--grace: expected a number of seconds between 0.05 and 3600";
        QTest::newRow("grace 3000000") << QStringList{"--grace", "3000000"} << "between 0.05 and 3600";
        QTest::newRow("run-for inf") << QStringList{"--run-for", "inf"}
                                     << "--run-for: expected a number of seconds between 0.001 and 2000000";
        QTest::newRow("run-for 25 days") << QStringList{"--run-for", "2160000"} << "between 0.001 and 2000000";
        QTest::newRow("run-for nan") << QStringList{"--run-for", "nan"} << "between 0.001 and 2000000";
    }
    void numbersThatOverflowExitOneWithTheRange() {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QProcess p;
        p.start(MARKETDESK_BIN,
                QStringList{"--headless", "--config", writeConfig(dir, simMarket("A", ""))} + arguments);
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains(message.toUtf8()), r.output.left(600).constData());
        QVERIFY(!r.output.contains("engine started"));
    }

    // A log file that cannot be written is a clear error before anything starts, never an abort.
    void logFileThatCannotBeWrittenIsAClearError_data() {
        QTest::addColumn<QString>("where"); // "dir": a directory, "under-file": below a regular file, "full": /dev/full
        QTest::addColumn<bool>("fromConfig");
        QTest::newRow("--log-file directory") << "dir" << false;
        QTest::newRow("--log-file below a file") << "under-file" << false;
        QTest::newRow("--log-file /dev/full") << "full" << false;
        QTest::newRow("log_file directory") << "dir" << true;
        QTest::newRow("log_file /dev/full") << "full" << true;
    }
    void logFileThatCannotBeWrittenIsAClearError() {
        QFETCH(QString, where);
        QFETCH(bool, fromConfig);
        QTemporaryDir dir;
        QString logPath = dir.path();
        if (where == "under-file") {
            QFile blocker(dir.filePath("plain"));
            QVERIFY(blocker.open(QIODevice::WriteOnly));
            logPath = dir.filePath("plain/desk.log");
        } else if (where == "full") {
            logPath = "/dev/full";
        }
        QString config = writeConfig(dir, simMarket("A", ""));
        QStringList arguments{"--headless", "--config", config, "--run-for", "1"};
        if (fromConfig) {
            QFile f(config);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QByteArray text = f.readAll();
            f.close();
            text.replace("\"log_level\"", "\"log_file\": \"" + logPath.toUtf8() + "\", \"log_level\"");
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
        } else {
            arguments << "--log-file" << logPath;
        }
        QProcess p;
        p.start(MARKETDESK_BIN, arguments);
        const Run r = runToEnd(p, 10000);
        QVERIFY2(r.exitCode == (fromConfig ? 2 : 1), r.output.left(1500).constData());
        QVERIFY2(r.output.contains(QString("%1: cannot write the log file %2")
                                       .arg(fromConfig ? "log_file" : "--log-file", logPath)
                                       .toUtf8()),
                 r.output.left(1500).constData());
        QVERIFY(!r.output.contains("engine started"));
        QVERIFY(!QFile::exists(dir.filePath("journal.sqlite")));
    }

    // A configuration above the size cap is refused without reading it all (a 3 MiB file here;
    // /dev/zero in configFromDevZeroIsRefused).
    void configAboveTheSizeCapIsRefused() {
        QTemporaryDir dir;
        const QString path = dir.filePath("huge.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(3 * 1024 * 1024));
        f.close();
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", path});
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains("larger than 1 MiB"), r.output.constData());
    }

    void configFromDevZeroIsRefused() {
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", "/dev/zero"});
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.output.contains("larger than 1 MiB"), r.output.constData());
    }

    // A typo in the journal path, or another HOME: "nothing open" would be a lie.
    void journalReportOnAMissingJournalSaysSoAndFails() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""));
        QProcess p;
        p.start(MARKETDESK_BIN, {"--journal-report", "--config", config});
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.output.contains("does not exist"), r.output.constData());
        QVERIFY(!QFile::exists(dir.filePath("journal.sqlite")));
    }

    void metricsPortInUseIsFoundBeforeAJournalRunIsCreated() {
        QTemporaryDir dir;
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", writeConfig(dir, simMarket("A", "")), "--metrics-port",
                                 QString::number(squatter.serverPort())});
        const Run r = runToEnd(p, 10000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.output.contains("metrics"), r.output.constData());
        QVERIFY2(!QFile::exists(dir.filePath("journal.sqlite")),
                 "a journal run was created before the port was checked");
        QVERIFY(!r.output.contains("engine started"));
    }

    // Two processes on one journal: the second is refused, names the holder, and touches nothing.
    void secondInstanceOnTheSameJournalExitsFiveNamingTheHolder() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""), kMarketMaker);
        QProcess first;
        startDesk(first, {"--headless", "--config", config});
        QVERIFY(waitForOutput(first, "starting -> running", 10000));
        QProcess second;
        second.start(MARKETDESK_BIN, {"--headless", "--config", config, "--run-for", "2"});
        const Run r = runToEnd(second, 10000);
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.output.contains(QString("PID %1").arg(first.processId()).toUtf8()), r.output.constData());
        QVERIFY(!r.output.contains("engine started"));
        ::kill(static_cast<pid_t>(first.processId()), SIGTERM);
        const Run f = runToEnd(first, 15000);
        QCOMPARE(f.exitCode, 0);
        QVERIFY2(f.output.contains("close-out [A]: clean"), f.output.right(2000).constData());
    }

    // The kernel drops a killed process's lock: the next start takes it over and says whose it was.
    void staleLockOfAKilledProcessIsTakenOver() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""));
        QProcess first;
        startDesk(first, {"--headless", "--config", config});
        QVERIFY(waitForOutput(first, "starting -> running", 10000));
        const qint64 killed = first.processId();
        ::kill(static_cast<pid_t>(killed), SIGKILL);
        QVERIFY(first.waitForFinished(5000));
        QProcess second;
        second.start(MARKETDESK_BIN, {"--headless", "--config", config, "--run-for", "1"});
        const Run r = runToEnd(second, 15000);
        QVERIFY2(r.exitCode == 0, r.output.right(2000).constData());
        QVERIFY2(r.output.contains(QString("PID %1").arg(killed).toUtf8()), r.output.left(3000).constData());
    }

    // SIGUSR1 and SIGUSR2 as fast as they can be sent for two seconds (about 250,000 of them; the
    // first version froze for good in the handler's write() to a full socketpair), then SIGTERM:
    // the handler never blocks, the process keeps serving, and it shuts down in order.
    void signalStormNeverFreezesTheProcess() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""), kMarketMaker);
        const quint16 port = freePort();
        QProcess p;
        startDesk(p, {"--headless", "--config", config, "--metrics-port", QString::number(port)});
        QVERIFY(waitForOutput(p, "starting -> running", 10000));
        const auto pid = static_cast<pid_t>(p.processId());
        QElapsedTimer storm;
        storm.start();
        long sent = 0;
        while (storm.elapsed() < 2000)
            ::kill(pid, ++sent % 2 ? SIGUSR1 : SIGUSR2);
        // Still serving: the metrics endpoint answers right after the storm.
        QNetworkAccessManager net;
        QNetworkReply* reply = net.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/metrics").arg(port))));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY2(done.wait(5000), qPrintable(QString("no metrics answer after %1 signals").arg(sent)));
        QVERIFY(reply->readAll().contains("marketdesk_uptime_seconds"));
        reply->deleteLater();
        ::kill(pid, SIGTERM);
        const Run r = runToEnd(p, 15000);
        QVERIFY2(r.exitCode == 0, qPrintable(QString("after %1 signals: ").arg(sent) + r.output.right(3000)));
        QVERIFY2(r.output.contains("close-out [A]: clean"), r.output.right(3000).constData());
        QVERIFY(r.output.contains("desk trading state: halted"));
        qInfo("%ld signals in 2 s; exit %d", sent, r.exitCode);
    }

    // `while kill $PID; do :; done`: SIGTERM after SIGTERM until the process is gone. It must end by
    // itself, in order (i11 decides what a second SIGTERM adds; here it only must not freeze).
    void sigtermStormStillEnds() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""), kMarketMaker);
        // The output goes to a file: a console nobody reads is issue 11's, not what this test is about.
        const QString output = dir.filePath("output.txt");
        const PrintWholeOnFailure printOnFailure(output);
        QProcess p;
        startDeskWritingTo(p, output, config);
        QVERIFY(waitForFile(output, "starting -> running", 10000));
        const qint64 pid = p.processId();
        QElapsedTimer storm;
        storm.start();
        long sent = 0;
        // The process is gone once it is a zombie (QProcess reaps it only from the event loop).
        while (storm.elapsed() < 15000 && procState(pid) != 'Z' && ::kill(static_cast<pid_t>(pid), SIGTERM) == 0)
            ++sent;
        QVERIFY2(storm.elapsed() < 15000, qPrintable(QString("still running after %1 SIGTERMs").arg(sent)));
        runToEnd(p, 5000);
        const QByteArray text = fileText(output);
        QVERIFY2(p.exitStatus() == QProcess::NormalExit, text.right(3000).constData());
        // The first SIGTERM begins the orderly shutdown; a second one makes the watchdog end the process
        // at once with the report so far (issue 11: exit 3). Which of the two ends it is a race the storm
        // decides; either way the process ends, promptly, by itself.
        QVERIFY2(text.contains("orderly shutdown") || text.contains("a second termination signal"),
                 text.right(3000).constData());
        QVERIFY2(p.exitCode() == 0 || p.exitCode() == 3,
                 qPrintable(QString("exit code %1 (the whole output follows)").arg(p.exitCode())));
        QVERIFY2(text.count("shutdown already under way") <= 1, "one line per extra signal floods the console");
        qInfo("%ld SIGTERMs sent; exit %d after %lld ms", sent, p.exitCode(), storm.elapsed());
    }

    // The kernel gives a process's signal to any of its threads. One SIGTERM that lands on a thread
    // started before the shutdown watchdog — the journal's writer, asleep in its condition wait —
    // starts the orderly shutdown like any other. Under ThreadSanitizer this showed the handler
    // writing to the watchdog's wake-up pipe, made after that thread started, with no ordering
    // between the two (sigtermStormStillEnds hit it about once in 30 runs under load).
    void sigtermOnTheJournalWriterThreadShutsDownInOrder() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""), kMarketMaker);
        const QString output = dir.filePath("output.txt");
        const PrintWholeOnFailure printOnFailure(output);
        QProcess p;
        startDeskWritingTo(p, output, config);
        QVERIFY(waitForFile(output, "starting -> running", 10000));
        const pid_t writer = threadNamed(p.processId(), "journal-writer");
        QVERIFY2(writer > 0, "no thread called journal-writer");
        QCOMPARE(::syscall(SYS_tgkill, static_cast<pid_t>(p.processId()), writer, SIGTERM), 0L);
        QVERIFY(p.waitForFinished(15000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        const QByteArray text = fileText(output);
        QVERIFY2(p.exitCode() == 0, qPrintable(QString("exit code %1 (the whole output follows)").arg(p.exitCode())));
        QVERIFY(text.contains("orderly shutdown"));
        QVERIFY(text.contains("close-out [A]: clean"));
    }

    // A signal while the journal is still opening (a slow disk here) must not kill the process with
    // the default action: it shuts down in order before anything trades.
    void sigtermDuringStartUpShutsDownInOrder() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""));
        QProcess p;
        p.setProcessEnvironment(withFaultyDisk({{"MD_FAULTY_VFS_SYNC_DELAY_US", "300000"}}));
        startDesk(p, {"--headless", "--config", config});
        QVERIFY(p.waitForStarted());
        QVERIFY(QTest::qWaitFor([&] { return hasOpen(p.processId(), "journal.sqlite"); }, 10000));
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        const Run r = runToEnd(p, 20000);
        QVERIFY2(p.exitStatus() == QProcess::NormalExit, "killed by the signal's default action");
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.output.contains("before trading"), r.output.constData());
        QVERIFY(!r.output.contains("starting -> running"));
    }

    // A journal this process may not write (read-only to it) is refused at start: exit 5, nothing traded.
    void readOnlyJournalExitsFiveBeforeTrading() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""), kMarketMaker);
        {
            QProcess create;
            create.start(MARKETDESK_BIN, {"--headless", "--config", config, "--run-for", "0.5"});
            QCOMPARE(runToEnd(create, 15000).exitCode, 0);
        }
        const QString journal = dir.filePath("journal.sqlite");
        QProcess p;
        if (::geteuid() == 0) {
            // root writes any file: run the desk as nobody, who may read the journal (and create files
            // beside it) but not write it.
            QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0777) == 0);
            QVERIFY(QFile::remove(journal + ".lock"));
            for (const QString& f : QDir(dir.path()).entryList(QDir::Files))
                QVERIFY(::chmod(QFile::encodeName(dir.filePath(f)).constData(), 0644) == 0);
            p.setChildProcessModifier([] {
                if (::setgid(65534) != 0 || ::setuid(65534) != 0)
                    ::_exit(99);
            });
        } else {
            QVERIFY(::chmod(QFile::encodeName(journal).constData(), 0444) == 0);
        }
        p.start(MARKETDESK_BIN, {"--headless", "--config", config, "--run-for", "2"});
        const Run r = runToEnd(p, 15000);
        QVERIFY2(r.exitCode == 5, r.output.right(3000).constData());
        QVERIFY2(r.output.contains("not writable"), r.output.right(3000).constData());
        QVERIFY(!r.output.contains("engine started"));
    }

    // The disk fills while trading: the failure is noticed at the first commit that fails, placements
    // halt, the log says so, and the run's exit code (6) says so too.
    void journalThatFailsWhileRunningHaltsAndExitsSix() {
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""), kMarketMaker);
        const QString flag = dir.filePath("disk-full");
        QProcess p;
        p.setProcessEnvironment(withFaultyDisk({{"MD_FAULTY_VFS_FULL_FLAG", flag}}));
        startDesk(p, {"--headless", "--config", config, "--run-for", "3"});
        QVERIFY(waitForOutput(p, "starting -> running", 10000));
        QTest::qWait(500);
        QFile full(flag);
        QVERIFY(full.open(QIODevice::WriteOnly));
        full.close();
        const Run r = runToEnd(p, 20000);
        QVERIFY2(r.exitCode == 6, r.output.right(4000).constData());
        QVERIFY2(r.output.contains("journal write failed"), r.output.right(4000).constData());
        QVERIFY2(r.output.contains("trading HALTED"), r.output.right(4000).constData());
        QVERIFY2(r.output.contains("exit code 6"), r.output.right(4000).constData());
    }

    // Issue 17 part 3: a strategy's lifecycle from outside a headless desk, over its control socket.
    void controlCommandDrivesOneStrategysLifecycle() {
        QTemporaryDir dir;
        const QString config = twoMarketMakers(dir, "desk.json", "journal.sqlite");
        // No desk yet: said so, with its own exit code.
        Run none = control(config, {"list"});
        QVERIFY2(none.exitCode == 7 && none.output.contains("no desk is running"), none.output.constData());

        const quint16 port = freePort();
        QProcess p;
        startDesk(p, {"--headless", "--config", config, "--metrics-port", QString::number(port)});
        QVERIFY(p.waitForStarted());
        QNetworkAccessManager net;
        auto placed = [&](const char* market) {
            return metricValue(net, port, QByteArray("marketdesk_actions_enqueued_total{market=\"") + market + "\"}");
        };
        auto events = [&] { return metricValue(net, port, "marketdesk_events_total{market=\"A\"}"); };
        QTRY_VERIFY_WITH_TIMEOUT(placed("A") > 0 && placed("B") > 0, 15000);
        QCOMPARE(stateOf(config, "mm-a"), QString("running"));

        // Pause mm-a, keeping its orders: it places nothing more while its market's data flows on;
        // mm-b trades on.
        Run pause = control(config, {"pause", "mm-a", "keep"});
        QVERIFY2(pause.exitCode == 0 && pause.output.startsWith("ok"), pause.output.constData());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(config, "mm-a"), QString("paused"), 5000);
        const qint64 placedA = placed("A"), placedB = placed("B"), eventsA = events();
        QTRY_VERIFY_WITH_TIMEOUT(events() > eventsA + 300 && placed("B") > placedB, 10000);
        QCOMPARE(placed("A"), placedA);
        QCOMPARE(stateOf(config, "mm-b"), QString("running"));
        Run again = control(config, {"pause", "mm-a", "keep"});
        QVERIFY2(again.exitCode == 8 && again.output.contains("mm-a is paused"), again.output.constData());

        Run resume = control(config, {"resume", "mm-a"});
        QVERIFY2(resume.exitCode == 0, resume.output.constData());
        QTRY_VERIFY_WITH_TIMEOUT(placed("A") > placedA, 10000);
        QCOMPARE(stateOf(config, "mm-a"), QString("running"));

        Run stop = control(config, {"stop", "mm-a"});
        QVERIFY2(stop.exitCode == 0, stop.output.constData());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(config, "mm-a"), QString("stopped"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromUtf8(control(config, {"list"}).output)
                                     .contains(QRegularExpression("mm-a +market_maker +stopped +0 ")),
                                 5000);

        // Refusals name what is wrong; the desk runs on.
        Run unknown = control(config, {"pause", "mm-x", "cancel"});
        QVERIFY2(unknown.exitCode == 8 && unknown.output.contains("no strategy \"mm-x\"") &&
                     unknown.output.contains("mm-a, mm-b"),
                 unknown.output.constData());
        Run noChoice = control(config, {"pause", "mm-b"});
        QVERIFY2(noChoice.exitCode == 8 && noChoice.output.contains("keep") && noChoice.output.contains("cancel"),
                 noChoice.output.constData());
        Run bad = control(config, {"frobnicate"});
        QVERIFY2(bad.exitCode == 8 && bad.output.contains("unknown command \"frobnicate\""), bad.output.constData());

        // The desk-wide halt and resume (as SIGUSR1/SIGUSR2).
        QCOMPARE(control(config, {"halt-desk"}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(control(config, {"list"}).output.startsWith("ok: desk halted"), 5000);
        QCOMPARE(control(config, {"resume-desk"}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(control(config, {"list"}).output.startsWith("ok: desk trading"), 5000);

        // Only its user may reach the socket.
        const QString log = QString::fromUtf8(p.peek(1 << 24));
        const QRegularExpression socketLine("control socket (\\S+)");
        const auto match = socketLine.match(log);
        QVERIFY2(match.hasMatch(), qPrintable(log.left(3000)));
        struct stat sock {
        }, sockDir{};
        QCOMPARE(::stat(QFile::encodeName(match.captured(1)).constData(), &sock), 0);
        QCOMPARE(::stat(QFile::encodeName(QFileInfo(match.captured(1)).path()).constData(), &sockDir), 0);
        QCOMPARE(sockDir.st_mode & 0777u, 0700u);
        QCOMPARE(sock.st_mode & 077u, 0u);

        QCOMPARE(control(config, {"shutdown"}).exitCode, 0);
        const Run r = runToEnd(p, 20000);
        QVERIFY2(r.exitCode == 0, r.output.right(3000).constData());
        Run after = control(config, {"list"});
        QVERIFY2(after.exitCode == 7 && after.output.contains("no desk is running"), after.output.constData());
    }

    // The control socket's directory must be this user's alone: one others may enter is refused, by
    // the desk and by the control command alike, rather than used.
    void controlDirectoryOthersMayEnterIsRefused() {
        QTemporaryDir runtime;
        QVERIFY(QDir(runtime.path()).mkdir("marketdesk"));
        QVERIFY(::chmod(QFile::encodeName(runtime.filePath("marketdesk")).constData(), 0755) == 0);
        QTemporaryDir dir;
        const QString config = writeConfig(dir, simMarket("A", ""));
        QProcess c;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_RUNTIME_DIR", runtime.path());
        c.setProcessEnvironment(env);
        c.start(MARKETDESK_BIN, {"--config", config, "--control", "list"});
        const Run r = runToEnd(c, 15000);
        QVERIFY2(r.exitCode == 7 && r.output.contains("only it may enter") && r.output.contains("mode 0755"),
                 r.output.constData());
    }

    // Issue 17 part 5: `open` (as File → Open) checks the file first — a refused one leaves the desk
    // untouched —, then restarts the same process on it after the orderly shutdown; the journal's lock
    // and the metrics socket do not survive into the new image (it would refuse to start).
    void controlOpenRestartsTheDeskOnTheNewConfig() {
        QTemporaryDir dir;
        const QString first = writeConfig(dir, simMarket("A", ""), kMarketMaker, 1.0);
        const QString second = twoMarketMakers(dir, "second.json", "second.sqlite");
        const QString invalid = dir.filePath("invalid.json");
        {
            QFile f(invalid);
            f.open(QIODevice::WriteOnly);
            QFile src(second);
            src.open(QIODevice::ReadOnly);
            f.write(src.readAll().replace("\"grace_seconds\": 1", "\"grace_seconds\": \"soon\""));
        }
        const quint16 port = freePort();
        QProcess p;
        const QString logFile = dir.filePath("desk.log");
        const PrintWholeOnFailure printOnFailure(logFile);
        startDesk(p, {"--headless", "--config", first, "--metrics-port", QString::number(port), "--log-file", logFile});
        QVERIFY(p.waitForStarted());
        const qint64 pid = p.processId();
        QNetworkAccessManager net;
        // Trading: a monotonic count. Open orders flicker to 0 between a requote's cancel and its placement,
        // and QTRY_VERIFY evaluates its expression again after the wait, so "open orders > 0" failed ~1 in 40.
        QTRY_VERIFY_WITH_TIMEOUT(metricValue(net, port, "marketdesk_actions_enqueued_total{market=\"A\"}") > 0, 15000);

        Run refused = control(first, {"open", invalid});
        QVERIFY2(refused.exitCode == 8 && refused.output.contains("grace_seconds: expected a number") &&
                     refused.output.contains("runs on unchanged"),
                 refused.output.constData());
        QCOMPARE(stateOf(first, "strategy"), QString("running"));

        Run open = control(first, {"open", second});
        QVERIFY2(open.exitCode == 0 && open.output.contains("restarting on"), open.output.constData());
        QVERIFY(waitForOutput(p, "configuration " + second.toUtf8() + ": 2 market(s), 2 strategies", 30000));
        QCOMPARE(p.state(), QProcess::Running);
        QCOMPARE(p.processId(), pid); // the same process, a new image
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(second, "mm-b"), QString("running"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(metricValue(net, port, "marketdesk_events_total{market=\"B\"}") > 0, 15000);
        const QByteArray output = p.peek(1 << 24);
        QVERIFY2(output.contains("close-out"), output.right(4000).constData()); // the old desk's, in order
        QVERIFY2(!output.contains("took over the lock"), output.right(4000).constData());
        // Nothing of the old desk's is open in the new image: not its journal, and its log file only once
        // (the new desk's own descriptor; the logger opens it without O_CLOEXEC).
        QVERIFY(!hasOpen(pid, "/journal.sqlite"));
        QVERIFY(hasOpen(pid, "/second.sqlite"));
        QCOMPARE(openCount(pid, "/desk.log"), 1);

        QCOMPARE(control(second, {"shutdown"}).exitCode, 0);
        const Run r = runToEnd(p, 20000);
        QVERIFY2(r.exitCode == 0, r.output.right(3000).constData());
    }

    void demoConfigIsValid() {
        QProcess p;
        p.start(MARKETDESK_BIN, {"--headless", "--config", QString(MD_SOURCE_DIR) + "/resources/config/demo.json",
                                 "--run-for", "2", "--grace", "2"});
        const Run r = runToEnd(p, 20000);
        QVERIFY2(r.exitCode == 0, r.output.right(3000).constData());
        QVERIFY2(r.output.contains("1 strategy: strategy (mirror)"), r.output.left(3000).constData());
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
            // The configuration loaded; the journal of a fresh copy does not exist yet, which the
            // report says (exit 5) rather than claim "nothing open".
            QVERIFY2(r.exitCode == 5 && r.output.contains("does not exist") && !r.output.contains("refused"),
                     qPrintable(file + ": " + r.output.right(2000)));
        }
    }
};

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
