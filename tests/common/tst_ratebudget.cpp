// RateBudget: quotas per key in fixed windows aligned to the clock, checked together, slowing down
// before the limit, raised by what the exchange reports, paused by a 429; one budget shared by
// several markets (threads) of one host never grants more than its allowance.
#include "common/ratebudget.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace md::venue;

class TestRateBudget : public QObject {
    Q_OBJECT
private slots:
    void grantsUntilTheHeadroomThenWaitsForTheNextWindow() {
        auto clock = std::make_shared<ManualClock>(60'000 * 1000); // on a minute boundary
        RateBudget budget("api.example", clock, 0.9);
        budget.setQuota("weight", 100, 60'000);
        for (int i = 0; i < 9; ++i)
            QVERIFY(budget.tryAcquire({{"weight", 10}}).granted);
        clock->advance(15'000);
        const auto refused = budget.tryAcquire({{"weight", 10}}); // would reach 100 > 90
        QVERIFY(!refused.granted);
        QCOMPARE(refused.waitMs, 45'000);
        QVERIFY2(refused.reason.find("weight 90 of 100") != std::string::npos, refused.reason.c_str());
        clock->advance(45'000); // the next minute: the count starts over
        QVERIFY(budget.tryAcquire({{"weight", 10}}).granted);
        QCOMPARE(budget.usage().front().used, 10);
    }

    void costsAreAllOrNothing() {
        auto clock = std::make_shared<ManualClock>(0);
        RateBudget budget("h", clock, 1.0);
        budget.setQuota("weight", 100, 60'000);
        budget.setQuota("orders", 2, 10'000);
        QVERIFY(budget.tryAcquire({{"weight", 1}, {"orders", 1}}).granted);
        QVERIFY(budget.tryAcquire({{"weight", 1}, {"orders", 1}}).granted);
        const auto third = budget.tryAcquire({{"weight", 1}, {"orders", 1}});
        QVERIFY(!third.granted);
        QCOMPARE(third.waitMs, 10'000);
        for (const auto& u : budget.usage())
            if (u.key == "weight")
                QCOMPARE(u.used, 2);                         // the refused request counted nothing
        QVERIFY(budget.tryAcquire({{"weight", 5}}).granted); // weight alone still passes
        budget.refund({{"orders", 1}});
        QVERIFY(budget.tryAcquire({{"orders", 1}}).granted);
        QVERIFY(budget.tryAcquire({{"unlimited", 1000}}).granted); // no quota, no limit
    }

    void whatTheExchangeCountedRaisesOurCount() {
        auto clock = std::make_shared<ManualClock>(0);
        RateBudget budget("h", clock, 0.9);
        budget.setQuota("weight", 6000, 60'000);
        QVERIFY(budget.tryAcquire({{"weight", 1}}).granted);
        budget.observe("weight", 5395); // other programs on this IP, or another connection
        QVERIFY(budget.tryAcquire({{"weight", 5}}).granted);
        QVERIFY(!budget.tryAcquire({{"weight", 1}}).granted); // 5400 is 90 %
        budget.observe("weight", 10);                         // never lowers
        QVERIFY(!budget.tryAcquire({{"weight", 1}}).granted);
    }

    void aPauseHoldsEveryRequestUntilItsEnd() {
        auto clock = std::make_shared<ManualClock>(1000);
        RateBudget budget("api.example", clock);
        budget.setQuota("weight", 6000, 60'000);
        budget.pauseUntil(4000, "HTTP 429 from api.example");
        const auto held = budget.tryAcquire({{"weight", 1}});
        QVERIFY(!held.granted);
        QCOMPARE(held.waitMs, 3000);
        QCOMPARE(held.reason, std::string("HTTP 429 from api.example"));
        budget.pauseUntil(2000, "shorter"); // never shortens a pause
        QCOMPARE(budget.pausedUntilMs(), 4000);
        clock->set(4000);
        QVERIFY(budget.tryAcquire({{"weight", 1}}).granted);
        QCOMPARE(budget.pauses(), 1u);
    }

    void registryHandsEveryMarketOfAHostTheSameBudget() {
        RateBudgetRegistry registry(std::make_shared<ManualClock>(0));
        auto a = registry.budget("api.binance.com");
        auto b = registry.budget("api.binance.com");
        auto c = registry.budget("testnet.binance.vision");
        QCOMPARE(a.get(), b.get());
        QVERIFY(a.get() != c.get());
    }

    void marketsOnSeveralThreadsNeverExceedTheAllowance() {
        auto clock = std::make_shared<ManualClock>(0);
        auto budget = std::make_shared<RateBudget>("h", clock, 0.9);
        budget->setQuota("weight", 1000, 60'000);
        std::atomic<int> granted{0};
        std::vector<std::thread> markets;
        for (int t = 0; t < 4; ++t)
            markets.emplace_back([&] {
                for (int i = 0; i < 500; ++i)
                    if (budget->tryAcquire({{"weight", 1}}).granted)
                        granted.fetch_add(1);
            });
        for (auto& m : markets)
            m.join();
        QCOMPARE(granted.load(), 900);
    }
};

QTEST_GUILESS_MAIN(TestRateBudget)
#include "tst_ratebudget.moc"
