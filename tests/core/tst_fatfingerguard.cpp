// The fat-finger guard (issue 15 part 5): distance from the mid in %, notional, exact inputs.
#include "risk/fatfingerguard.h"

#include <QTest>

using namespace md;

namespace {
Instrument btcusdt() {
    Instrument i;
    i.symbol = "BTCUSDT";
    i.base = "BTC";
    i.quote = "USDT";
    i.tick = *Price::parse("0.01");
    i.step = *Quantity::parse("0.0001");
    return i;
}
} // namespace

class TestFatFingerGuard : public QObject {
    Q_OBJECT
private slots:
    void insideTheBandAndSizeGoesWithoutAsking() {
        const FatFingerGuard guard(FatFingerLimits{5, Decimal::parse("1000")});
        QVERIFY(!guard.check(btcusdt(), *Price::parse("104.99"), *Quantity::parse("9"), *Price::parse("100.00")));
        QVERIFY(!guard.check(btcusdt(), *Price::parse("95.00"), *Quantity::parse("1"), *Price::parse("100.00")));
    }

    void farFromTheMidAsksWithTheDistanceAndNotional() {
        const FatFingerGuard guard(FatFingerLimits{5, std::nullopt});
        const auto w = guard.check(btcusdt(), *Price::parse("110.00"), *Quantity::parse("2"), *Price::parse("100.00"));
        QVERIFY(w);
        QVERIFY(w->outsideBand);
        QVERIFY(!w->overNotional);
        QCOMPARE(*w->distancePercent, 10.0);
        QCOMPARE(w->notional, *Decimal::parse("220"));
        QCOMPARE(w->text, std::string("price 110 is 10.00 % from the mid 100 (band 5 %); notional 220 USDT"));
    }

    void aLargeNotionalAsksEvenAtTheMid() {
        const FatFingerGuard guard(FatFingerLimits{5, Decimal::parse("1000")});
        const auto w =
            guard.check(btcusdt(), *Price::parse("100.00"), *Quantity::parse("10.0001"), *Price::parse("100.00"));
        QVERIFY(w);
        QVERIFY(!w->outsideBand);
        QVERIFY(w->overNotional);
        QCOMPARE(w->notional, *Decimal::parse("1000.01"));
        QCOMPARE(w->text, std::string("price 100 is 0.00 % from the mid 100; notional 1000.01 USDT (above 1000 USDT)"));
    }

    void withoutAMidItAsks() {
        const FatFingerGuard guard;
        const auto w = guard.check(btcusdt(), *Price::parse("100.00"), *Quantity::parse("1"), std::nullopt);
        QVERIFY(w);
        QVERIFY(!w->distancePercent);
        QVERIFY(w->text.find("no two-sided book") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestFatFingerGuard)
#include "tst_fatfingerguard.moc"
