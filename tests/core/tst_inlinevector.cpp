// The strategy's action list: inline for the usual zero to two actions, on the heap beyond, and a
// std::vector in behaviour (order, copies, moves, destruction). Also the event network's other
// small container, the BoundedRing of the tape: the last N appended, oldest first.
#include "domain/boundedring.h"
#include "domain/inlinevector.h"

#include <QTest>

#include <memory>
#include <string>
#include <vector>

using namespace md;

namespace {
/// Counts live instances, so a leak or a double destruction shows.
struct Tracked {
    static inline int live = 0;
    std::string text;
    explicit Tracked(std::string t)
        : text(std::move(t)) {
        ++live;
    }
    Tracked(const Tracked& o)
        : text(o.text) {
        ++live;
    }
    Tracked(Tracked&& o) noexcept
        : text(std::move(o.text)) {
        ++live;
    }
    Tracked& operator=(const Tracked&) = default;
    Tracked& operator=(Tracked&&) noexcept = default;
    ~Tracked() { --live; }
};
} // namespace

class TestInlineVector : public QObject {
    Q_OBJECT
private slots:
    void init() { Tracked::live = 0; }

    void keepsOrderInlineAndOnTheHeap() {
        {
            InlineVector<Tracked, 2> v;
            QVERIFY(v.empty());
            for (int i = 0; i < 7; ++i) {
                v.emplace_back(std::to_string(i) + std::string(40, 'x')); // beyond the small-string buffer
                QCOMPARE(v.size(), std::size_t(i + 1));
                QVERIFY(v.capacity() >= v.size());
            }
            QCOMPARE(Tracked::live, 7);
            int i = 0;
            for (const auto& t : v)
                QCOMPARE(t.text, std::to_string(i++) + std::string(40, 'x'));
            QCOMPARE(v.front().text.front(), '0');
            QCOMPARE(v.back().text.front(), '6');
            v.clear();
            QVERIFY(v.empty());
            QCOMPARE(Tracked::live, 0);
            v.push_back(Tracked("again")); // reuses the heap buffer
            QCOMPARE(v[0].text, std::string("again"));
        }
        QCOMPARE(Tracked::live, 0);
    }

    void pushingAnElementOfItselfWhileGrowing() {
        InlineVector<Tracked, 2> v;
        v.emplace_back("a");
        v.emplace_back("b");
        v.push_back(v[0]); // the growth moves v[0]: the copy must be taken first
        QCOMPARE(v.size(), std::size_t(3));
        QCOMPARE(v[2].text, std::string("a"));
        QCOMPARE(v[0].text, std::string("a"));
    }

    void copiesAndMovesBothInlineAndHeap() {
        for (int n : {0, 1, 2, 3, 9}) {
            InlineVector<Tracked, 2> original;
            for (int i = 0; i < n; ++i)
                original.emplace_back(std::to_string(i));
            InlineVector<Tracked, 2> copy(original);
            QCOMPARE(copy.size(), std::size_t(n));
            InlineVector<Tracked, 2> moved(std::move(copy));
            QCOMPARE(moved.size(), std::size_t(n));
            QVERIFY(copy.empty()); // NOLINT: a moved-from list is empty and usable
            copy.emplace_back("reused");
            QCOMPARE(copy.size(), std::size_t(1));
            InlineVector<Tracked, 2> assigned;
            assigned.emplace_back("overwritten");
            assigned = moved;
            QCOMPARE(assigned.size(), std::size_t(n));
            InlineVector<Tracked, 2> moveAssigned;
            for (int i = 0; i < 5; ++i)
                moveAssigned.emplace_back("heap");
            moveAssigned = std::move(assigned);
            QCOMPARE(moveAssigned.size(), std::size_t(n));
            for (int i = 0; i < n; ++i) {
                QCOMPARE(original[i].text, std::to_string(i));
                QCOMPARE(moved[i].text, std::to_string(i));
                QCOMPARE(moveAssigned[i].text, std::to_string(i));
            }
        }
        QCOMPARE(Tracked::live, 0);
    }

    void initializerListAndReserve() {
        InlineVector<int, 2> v{1, 2, 3, 4};
        QCOMPARE(v.size(), std::size_t(4));
        QCOMPARE(v[3], 4);
        v.reserve(100);
        QVERIFY(v.capacity() >= 100);
        QCOMPARE(v[0], 1);
    }

    void boundedRingKeepsTheLastItemsOldestFirst() {
        BoundedRing<int, 3> ring;
        auto items = [&] {
            std::vector<int> out;
            ring.forEach([&](int& i) { out.push_back(i); });
            return out;
        };
        QVERIFY(ring.empty());
        ring.push_back(1);
        ring.push_back(2);
        QCOMPARE(items(), (std::vector<int>{1, 2}));
        ring.push_back(3);
        ring.push_back(4); // overwrites 1
        QCOMPARE(ring.size(), std::size_t(3));
        QCOMPARE(items(), (std::vector<int>{2, 3, 4}));
        for (int i = 5; i <= 10; ++i) // around the ring twice
            ring.push_back(i);
        QCOMPARE(items(), (std::vector<int>{8, 9, 10}));
        QCOMPARE(ring[0], 8);
        ring[2] = 11; // items are reachable for in-place updates (the tape's wall-clock stamp)
        QCOMPARE(items(), (std::vector<int>{8, 9, 11}));
        BoundedRing<Tracked, 2> tracked;
        for (int i = 0; i < 5; ++i)
            tracked.push_back(Tracked(std::to_string(i)));
        QCOMPARE(tracked[0].text, std::string("3"));
        QCOMPARE(tracked[1].text, std::string("4"));
    }
};

QTEST_APPLESS_MAIN(TestInlineVector)
#include "tst_inlinevector.moc"
