// The console sink never makes a logging thread wait (issue 11, item 4): with a console nobody
// reads, lines are dropped and counted, and once it reads again one line says how many.
#include "logging/consolesink.h"

#include <spdlog/logger.h>

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>

#include <atomic>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

using namespace md;

namespace {
QByteArray readAvailable(int fd) {
    QByteArray out;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            break;
        out.append(buffer, static_cast<int>(n));
    }
    return out;
}
} // namespace

class TestConsoleSink : public QObject {
    Q_OBJECT
private slots:
    void aConsoleNobodyReadsNeverBlocksTheLogger() {
        int fds[2];
        QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
        ::fcntl(fds[1], F_SETPIPE_SZ, 4096);
        ::fcntl(fds[0], F_SETFL, O_NONBLOCK); // the test's own reads only
        auto sink = std::make_shared<ConsoleSink>(fds[1], 16 * 1024);
        spdlog::logger logger("console-test", sink);
        logger.set_pattern("%v");

        // 20,000 lines (~1 MiB) into a 4 KiB pipe nobody reads: every call returns.
        std::atomic<bool> done{false};
        std::thread writer([&] {
            for (int i = 0; i < 20000; ++i)
                logger.info("line {} of a console nobody reads, padded to be a little longer than short", i);
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 10000);
        writer.join();
        QVERIFY(sink->droppedLines() > 0);
        qInfo("dropped %llu of 20000 lines", static_cast<unsigned long long>(sink->droppedLines()));
        // The exit path's wait for the console is bounded.
        QElapsedTimer t;
        t.start();
        QVERIFY(!sink->drain(std::chrono::milliseconds(100)));
        QVERIFY(t.elapsed() < 5000);

        // Someone reads again: what waited comes out, with lines that say how many were dropped. The
        // writer reports a drop once its backlog is handed to the console, so the drops of one stall
        // may be told in more than one line; together they account for every dropped line.
        QByteArray console;
        QTRY_VERIFY_WITH_TIMEOUT((console += readAvailable(fds[0]), sink->drain(std::chrono::milliseconds(10))), 5000);
        console += readAvailable(fds[0]);
        static const QRegularExpression told(QStringLiteral("\\[console\\] (\\d+) line\\(s\\) dropped"));
        qulonglong toldTotal = 0;
        for (auto it = told.globalMatch(QString::fromUtf8(console)); it.hasNext();)
            toldTotal += it.next().captured(1).toULongLong();
        QVERIFY2(toldTotal > 0, console.right(300).constData());
        QCOMPARE(toldTotal, qulonglong(sink->droppedLines()));
        ::close(fds[0]);
        ::close(fds[1]);
    }

    void aConsoleThatKeepsUpLosesNothing() {
        int fds[2];
        QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
        auto sink = std::make_shared<ConsoleSink>(fds[1], 1 << 20);
        spdlog::logger logger("console-test-2", sink);
        logger.set_pattern("%v");
        QByteArray console;
        std::thread reader([&] {
            char buffer[4096];
            for (;;) {
                const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
                if (n <= 0)
                    return; // the write end closed
                console.append(buffer, static_cast<int>(n));
            }
        });
        for (int i = 0; i < 1000; ++i)
            logger.info("line {}", i);
        QVERIFY(sink->drain(std::chrono::milliseconds(5000)));
        ::close(fds[1]); // everything is written: the reader sees the end
        reader.join();
        QCOMPARE(sink->droppedLines(), 0u);
        QCOMPARE(console.count('\n'), 1000);
        QVERIFY(console.startsWith("line 0\n"));
        ::close(fds[0]);
    }
};

QTEST_APPLESS_MAIN(TestConsoleSink)
#include "tst_consolesink.moc"
