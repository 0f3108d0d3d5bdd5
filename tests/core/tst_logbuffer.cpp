#include "logging/logbuffer.h"
#include "logging/logging.h"

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
};

QTEST_APPLESS_MAIN(TestLogBuffer)
#include "tst_logbuffer.moc"
