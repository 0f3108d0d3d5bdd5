#include "domain/decimal.h"

#include <QTest>

#include <limits>

using namespace md;

class TestDecimal : public QObject {
    Q_OBJECT
private slots:
    void parsesAndPrintsExactly_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("scale");
        QTest::addColumn<QString>("printed");
        QTest::newRow("binance price") << "0.35210000" << 8 << "0.35210000";
        QTest::newRow("integer") << "42" << 2 << "42.00";
        QTest::newRow("negative") << "-0.0042" << 4 << "-0.0042";
        QTest::newRow("padded") << "1.5" << 3 << "1.500";
        QTest::newRow("trailing zeros beyond scale") << "1.2300" << 2 << "1.23";
        QTest::newRow("leading dot") << ".5" << 1 << "0.5";
        QTest::newRow("max int64 units") << "92233720368.54775807" << 8 << "92233720368.54775807";
    }
    void parsesAndPrintsExactly() {
        QFETCH(QString, text);
        QFETCH(int, scale);
        QFETCH(QString, printed);
        auto d = Decimal::parse(text.toStdString(), scale);
        QVERIFY(d.has_value());
        QCOMPARE(QString::fromStdString(d->toString()), printed);
    }

    void refusesInexactOrMalformed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("scale");
        QTest::newRow("digit beyond scale") << "0.123" << 2;
        QTest::newRow("exponent") << "1e-8" << 8;
        QTest::newRow("empty") << "" << 2;
        QTest::newRow("two dots") << "1.2.3" << 2;
        QTest::newRow("letters") << "abc" << 2;
        QTest::newRow("only sign") << "-" << 2;
        QTest::newRow("overflow") << "92233720368.54775808" << 8;
        QTest::newRow("huge") << "1000000000000000000000" << 0;
    }
    void refusesInexactOrMalformed() {
        QFETCH(QString, text);
        QFETCH(int, scale);
        QVERIFY(!Decimal::parse(text.toStdString(), scale).has_value());
    }

    void naturalScale() {
        auto d = Decimal::parse("12.3400");
        QVERIFY(d);
        QCOMPARE(d->scale(), 4);
        QCOMPARE(d->toTrimmedString(), std::string("12.34"));
    }

    void comparesAcrossScales() {
        QVERIFY(Decimal(150, 2) == Decimal(15, 1));
        QVERIFY(Decimal(151, 2) > Decimal(15, 1));
        QVERIFY(Decimal(-1, 0) < Decimal(0, 8));
        QVERIFY(Price(1, 2) < Price(11, 3));
    }

    void arithmeticIsExact() {
        QCOMPARE((Decimal(1, 1) + Decimal(2, 1)).toString(), std::string("0.3")); // 0.1 + 0.2, no 0.30000000000000004
        QCOMPARE((Decimal(5, 0) - Decimal(25, 1)).toString(), std::string("2.5"));
        Notional n = Price(64250'12, 2) * Quantity(15, 4);
        QCOMPARE(n.toString(), std::string("96.375180"));
    }

    // A sum or product that does not fit in 64 bits at the finer scale keeps its value at the finest
    // scale that fits (rounded half away from zero there), never the saturated int64 limit.
    void overflowAtAFineScaleRoundsInsteadOfSaturating() {
        const Decimal fees = *Decimal::parse("134.9250105");
        const Decimal tiny(576346, 10 + 7); // 0.00000000005763460 at scale 17
        const Decimal sum = tiny - fees;
        QCOMPARE(sum.toString(), std::string("-134.9250104999942365")); // exact: ...99423654
        QCOMPARE((fees + Decimal(1, 18)).toString(), std::string("134.9250105000000000"));
        QCOMPARE((Decimal(5, 18) + Decimal(99, 0)).toString(), std::string("99.0000000000000000"));
        const Decimal product = *Decimal::parse("64250.01000000") * *Decimal::parse("1234.123456789");
        QCOMPARE(QString::fromStdString(product.toString()), QString("79292444.43992781789")); // exact at scale 11
        const Decimal inexact = *Decimal::parse("64250.01234567") * *Decimal::parse("1234.123456789");
        QCOMPARE(QString::fromStdString(inexact.toString()), QString("79292447.33477418678")); // ...418677625363
        // Only a value beyond int64 at scale 0 still saturates.
        QVERIFY(Decimal(std::numeric_limits<std::int64_t>::max(), 0) + Decimal(1, 0) ==
                Decimal(std::numeric_limits<std::int64_t>::max(), 0));
    }

    void roundsToTickAndStep_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("step");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("expected");
        QTest::newRow("down") << "100.127"
                              << "0.05" << int(Rounding::Down) << "100.10";
        QTest::newRow("up") << "100.127"
                            << "0.05" << int(Rounding::Up) << "100.15";
        QTest::newRow("nearest") << "100.127"
                                 << "0.05" << int(Rounding::Nearest) << "100.15";
        QTest::newRow("already on step") << "100.10"
                                         << "0.05" << int(Rounding::Up) << "100.10";
        QTest::newRow("negative down") << "-1.01"
                                       << "0.1" << int(Rounding::Down) << "-1.1";
        QTest::newRow("toward zero") << "-1.01"
                                     << "0.1" << int(Rounding::TowardZero) << "-1.0";
        QTest::newRow("coarse step") << "64251.37"
                                     << "0.10" << int(Rounding::Down) << "64251.30";
    }
    void roundsToTickAndStep() {
        QFETCH(QString, value);
        QFETCH(QString, step);
        QFETCH(int, mode);
        QFETCH(QString, expected);
        auto v = *Decimal::parse(value.toStdString());
        auto s = *Decimal::parse(step.toStdString());
        auto r = v.roundedToStep(s, static_cast<Rounding>(mode));
        QCOMPARE(QString::fromStdString(r.toString()), expected);
        QVERIFY(r.isMultipleOf(s));
    }

    void rescales() {
        QCOMPARE(Decimal(12345, 2).rescaled(4)->toString(), std::string("123.4500"));
        QVERIFY(!Decimal(12345, 2).rescaled(1).has_value());
        QCOMPARE(Decimal(12300, 2).rescaled(0)->toString(), std::string("123"));
        QCOMPARE(Decimal(12345, 2).rounded(1, Rounding::Nearest).toString(), std::string("123.5"));
    }
};

QTEST_APPLESS_MAIN(TestDecimal)
#include "tst_decimal.moc"
