// The local order-rate counter (common/decayingcounter.h) with Kraken's tiers and penalties
// (https://docs.kraken.com/exchange/guides/general/ratelimits), on a manual clock: deterministic.
#include "common/decayingcounter.h"
#include "kraken/krakensettings.h"
#include "kraken/orderentry.h"

#include <QtTest>

using namespace md;

class TestKrakenRateCounter : public QObject {
    Q_OBJECT
private slots:
    void decaysAndWaitsBeforeTheThreshold() {
        auto clock = std::make_shared<venue::ManualClock>();
        const auto tier = *kraken::RateTier::named("starter");
        venue::DecayingCounter counter(tier.threshold, tier.decayPerSecond, 5, clock);
        for (int i = 0; i < 55; ++i) {
            QCOMPARE(counter.waitMs(1), std::int64_t(0));
            counter.add(1);
        }
        // 55 of 60 with a headroom of 5: the next must wait a second (decay 1/s).
        QCOMPARE(counter.waitMs(1), std::int64_t(1000));
        clock->advance(1000);
        QCOMPARE(counter.waitMs(1), std::int64_t(0));
        QCOMPARE(counter.value(), 54.0);
        clock->advance(100000);
        QCOMPARE(counter.value(), 0.0);
    }
    void observedRefusalRaisesNeverLowers() {
        auto clock = std::make_shared<venue::ManualClock>();
        venue::DecayingCounter counter(125, 2.34, 0, clock);
        counter.add(10);
        counter.observe(3);
        QCOMPARE(counter.value(), 10.0);
        counter.observe(125);
        QCOMPARE(counter.value(), 125.0);
        QVERIFY(counter.waitMs(1) > 0);
        clock->advance(1000);
        QVERIFY(qAbs(counter.value() - 122.66) < 1e-9);
    }
    void cancelPenaltiesFollowTheTable_data() {
        QTest::addColumn<qint64>("ageMs");
        QTest::addColumn<double>("penalty");
        QTest::newRow("<5s") << 4999LL << 8.0;
        QTest::newRow("<10s") << 5000LL << 6.0;
        QTest::newRow("<15s") << 14999LL << 5.0;
        QTest::newRow("<45s") << 44999LL << 4.0;
        QTest::newRow("<90s") << 89999LL << 2.0;
        QTest::newRow("<300s") << 299999LL << 1.0;
        QTest::newRow("older") << 300000LL << 0.0;
    }
    void cancelPenaltiesFollowTheTable() {
        QFETCH(qint64, ageMs);
        QFETCH(double, penalty);
        QCOMPARE(kraken::OrderEntry::cancelPenalty(ageMs), penalty);
    }
};

QTEST_GUILESS_MAIN(TestKrakenRateCounter)
#include "tst_krakenratecounter.moc"
