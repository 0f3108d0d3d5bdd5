#include "sim/simwire.h"

#include <QTest>

using namespace md;

class TestSimWire : public QObject {
    Q_OBJECT
private slots:
    void roundTrips() {
        for (const SimMessage& m :
             {SimMessage(SimDepth{7, Side::Ask, 6425012, 0}), SimMessage(SimTrade{8, Side::Bid, 100, 3}),
              SimMessage(SimSnapshot{9, {{100, 1}, {99, 2}}, {{101, 5}}})}) {
            const auto line = encodeSimMessage(m);
            const auto parsed = parseSimMessage(line);
            QVERIFY2(parsed.ok(), parsed.error.c_str());
            QCOMPARE(encodeSimMessage(parsed.message), line);
        }
    }

    void refusesMalformedLines_data() {
        QTest::addColumn<QString>("line");
        QTest::newRow("empty") << "";
        QTest::newRow("unknown type") << "Z 1 b 100 1";
        QTest::newRow("bad side") << "D 1 x 100 1";
        QTest::newRow("negative price") << "D 1 b -100 1";
        QTest::newRow("zero trade") << "T 1 b 100 0";
        QTest::newRow("letters") << "D one b 100 1";
        QTest::newRow("trailing") << "D 1 b 100 1 2";
        QTest::newRow("short snapshot") << "S 1 2 1 100 1 99";
        QTest::newRow("huge snapshot") << "S 1 999999999 0";
        QTest::newRow("binary") << "\x01\x02\xff";
    }
    void refusesMalformedLines() {
        QFETCH(QString, line);
        const auto parsed = parseSimMessage(line.toStdString());
        QVERIFY(!parsed.ok());
    }
};

QTEST_APPLESS_MAIN(TestSimWire)
#include "tst_simwire.moc"
