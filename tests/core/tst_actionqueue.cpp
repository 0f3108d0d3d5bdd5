#include "engine/actionqueue.h"
#include "engine/marketcounters.h"

#include <QTest>

#include <thread>

using namespace md;

class TestActionQueue : public QObject {
    Q_OBJECT
private slots:
    void fifoAcrossThreads() {
        auto counters = std::make_shared<MarketCounters>();
        ActionQueue queue(counters);
        std::vector<ClientOrderId> seen;
        std::thread consumer([&] {
            while (auto a = queue.pop())
                seen.push_back(std::get<CancelOrder>(a->kind).id);
        });
        for (ClientOrderId i = 1; i <= 10000; ++i)
            QVERIFY(queue.push(Action{CancelOrder{i}}));
        queue.seal();
        consumer.join();
        QCOMPARE(seen.size(), 10000u);
        for (std::size_t i = 0; i < seen.size(); ++i)
            QCOMPARE(seen[i], ClientOrderId(i + 1));
        QCOMPARE(counters->queueDepth.load(), 0u);
    }

    void sealedQueueRefusesAndDrains() {
        ActionQueue queue;
        queue.push(Action{CancelAll{}});
        queue.push(Action{CancelOrder{7}});
        queue.seal();
        QVERIFY(!queue.push(Action{CancelOrder{8}}));
        QVERIFY(queue.pop().has_value());
        QVERIFY(queue.pop().has_value());
        QVERIFY(!queue.pop().has_value()); // sealed and empty: the executor stops
    }

    void reportsDepthAndOldestAge() {
        auto counters = std::make_shared<MarketCounters>();
        ActionQueue queue(counters);
        const auto before = steadyNowNs();
        queue.push(Action{CancelOrder{1}});
        queue.push(Action{CancelOrder{2}});
        QCOMPARE(counters->queueDepth.load(), 2u);
        QVERIFY(counters->oldestQueuedNs.load() >= before);
        auto rest = queue.takeRemaining();
        QCOMPARE(rest.size(), 2u);
        QCOMPARE(counters->queueDepth.load(), 0u);
        QCOMPARE(counters->oldestQueuedNs.load(), 0);
    }

    void sealWakesASleepingExecutor() {
        ActionQueue queue;
        std::atomic<bool> done{false};
        std::thread consumer([&] {
            while (queue.pop()) {
            }
            done = true;
        });
        QTest::qWait(20); // let it block in pop()
        queue.seal();
        consumer.join();
        QVERIFY(done);
    }
};

QTEST_APPLESS_MAIN(TestActionQueue)
#include "tst_actionqueue.moc"
