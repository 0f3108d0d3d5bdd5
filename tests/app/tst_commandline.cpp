// The command line: numbers that would overflow a timer or make no sense are refused with the range.
#include "commandline.h"

#include <QTest>

using namespace md;

class TestCommandLine : public QObject {
    Q_OBJECT
private slots:
    void badNumbersAreRefusedWithTheRange_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("range");
        const QString grace = "between 0.05 and 3600";
        const QString runFor = "between 0.001 and 2000000";
        for (const char* v : {"inf", "nan", "-inf", "1e10", "3000000", "3600.5", "0", "-1", "0.01", "abc", "", "1e400"})
            QTest::newRow(qPrintable(QString("grace ") + v)) << "--grace" << v << grace;
        for (const char* v : {"inf", "nan", "1e300", "2200000", "2151000", "0", "-5", "0.0001", "x"})
            QTest::newRow(qPrintable(QString("run-for ") + v)) << "--run-for" << v << runFor;
    }
    void badNumbersAreRefusedWithTheRange() {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QString, range);
        QString error, help;
        const auto cl = parseCommandLine({"marketdesk", option, value}, error, help);
        QVERIFY2(!cl, qPrintable(option + " " + value + " was accepted"));
        QVERIFY2(error.contains(option + ":") && error.contains(range), qPrintable(error));
    }

    void goodNumbersAreTaken_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<double>("expected");
        QTest::newRow("grace min") << "--grace"
                                   << "0.05" << 0.05;
        QTest::newRow("grace 30") << "--grace"
                                  << "30" << 30.0;
        QTest::newRow("grace max") << "--grace"
                                   << "3600" << 3600.0;
        QTest::newRow("run-for small") << "--run-for"
                                       << "0.5" << 0.5;
        QTest::newRow("run-for max") << "--run-for"
                                     << "2000000" << 2000000.0;
    }
    void goodNumbersAreTaken() {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(double, expected);
        QString error, help;
        const auto cl = parseCommandLine({"marketdesk", option, value}, error, help);
        QVERIFY2(cl, qPrintable(error));
        QCOMPARE(option == "--grace" ? *cl->graceSeconds : *cl->runForSeconds, expected);
    }

    // Issue 17 part 3: the control command follows the options; without --control a word is refused.
    void controlTakesTheCommandAfterTheOptions() {
        QString error, help;
        auto cl = parseCommandLine({"marketdesk", "--config", "desk.json", "--control", "pause", "mm-a", "keep"}, error,
                                   help);
        QVERIFY2(cl, qPrintable(error));
        QCOMPARE(cl->control, (QStringList{"pause", "mm-a", "keep"}));
        QCOMPARE(cl->configPath, QString("desk.json"));
        QVERIFY(!parseCommandLine({"marketdesk", "--control"}, error, help));
        QVERIFY2(error.contains("--control: which command?"), qPrintable(error));
        QVERIFY(!parseCommandLine({"marketdesk", "pause"}, error, help));
        QVERIFY2(error.contains("unexpected argument: pause"), qPrintable(error));
    }

    void helpNamesTheProgram() {
        QString error, help;
        QVERIFY(!parseCommandLine({"/usr/local/bin/marketdesk", "--help"}, error, help));
        QVERIFY(error.isEmpty());
        QVERIFY2(help.startsWith("Usage: marketdesk [options]"), qPrintable(help.left(80)));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
