#include "engine/actionqueue.h"
#include "engine/latencyrecorder.h"
#include "engine/marketcounters.h"

#include <QTest>

#include <random>
#include <thread>

using namespace md;

namespace {
/// The executor's loop, as ExecutorThread runs it: claim, begin, (the connector), finish.
template <class Execute> std::uint64_t runExecutor(ActionQueue& queue, Execute&& execute) {
    std::uint64_t begun = 0;
    Action action;
    while (queue.claim(action)) {
        if (!queue.begin())
            break;
        ++begun;
        execute(action);
        if (!queue.finish())
            break;
    }
    return begun;
}
} // namespace

class TestActionQueue : public QObject {
    Q_OBJECT
private slots:
    void fifoAcrossThreads() {
        ActionQueue queue;
        std::vector<ClientOrderId> seen;
        std::thread consumer(
            [&] { runExecutor(queue, [&](const Action& a) { seen.push_back(std::get<CancelOrder>(a.kind).id); }); });
        for (ClientOrderId i = 1; i <= 10000; ++i)
            QVERIFY(queue.push(Action{CancelOrder{i}}) == ActionQueue::Push::Queued);
        queue.seal();
        consumer.join();
        QCOMPARE(seen.size(), 10000u);
        for (std::size_t i = 0; i < seen.size(); ++i)
            QCOMPARE(seen[i], ClientOrderId(i + 1));
        QCOMPARE(queue.depth(), 0u);
        QCOMPARE(queue.tally().executed, 10000u);
    }

    void sealedQueueRefusesAndDrains() {
        ActionQueue queue;
        queue.push(Action{CancelAll{}});
        queue.push(Action{CancelOrder{7}});
        queue.seal();
        Action refused{CancelOrder{8}};
        QVERIFY(queue.push(std::move(refused)) == ActionQueue::Push::Sealed);
        QCOMPARE(std::get<CancelOrder>(refused.kind).id, 8u); // a refused action is left intact to report
        Action a;
        QVERIFY(queue.claim(a) && queue.begin() && queue.finish());
        QVERIFY(queue.claim(a) && queue.begin() && queue.finish());
        QVERIFY(!queue.claim(a)); // sealed and empty: the executor stops
    }

    // The market's stop has begun: placements are refused (atomically with every push), cancels pass.
    void closedToPlacementsPassesCancels() {
        ActionQueue queue;
        QVERIFY(queue.push(Action{PlaceLimit{Side::Bid, Price(100, 2), Quantity(1, 0), 1}}) ==
                ActionQueue::Push::Queued);
        queue.closeToPlacements();
        QVERIFY(!queue.acceptsPlacements());
        QVERIFY(queue.push(Action{PlaceLimit{Side::Bid, Price(100, 2), Quantity(1, 0), 2}}) ==
                ActionQueue::Push::PlacementsClosed);
        QVERIFY(queue.push(Action{CancelAll{}}) == ActionQueue::Push::Queued);
        QCOMPARE(queue.depth(), 2u);
        queue.seal();
        QVERIFY(queue.push(Action{CancelAll{}}) == ActionQueue::Push::Sealed);
    }

    void reportsDepthAndOldestAgeThroughItsRun() {
        auto counters = std::make_shared<MarketCounters>();
        auto queue = std::make_shared<ActionQueue>();
        counters->beginRun(queue, std::make_shared<LatencyRecorder>());
        QCOMPARE(counters->pendingActions(), 0u);
        QCOMPARE(counters->oldestPendingNs(), 0);
        const auto before = steadyNowNs();
        queue->push(Action{CancelOrder{1}});
        const auto between = steadyNowNs();
        queue->push(Action{CancelOrder{2}});
        queue->push(Action{CancelOrder{3}});
        QCOMPARE(counters->pendingActions(), 3u);
        QVERIFY(counters->oldestPendingNs() >= before);
        QVERIFY(counters->oldestPendingNs() <= between);
        // The executor claims one: still pending, and still the oldest.
        Action a;
        QVERIFY(queue->claim(a));
        QCOMPARE(counters->pendingActions(), 3u);
        QVERIFY(counters->oldestPendingNs() <= between);
        QVERIFY(queue->begin());
        QVERIFY(queue->isExecuting());
        QVERIFY(queue->finish());
        QCOMPARE(counters->pendingActions(), 2u);
        QVERIFY(counters->oldestPendingNs() >= between);
        // The second is in the connector's hands when the run is taken back: outcome unknown; the
        // third never reached it: not executed.
        QVERIFY(queue->claim(a));
        QVERIFY(queue->begin());
        const ActionQueue::Revoked revoked = counters->revokeRun();
        QVERIFY(revoked.first);
        QVERIFY(revoked.unknown && std::get<CancelOrder>(revoked.unknown->kind).id == 2);
        QCOMPARE(revoked.notExecuted.size(), 1u);
        QVERIFY(!queue->finish()); // counted as unknown, never as executed too
        QCOMPARE(counters->pendingActions(), 0u);
        QCOMPARE(counters->oldestPendingNs(), 0);
        QVERIFY(!counters->revokeRun().first); // a second revoke takes nothing
        const ActionQueue::Tally run = counters->endRun();
        QCOMPARE(run.executed, 1u);
        QCOMPARE(run.unknown, 1u);
        QCOMPARE(run.notExecuted, 1u);
        // The next run starts from zero; the totals keep the earlier run.
        auto next = std::make_shared<ActionQueue>();
        counters->beginRun(next, std::make_shared<LatencyRecorder>());
        QCOMPARE(next->tally().executed, 0u);
        QCOMPARE(counters->actions().tally.executed, 1u);
    }

    // A claimed action revoked before it begins never begins: "not executed" is the truth.
    void revokedBeforeBeginNeverExecutes() {
        ActionQueue queue;
        queue.push(Action{CancelOrder{1}});
        Action a;
        QVERIFY(queue.claim(a));
        const auto revoked = queue.revoke();
        QCOMPARE(revoked.notExecuted.size(), 1u);
        QVERIFY(!revoked.unknown);
        QVERIFY(!queue.begin());
        QVERIFY(!queue.claim(a));
        QCOMPARE(queue.tally().executed, 0u);
    }

    // The executor and a revoke race at every point of the loop: each accepted action ends in
    // exactly one bucket, and every action the executor began is executed or unknown, never "not
    // executed".
    void revokeRacingTheExecutorCountsEachActionOnce() {
        std::mt19937 random(11);
        for (int run = 0; run < 300; ++run) {
            ActionQueue queue;
            std::uint64_t accepted = 0;
            for (ClientOrderId i = 1; i <= 200; ++i)
                accepted += queue.push(Action{CancelOrder{i}}) == ActionQueue::Push::Queued;
            std::atomic<std::uint64_t> begun{0};
            const int spin = static_cast<int>(random() % 200);
            std::thread executor([&] {
                begun = runExecutor(queue, [&](const Action&) {
                    for (volatile int k = 0; k < spin; k = k + 1) {
                    }
                });
            });
            std::this_thread::sleep_for(std::chrono::microseconds(random() % 300));
            const auto revoked = queue.revoke();
            executor.join();
            const auto t = queue.tally();
            QCOMPARE(t.executed + t.notExecuted + t.unknown, accepted);
            QCOMPARE(t.notExecuted, revoked.notExecuted.size());
            QCOMPARE(t.unknown, revoked.unknown ? 1u : 0u);
            QCOMPARE(begun.load(), t.executed + t.unknown);
            QCOMPARE(queue.depth(), 0u);
        }
    }

    // The event network and the engine thread both push; the executor sleeps whenever it catches up.
    // Every accepted action is executed exactly once, in each pusher's order, and the depth returns to 0.
    void twoPushersASleepingExecutorAndASealLoseNothing() {
        for (int run = 0; run < 10; ++run) {
            ActionQueue queue;
            std::atomic<std::uint64_t> accepted{0};
            std::vector<std::thread> pushers;
            for (int p = 0; p < 2; ++p)
                pushers.emplace_back([&, p] {
                    for (ClientOrderId i = 1;; ++i) {
                        if (queue.push(Action{CancelOrder{i * 2 + p}}) != ActionQueue::Push::Queued)
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
                executed = runExecutor(queue, [&](const Action& a) {
                    const auto id = std::get<CancelOrder>(a.kind).id;
                    ordered = ordered && id > last[id % 2];
                    last[id % 2] = id;
                });
            });
            QTRY_VERIFY(accepted.load() > 20000);
            queue.seal();
            for (auto& t : pushers)
                t.join();
            executor.join();
            QVERIFY(ordered);
            QCOMPARE(executed, accepted.load());
            QCOMPARE(queue.tally().executed, accepted.load());
            QCOMPARE(queue.depth(), 0u);
            QCOMPARE(queue.oldestPendingNs(), 0);
        }
    }

    void sealWakesASleepingExecutor() {
        ActionQueue queue;
        std::atomic<bool> done{false};
        std::thread consumer([&] {
            runExecutor(queue, [](const Action&) {});
            done = true;
        });
        QTest::qWait(20); // let it block in claim()
        queue.seal();
        consumer.join();
        QVERIFY(done);
    }

    void revokeWakesASleepingExecutor() {
        ActionQueue queue;
        std::atomic<bool> done{false};
        std::thread consumer([&] {
            runExecutor(queue, [](const Action&) {});
            done = true;
        });
        QTest::qWait(20);
        QVERIFY(queue.revoke().first);
        consumer.join();
        QVERIFY(done);
    }

    // The write-ahead barrier refuses a claimed placement (journal failed or behind): drop() counts it
    // not executed and the executor goes on with the next; a revoke after it does not count it again.
    void droppedActionIsNotExecutedAndTheNextOneRuns() {
        ActionQueue queue;
        queue.push(Action{CancelOrder{1}});
        queue.push(Action{CancelOrder{2}});
        Action a;
        QVERIFY(queue.claim(a));
        QVERIFY(queue.drop());
        QVERIFY(queue.claim(a));
        QCOMPARE(std::get<CancelOrder>(a.kind).id, ClientOrderId(2));
        QVERIFY(queue.begin());
        QVERIFY(queue.finish());
        QVERIFY(queue.revoke().notExecuted.empty());
        QCOMPARE(queue.tally().executed, 1u);
        QCOMPARE(queue.tally().notExecuted, 1u);
        QCOMPARE(queue.depth(), 0u);
    }

    // A revoke first: the claimed action is the revoke's (not executed once), drop() refuses.
    void dropAfterARevokeCountsNothing() {
        ActionQueue queue;
        int heard = 0;
        queue.setRevokeListener([&] { ++heard; });
        queue.push(Action{CancelOrder{1}});
        Action a;
        QVERIFY(queue.claim(a));
        QCOMPARE(queue.revoke().notExecuted.size(), 1u);
        QVERIFY(!queue.drop());
        QCOMPARE(queue.tally().notExecuted, 1u);
        QVERIFY(!queue.revoke().first);
        QCOMPARE(heard, 1); // the listener (the barrier's wake-up) is called by the first revoke only
    }
};

QTEST_APPLESS_MAIN(TestActionQueue)
#include "tst_actionqueue.moc"
