#include "logging/logbuffer.h"
#include "logging/logging.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace md;

class TestLogBuffer : public QObject {
    Q_OBJECT
private slots:
    void keepsNewestAndCountsDropped() {
        LogBuffer buffer(3);
        for (int i = 0; i < 5; ++i)
            buffer.append(LogRecord{0, 0, spdlog::level::info, "engine", std::to_string(i)});
        QCOMPARE(buffer.size(), 3u);
        QCOMPARE(buffer.droppedCount(), 2u);
        auto all = buffer.since(0);
        QCOMPARE(all.front().text, std::string("2"));
        QCOMPARE(all.back().sequence, 5u);
        auto newer = buffer.since(4);
        QCOMPARE(newer.size(), 1u);
        QCOMPARE(newer.front().text, std::string("4"));
        QVERIFY(buffer.since(5).empty());
    }

    void loggersFeedTheBufferWithCopies() {
        logging::init({spdlog::level::debug, false, {}});
        const auto before = logging::buffer().lastSequence();
        {
            std::string transient = "order #7 placed";
            logging::get("market.test")->info("{}", transient);
            transient.assign(transient.size(), 'x'); // the buffer must hold its own copy
        }
        logging::get("strategy")->debug("reasoning");
        auto records = logging::buffer().since(before);
        QCOMPARE(records.size(), 2u);
        QCOMPARE(records[0].logger, std::string("market.test"));
        QCOMPARE(records[0].text, std::string("order #7 placed"));
        QCOMPARE(records[1].level, spdlog::level::debug);
    }

    // Text from exchanges, configs and users reaches the log: a newline or an ANSI escape in it must
    // not forge a line or repaint a terminal. Control characters are written escaped, everywhere.
    void controlCharactersAreEscapedInEverySink() {
        QTemporaryDir dir;
        const QString file = dir.filePath("desk.log");
        QVERIFY(!logging::init({spdlog::level::info, false, file.toStdString()}));
        const auto before = logging::buffer().lastSequence();
        logging::get("market.test")
            ->warn("rejected: {}", "bad\n2026-12-01 00:00:00.000 INFO  [engine] all orders settled\x1b[2J\r\t");
        logging::flushAll();
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QCOMPARE(text.count('\n'), 2); // the file's first line, then one line for one record
        QVERIFY(text.split('\n').first().contains("log opened by MarketDesk"));
        QVERIFY2(
            text.contains(R"(rejected: bad\n2026-12-01 00:00:00.000 INFO  [engine] all orders settled\x1b[2J\r\t)"),
            text.constData());
        QVERIFY(!text.contains('\x1b'));
        const auto records = logging::buffer().since(before);
        QCOMPARE(records.size(), 1u);
        QVERIFY2(records[0].text.find('\n') == std::string::npos && records[0].text.find('\x1b') == std::string::npos,
                 records[0].text.c_str());
        logging::init({spdlog::level::info, false, {}});
    }
};

QTEST_APPLESS_MAIN(TestLogBuffer)
#include "tst_logbuffer.moc"
