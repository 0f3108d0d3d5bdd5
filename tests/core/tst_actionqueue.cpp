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
        QCOMPARE(queue.depth(), 0u);
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
        auto queue = std::make_shared<ActionQueue>(counters);
        counters->setQueue(queue);
        QCOMPARE(counters->pendingActions(), 0u);
        QCOMPARE(counters->oldestPendingNs(), 0);
        const auto before = steadyNowNs();
        queue->push(Action{CancelOrder{1}});
        const auto between = steadyNowNs();
        queue->push(Action{CancelOrder{2}});
        QCOMPARE(counters->queueDepth(), 2u);
        QCOMPARE(counters->pendingActions(), 2u);
        QVERIFY(counters->oldestPendingNs() >= before);
        QVERIFY(counters->oldestPendingNs() <= between);
        // The executor takes one: it is in flight, and still the oldest pending.
        std::vector<Action> batch;
        QVERIFY(queue->popBatch(batch, 1));
        QCOMPARE(counters->queueDepth(), 1u);
        QCOMPARE(counters->pendingActions(), 2u);
        QVERIFY(counters->oldestPendingNs() <= between);
        counters->inFlight.store(0);
        QVERIFY(counters->oldestPendingNs() >= between);
        auto rest = queue->takeRemaining();
        QCOMPARE(rest.size(), 1u);
        QCOMPARE(counters->queueDepth(), 0u);
        QCOMPARE(counters->oldestPendingNs(), 0);
    }

    // The event network and the engine thread both push; the executor sleeps whenever it catches up.
    // Every accepted action is executed exactly once, in each pusher's order, and the depth returns to 0.
    void twoPushersASleepingExecutorAndASealLoseNothing() {
        for (int run = 0; run < 10; ++run) {
            auto counters = std::make_shared<MarketCounters>();
            ActionQueue queue(counters);
            std::atomic<std::uint64_t> accepted{0};
            std::vector<std::thread> pushers;
            for (int p = 0; p < 2; ++p)
                pushers.emplace_back([&, p] {
                    for (ClientOrderId i = 1;; ++i) {
                        if (!queue.push(Action{CancelOrder{i * 2 + p}}))
                            return;
                        accepted.fetch_add(1);
                        if (i % 64 == 0)
                            std::this_thread::yield(); // let the executor run dry and sleep
                    }
                });
            std::uint64_t executed = 0;
            ClientOrderId last[2] = {0, 0};
            bool ordered = true;
            std::thread executor([&] {
                std::vector<Action> batch;
                while (queue.popBatch(batch, 64)) {
                    for (const auto& a : batch) {
                        const auto id = std::get<CancelOrder>(a.kind).id;
                        ordered = ordered && id > last[id % 2];
                        last[id % 2] = id;
                    }
                    executed += batch.size();
                    batch.clear();
                    counters->inFlight.store(0); // as the executor thread does after each batch
                }
            });
            QTRY_VERIFY(accepted.load() > 20000);
            queue.seal();
            for (auto& t : pushers)
                t.join();
            executor.join();
            QVERIFY(ordered);
            QCOMPARE(executed, accepted.load());
            QCOMPARE(queue.depth(), 0u);
            QCOMPARE(queue.oldestQueuedNs(), 0);
            QCOMPARE(counters->oldestPendingNs(), 0);
        }
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
