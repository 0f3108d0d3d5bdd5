// The lock-free hand-off under every inbox and action queue: nothing lost, nothing duplicated,
// each producer's order kept, causality across producers kept, and a seal that is exact.
#include "engine/mpscqueue.h"

#include <QTest>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using namespace md;

namespace {
struct Item {
    int producer = -1;
    std::uint64_t seq = 0;
    std::string payload; // not trivially copyable: exercises construction and destruction in slots
};
/// Counts live instances: a leaked or doubly destroyed item shows in `live`.
struct Counted {
    static inline int live = 0;
    Counted() { ++live; }
    Counted(const Counted&) { ++live; }
    Counted(Counted&&) noexcept { ++live; }
    Counted& operator=(const Counted&) = default;
    Counted& operator=(Counted&&) noexcept = default;
    ~Counted() { --live; }
};
} // namespace

class TestMpscQueue : public QObject {
    Q_OBJECT
private slots:
    void singleThreadFifoAcrossSegments() {
        MpscQueue<Item, 4> q; // tiny segments: every fifth position is a segment boundary
        Item out;
        QVERIFY(!q.tryPop(out));
        QVERIFY(!q.hasPending());
        for (int round = 0; round < 3; ++round) {
            for (std::uint64_t i = 0; i < 37; ++i)
                QVERIFY(q.push(Item{0, i, std::to_string(i)}));
            QCOMPARE(q.peek()->seq, 0u);
            for (std::uint64_t i = 0; i < 37; ++i) {
                QVERIFY(q.tryPop(out));
                QCOMPARE(out.seq, i);
                QCOMPARE(out.payload, std::to_string(i));
            }
            QVERIFY(!q.tryPop(out));
            QVERIFY(!q.hasPending());
        }
        QCOMPARE(q.pushed(), 3u * 37u);
    }

    void manyProducersLoseNothingAndKeepEachProducersOrder() {
        constexpr int kProducers = 4;
        constexpr std::uint64_t kEach = 100000;
        MpscQueue<Item, 8> q;
        std::vector<std::thread> producers;
        for (int p = 0; p < kProducers; ++p)
            producers.emplace_back([&q, p] {
                for (std::uint64_t i = 0; i < kEach; ++i)
                    while (!q.push(Item{p, i, {}})) {
                    }
            });
        std::vector<std::uint64_t> next(kProducers, 0);
        std::uint64_t total = 0;
        bool ordered = true;
        Item out;
        while (total < kProducers * kEach) {
            if (!q.tryPop(out)) {
                std::this_thread::yield();
                continue;
            }
            ordered = ordered && out.seq == next[out.producer];
            next[out.producer] = out.seq + 1;
            ++total;
        }
        for (auto& t : producers)
            t.join();
        QVERIFY(ordered);
        for (int p = 0; p < kProducers; ++p)
            QCOMPARE(next[p], kEach);
        QVERIFY(!q.tryPop(out));
        QVERIFY(!q.hasPending());
    }

    // The simulated exchange's case: the executor fires Placed, then (after its push returned) the
    // producer thread fires the Fill it caused. The fill must never be delivered first.
    void anEventPushedAfterAnotherReturnedIsDeliveredAfterIt() {
        constexpr std::uint64_t kOrders = 50000;
        MpscQueue<Item, 16> q;
        std::atomic<std::uint64_t> placed{0};
        std::thread executor([&] {
            for (std::uint64_t i = 1; i <= kOrders; ++i) {
                q.push(Item{0, i, {}});
                placed.store(i, std::memory_order_release);
            }
        });
        std::thread producer([&] {
            for (std::uint64_t i = 1; i <= kOrders; ++i) {
                while (placed.load(std::memory_order_acquire) < i) {
                }
                q.push(Item{1, i, {}});
            }
        });
        std::uint64_t placedSeen = 0, filledSeen = 0;
        bool causal = true;
        Item out;
        while (filledSeen < kOrders) {
            if (!q.tryPop(out))
                continue;
            if (out.producer == 0)
                placedSeen = out.seq;
            else
                causal = causal && out.seq <= placedSeen && out.seq == ++filledSeen;
        }
        executor.join();
        producer.join();
        QVERIFY(causal);
        QCOMPARE(placedSeen, kOrders);
    }

    // Every push that returned true is consumed before drained() says so; every later one is refused.
    void sealIsExact() {
        for (int run = 0; run < 20; ++run) {
            MpscQueue<Item, 8> q;
            std::atomic<std::uint64_t> accepted{0};
            std::atomic<bool> go{false};
            std::vector<std::thread> producers;
            for (int p = 0; p < 3; ++p)
                producers.emplace_back([&, p] {
                    while (!go.load()) {
                    }
                    for (std::uint64_t i = 0;; ++i) {
                        if (!q.push(Item{p, i, "x"}))
                            return;
                        accepted.fetch_add(1);
                    }
                });
            go = true;
            std::uint64_t consumed = 0;
            Item out;
            while (consumed < 2000)
                consumed += q.tryPop(out);
            q.seal();
            QVERIFY(q.isSealed());
            while (!q.drained())
                consumed += q.tryPop(out);
            for (auto& t : producers)
                t.join();
            QCOMPARE(consumed, accepted.load());
            QVERIFY(!q.push(Item{}));
            QVERIFY(!q.tryPop(out));
        }
    }

    void itemsLeftInTheQueueAreDestroyedWithIt() {
        // Every item built in a slot is destroyed exactly once: when popped, or with the queue.
        {
            MpscQueue<Counted, 4> q;
            for (int i = 0; i < 23; ++i)
                q.push(Counted{});
            QCOMPARE(Counted::live, 23);
            Counted out; // +1
            QVERIFY(q.tryPop(out));
            QCOMPARE(Counted::live, 23); // 22 queued + out
        }
        QCOMPARE(Counted::live, 0);
    }
};

QTEST_APPLESS_MAIN(TestMpscQueue)
#include "tst_mpscqueue.moc"
