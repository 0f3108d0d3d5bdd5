// The marketdesk executable under faults (issue 11): a console nobody reads, a UI thread that is
// stuck during the shutdown, a second SIGTERM. The process is started as a user would start it.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <optional>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

/// `extra` (", \"key\": value, ...") adds settings or replaces the defaults: a key given twice is
/// refused by the configuration loader (issue 12).
QString simMarket(const QString& name, const QString& extra) {
    QStringList settings;
    for (const auto& [key, value] :
         {std::pair<QString, QString>{"seed", "3"}, {"mid", R"("100.00")"}, {"events_per_second", "500"}})
        if (!extra.contains('"' + key + '"'))
            settings << QString(R"("%1": %2)").arg(key, value);
    return QString(R"({"name": "%1", "connector": "sim",
        "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"},
        "settings": {%2 %3}})")
        .arg(name, settings.join(", "), extra);
}

QString writeConfig(QTemporaryDir& dir, const QString& markets, const QString& strategy, double grace) {
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

/// GET /metrics with a deadline; nullopt when the process does not answer in time.
std::optional<QByteArray> scrape(quint16 port, int timeoutMs) {
    QNetworkAccessManager net;
    QNetworkReply* reply = net.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/metrics").arg(port))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    const bool answered = done.count() > 0 || done.wait(timeoutMs);
    std::optional<QByteArray> body;
    if (answered && reply->error() == QNetworkReply::NoError)
        body = reply->readAll();
    reply->abort();
    reply->deleteLater();
    return body;
}

std::uint64_t seriesValue(const QByteArray& metrics, const QByteArray& series) {
    const int at = metrics.indexOf(series + " ");
    if (at < 0)
        return 0;
    const int from = at + static_cast<int>(series.size()) + 1;
    return metrics.mid(from, metrics.indexOf('\n', from) - from).toULongLong();
}

/// marketdesk with stdout and stderr on a small pipe the test holds and does not read.
struct StuckConsoleProcess {
    pid_t pid = -1;
    int readEnd = -1;
    int pipeSize = 0;

    bool start(const QStringList& arguments) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0)
            return false;
        pipeSize = ::fcntl(fds[1], F_SETPIPE_SZ, 4096);
        QList<QByteArray> args{QByteArray(MARKETDESK_BIN)};
        for (const QString& a : arguments)
            args << a.toLocal8Bit();
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        pid = ::fork();
        if (pid == 0) {
            ::dup2(fds[1], STDOUT_FILENO);
            ::dup2(fds[1], STDERR_FILENO);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        ::close(fds[1]);
        readEnd = fds[0];
        return pid > 0;
    }
    int bytesWaiting() const {
        int n = 0;
        ::ioctl(readEnd, FIONREAD, &n);
        return n;
    }
    /// A write of up to PIPE_BUF bytes goes in whole or waits: a pipe within a line of its size is full.
    bool full() const { return bytesWaiting() >= pipeSize - 1024; }
    QByteArray drain() const {
        QByteArray out;
        const int flags = ::fcntl(readEnd, F_GETFL);
        ::fcntl(readEnd, F_SETFL, flags | O_NONBLOCK);
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(readEnd, buffer, sizeof buffer);
            if (n <= 0)
                break;
            out.append(buffer, static_cast<int>(n));
        }
        ::fcntl(readEnd, F_SETFL, flags);
        return out;
    }
    /// Waits for the process to end; its exit code, or -1 when it did not end in time (then killed).
    int waitExit(int timeoutMs, qint64* elapsedMs = nullptr) {
        QElapsedTimer t;
        t.start();
        int status = 0;
        while (t.elapsed() < timeoutMs) {
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                if (elapsedMs)
                    *elapsedMs = t.elapsed();
                pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            QTest::qWait(20);
        }
        if (elapsedMs)
            *elapsedMs = t.elapsed();
        return -1;
    }
    ~StuckConsoleProcess() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        if (readEnd >= 0)
            ::close(readEnd);
    }
};

/// Waits until `process`'s merged output contains `text`.
bool waitForOutput(QProcess& process, const QByteArray& text, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (process.peek(1 << 24).contains(text))
            return true;
        process.waitForReadyRead(100);
    }
    return process.peek(1 << 24).contains(text);
}

} // namespace

class TestAppFaults : public QObject {
    Q_OBJECT
private slots:
    // 4. stdout and stderr on a pipe nobody reads: markets keep trading, /metrics answers, the
    // log file keeps everything, SIGTERM ends the process within grace + 3 s; once the console
    // drains, one line says how many lines it dropped.
    void fullConsoleNeverStallsTheDesk() {
        QTemporaryDir dir;
        const QString strategy =
            R"({"kind": "market_maker", "market": "A", "half_spread_ticks": 2, "order_quantity": "0.01", "max_position": "1", "requote_ticks": 1})";
        const QString path = writeConfig(dir, simMarket("A", R"(, "events_per_second": 2000)"), strategy, 1.0);
        const QString logFile = dir.filePath("marketdesk.log");
        const quint16 port = freePort();
        StuckConsoleProcess p;
        QVERIFY(p.start({"--headless", "--config", path, "--metrics-port", QString::number(port), "--log-file", logFile,
                         "--log-level", "debug"}));
        // The pipe fills: nobody reads it.
        QTRY_VERIFY_WITH_TIMEOUT(p.full(), 15000);
        const qint64 sizeWhenFull = QFileInfo(logFile).size();
        QTest::qWait(1000); // well past the moment the console stopped taking lines
        const auto first = scrape(port, 3000);
        QVERIFY2(first.has_value(), "/metrics did not answer with the console full");
        // Past the headless status line (every 5 s), which the main thread logs itself.
        QTest::qWait(5000);
        const auto second = scrape(port, 3000);
        QVERIFY2(second.has_value(), "/metrics did not answer with the console full");
        const auto events1 = seriesValue(*first, "marketdesk_events_total{market=\"A\"}");
        const auto events2 = seriesValue(*second, "marketdesk_events_total{market=\"A\"}");
        qInfo("events with the console full: %llu -> %llu in 5 s", static_cast<unsigned long long>(events1),
              static_cast<unsigned long long>(events2));
        QVERIFY(events2 > events1);
        QVERIFY(p.full()); // still full: nothing read it

        // More lines than the console may keep waiting (1 MiB) were logged since the pipe filled, so some
        // were dropped. (A desk whose repeats collapse — issue 14 — logs too little to fill it in 6 s.)
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(logFile).size() > sizeWhenFull + (1 << 20) + (64 << 10), 60000);

        // Someone reads the console again: the lines it could not take are counted in one line.
        QByteArray console;
        // A condition: the console takes the backlog (up to 1 MiB) first; under a sanitizer on two busy cores
        // that took 8.9 s.
        QTRY_VERIFY_WITH_TIMEOUT((console += p.drain(), console.contains("line(s) dropped")), 30000);

        ::kill(p.pid, SIGTERM);
        // Stop reading again: the exit path must not wait on the console either.
        qint64 elapsed = 0;
        const int code = p.waitExit(10000, &elapsed);
        qInfo("SIGTERM to exit with the console full: %lld ms (grace 1 s)", elapsed);
        QCOMPARE(code, 0);
        QVERIFY2(elapsed < 1000 + 3000, qPrintable(QString::number(elapsed)));
        QFile log(logFile);
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logged = log.readAll();
        QVERIFY(logged.contains("close-out [A]: clean"));
        QVERIFY(logged.contains("shutdown finished"));
    }

    // 10. The main (UI) thread is stuck during the shutdown — here in a connector's health call —
    // and the process still ends at grace + a few seconds, exit 3, the close-out in the log.
    void stuckMainThreadStillEndsAtGracePlusAFewSeconds() {
        QTemporaryDir dir;
        const QString strategy =
            R"({"kind": "market_maker", "market": "C", "half_spread_ticks": 5, "order_quantity": "0.01", "max_position": "1"})";
        const QString markets =
            simMarket("A", "") + "," +
            simMarket("C", R"(, "seed": 5, "fault": "hang_inspector", "fault_after_ms": 0, "action_delay_ms": 2000)");
        const QString path = writeConfig(dir, markets, strategy, 2.0);
        const QString logFile = dir.filePath("marketdesk.log");
        const quint16 port = freePort();
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(MARKETDESK_BIN,
                {"--headless", "--config", path, "--metrics-port", QString::number(port), "--log-file", logFile});
        QVERIFY(p.waitForStarted());
        QVERIFY(waitForOutput(p, "[market.C] starting -> running", 10000));
        QElapsedTimer t;
        t.start();
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(waitForOutput(p, "orderly shutdown", 3000));
        // A health read now hangs the main thread in C's connector, for good.
        QVERIFY(!scrape(port, 500).has_value());
        const bool ended = p.waitForFinished(15000);
        const qint64 elapsed = t.elapsed();
        const QByteArray output = p.readAll();
        if (!ended) {
            p.kill();
            p.waitForFinished();
        }
        qInfo("SIGTERM to exit with the main thread stuck: %lld ms (grace 2 s), exit %d", elapsed, p.exitCode());
        QVERIFY2(ended, "the process did not end with its main thread stuck");
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 3);
        QVERIFY2(elapsed < 2000 + 4000, qPrintable(QString::number(elapsed)));
        QVERIFY2(output.contains("watchdog"), output.right(3000).constData());
        QFile log(logFile);
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray logged = log.readAll();
        QVERIFY2(logged.contains("close-out [C]"), logged.right(3000).constData());
    }

    // 10. A second SIGTERM while the shutdown waits for a hung executor ends the process promptly,
    // with the close-out written.
    void secondSigtermEndsPromptly() {
        QTemporaryDir dir;
        const QString strategy =
            R"({"kind": "market_maker", "market": "B", "half_spread_ticks": 5, "order_quantity": "0.01", "max_position": "1"})";
        const QString markets =
            simMarket("A", "") + "," + simMarket("B", R"(, "seed": 9, "fault": "hang_executor", "fault_after_ms": 0)");
        const QString path = writeConfig(dir, markets, strategy, 30.0);
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(MARKETDESK_BIN, {"--headless", "--config", path});
        QVERIFY(p.waitForStarted());
        QVERIFY(waitForOutput(p, "[market.B] starting -> running", 10000));
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        QVERIFY(waitForOutput(p, "orderly shutdown", 3000));
        QTest::qWait(300);
        QElapsedTimer t;
        t.start();
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        const bool ended = p.waitForFinished(10000);
        const qint64 elapsed = t.elapsed();
        if (!ended) {
            p.kill();
            p.waitForFinished();
        }
        const QByteArray output = p.readAll();
        qInfo("second SIGTERM to exit: %lld ms (grace 30 s)", elapsed);
        QVERIFY2(ended, "a second SIGTERM did not end the process");
        QCOMPARE(p.exitCode(), 3);
        QVERIFY2(elapsed < 2000, qPrintable(QString::number(elapsed)));
        QVERIFY2(output.contains("close-out [B]"), output.right(3000).constData());
    }
};

QTEST_GUILESS_MAIN(TestAppFaults)
#include "tst_faults.moc"
