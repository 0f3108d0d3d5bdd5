// Repeats of a log line become one line with a count; distinct lines are never merged.
#include "logging/logcollapser.h"
#include "logging/logtags.h"

#include <spdlog/sinks/ostream_sink.h>

#include <QTest>

#include <sstream>

using namespace md;

namespace {

constexpr std::int64_t kMs = 1'000'000;

struct Recorder {
    std::ostringstream out;
    std::shared_ptr<spdlog::logger> logger;
    Recorder() {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
        sink->set_pattern("%l %v");
        logger = std::make_shared<spdlog::logger>("test", sink);
        logger->set_level(spdlog::level::trace);
    }
    QStringList lines() const { return QString::fromStdString(out.str()).split('\n', Qt::SkipEmptyParts); }
};

} // namespace

class TestLogCollapser : public QObject {
    Q_OBJECT
private slots:
    void maskedKindIgnoresIdsAndDurationsOnly() {
        QCOMPARE(LogCollapser::maskedKind("[SIM-THIN] order #12 rejected before its queue: trading halted"),
                 std::string("[SIM-THIN] order #N rejected before its queue: trading halted"));
        QCOMPARE(LogCollapser::maskedKind("book stale for 10.1 s"), std::string("book stale for N s"));
        QCOMPARE(LogCollapser::maskedKind("oldest action 250 ms"), std::string("oldest action N ms"));
        // Prices, quantities and other numbers make lines different.
        QVERIFY(LogCollapser::maskedKind("place #3 bid 0.05 @ 64250.1") !=
                LogCollapser::maskedKind("place #4 bid 0.05 @ 64250.2"));
        QCOMPARE(LogCollapser::maskedKind("place #3 bid 0.05 sell"), std::string("place #N bid 0.05 sell"));
        // A retry into a halt: every number masked on request.
        QCOMPARE(LogCollapser::maskedKind("recoup 0.05: place #12 ask 0.05 @ 64249.93", true),
                 std::string("recoup N: place #N ask N @ N"));
    }

    void repeatsBecomeOneLineWithACount() {
        Recorder r;
        LogCollapser c(30'000 * kMs);
        // A halted strategy retrying every 250 ms for a minute.
        int written = 0;
        for (int i = 0; i < 240; ++i) {
            written += c.log(r.logger, spdlog::level::warn,
                             "[SIM-THIN] order #" + std::to_string(100 + i) + " rejected before its queue: halted",
                             i * 250 * kMs);
            c.flush(i * 250 * kMs);
        }
        c.flush(60'000 * kMs, true);
        const QStringList lines = r.lines();
        QCOMPARE(written, 2); // the first of each 30 s window
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines[0].contains("order #100 rejected"), qPrintable(lines[0]));
        QVERIFY2(lines[1].contains("order #219 rejected before its queue: halted … ×120 in 30 s"),
                 qPrintable(lines[1]));
        QVERIFY2(lines[2].contains("order #220 rejected"), qPrintable(lines[2]));
        QVERIFY2(lines[3].contains("order #339 rejected before its queue: halted … ×120 in 30 s"),
                 qPrintable(lines[3]));
        QVERIFY(lines[3].startsWith("warning"));
        QCOMPARE(c.watched(), 0u);
    }

    void distinctLinesAreAllWritten() {
        Recorder r;
        LogCollapser c;
        for (int i = 0; i < 50; ++i)
            QVERIFY(c.log(r.logger, spdlog::level::info,
                          "place #" + std::to_string(i) + " bid 0.05 @ " + std::to_string(64000 + i), i * kMs));
        QCOMPARE(r.lines().size(), 50);
        c.flush(100'000 * kMs);
        QCOMPARE(r.lines().size(), 50); // nothing repeated, nothing to summarise
    }

    void aSingleRepeatIsCountedToo() {
        Recorder r;
        LogCollapser c(1000 * kMs);
        QVERIFY(c.log(r.logger, spdlog::level::info, "stuck #1", 0));
        QVERIFY(!c.log(r.logger, spdlog::level::info, "stuck #2", 10 * kMs));
        // The next one after the window: the summary of the last window first, then the line.
        QVERIFY(c.log(r.logger, spdlog::level::info, "stuck #3", 1500 * kMs));
        const QStringList lines = r.lines();
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[1].contains("stuck #2 … ×2 in 1 s"), qPrintable(lines[1]));
        QVERIFY(lines[2].contains("stuck #3"));
    }

    void levelsBelowTheLoggersAreNotKept() {
        Recorder r;
        r.logger->set_level(spdlog::level::warn);
        LogCollapser c;
        QVERIFY(!c.log(r.logger, spdlog::level::info, "quiet", 0));
        QCOMPARE(c.watched(), 0u);
    }

    void marketsOfALogLine() {
        using V = std::vector<std::string>;
        QCOMPARE(marketsOfLogLine("market.SIM-THIN", "-> running"), V{"SIM-THIN"});
        QCOMPARE(marketsOfLogLine("strategy", "[SIM-LIQUID → SIM-THIN] copy source bid"),
                 (V{"SIM-LIQUID", "SIM-THIN"}));
        QCOMPARE(marketsOfLogLine("strategy", "[A → B, C] x"), (V{"A", "B", "C"}));
        QCOMPARE(marketsOfLogLine("engine", "[SIM-THIN] breaker TRIPPED"), V{"SIM-THIN"});
        QCOMPARE(marketsOfLogLine("market.A", "[A → B] x"), (V{"A", "B"}));
        QVERIFY(marketsOfLogLine("engine", "engine started").empty());
        QVERIFY(marketsOfLogLine("engine", "[unterminated").empty());
    }
};

QTEST_APPLESS_MAIN(TestLogCollapser)
#include "tst_logcollapser.moc"
