#include "domain/orderbook.h"

#include <QTest>

#include <map>
#include <random>

using namespace md;

namespace {
Price px(const char* s) {
    return *Price::parse(s, 2);
}
Quantity qty(const char* s) {
    return *Quantity::parse(s, 4);
}
} // namespace

class TestOrderBook : public QObject {
    Q_OBJECT
private slots:
    void snapshotSortsSides() {
        OrderBook book(2, 4);
        QVERIFY(book.applySnapshot({{px("99.00"), qty("1")}, {px("100.00"), qty("2")}},
                                   {{px("102.00"), qty("1")}, {px("101.00"), qty("3")}}, 42));
        QCOMPARE(book.bestBid()->price, px("100.00"));
        QCOMPARE(book.bestAsk()->price, px("101.00"));
        QCOMPARE(book.level(Side::Ask, 1)->price, px("102.00"));
        QCOMPARE(book.lastUpdateId(), 42u);
        QCOMPARE(book.mid()->toString(), std::string("100.500"));
        QVERIFY(!book.isCrossed());
    }

    void deltaInsertsUpdatesAndRemoves() {
        OrderBook book(2, 4);
        book.applySnapshot({{px("100.00"), qty("1")}}, {{px("101.00"), qty("1")}}, 1);
        QVERIFY(book.applyChange(Side::Bid, px("100.50"), qty("2")));
        QCOMPARE(book.bestBid()->price, px("100.50"));
        QVERIFY(book.applyChange(Side::Bid, px("100.50"), qty("0.5")));
        QCOMPARE(book.bestBid()->quantity, qty("0.5"));
        QVERIFY(book.applyChange(Side::Bid, px("100.50"), qty("0")));
        QCOMPARE(book.bestBid()->price, px("100.00"));
        QVERIFY(book.applyChange(Side::Ask, px("105.00"), qty("0"))); // removing a missing level is harmless
        QCOMPARE(book.depth(Side::Ask), 1u);
    }

    // A real book holds levels finer than today's tick and step (orders from before a precision
    // change): kept exactly, the book widening its scales, never refused (issue 13, part 3).
    void keepsLevelsFinerThanTheBookByWidening() {
        OrderBook book(2, 0);
        QVERIFY(book.applySnapshot(
            {{px("100.00"), *Quantity::parse("5")}, {*Price::parse("99.995"), *Quantity::parse("11979.3")}},
            {{px("101.00"), *Quantity::parse("1")}}, 7));
        QCOMPARE(book.priceScale(), 3);
        QCOMPARE(book.quantityScale(), 1);
        QCOMPARE(book.level(Side::Bid, 1)->price.toString(), std::string("99.995"));
        QCOMPARE(book.level(Side::Bid, 1)->quantity.toString(), std::string("11979.3"));
        QCOMPARE(book.bestBid()->price, px("100.00"));
        QVERIFY(book.applyChange(Side::Ask, *Price::parse("100.50000000"), *Quantity::parse("0.00000001")));
        QCOMPARE(book.priceScale(), 8);
        QCOMPARE(book.bestAsk()->price.toString(), std::string("100.50000000"));
        QCOMPARE(book.level(Side::Bid, 1)->quantity, *Quantity::parse("11979.3"));
        QVERIFY(book.applyChange(Side::Bid, px("100.00"), qty("0"))); // coarser changes still apply
        QCOMPARE(book.bestBid()->price, *Price::parse("99.995"));
    }

    void refusesWhatWouldOverflow() {
        OrderBook book(2, 4);
        QVERIFY(book.applyChange(Side::Bid, *Price::parse("90000000000.00"), qty("1")));
        QVERIFY(!book.applyChange(Side::Bid, *Price::parse("100.00000000001"), qty("1"))); // 9e10 at scale 11
        QCOMPARE(book.depth(Side::Bid), 1u);
        QCOMPARE(book.priceScale(), 2);
    }

    void detectsCrossedBook() {
        OrderBook book(2, 4);
        book.applySnapshot({{px("101.00"), qty("1")}}, {{px("100.00"), qty("1")}}, 1);
        QVERIFY(book.isCrossed());
    }

    // The vector book against a std::map model over many random changes.
    void matchesReferenceModel() {
        std::mt19937 rng(12345);
        OrderBook book(2, 4);
        std::map<std::int64_t, std::int64_t, std::greater<>> bids;
        std::map<std::int64_t, std::int64_t> asks;
        for (int i = 0; i < 20000; ++i) {
            const Side side = rng() % 2 ? Side::Bid : Side::Ask;
            const std::int64_t price = 10000 + static_cast<std::int64_t>(rng() % 200);
            const std::int64_t q = rng() % 4 == 0 ? 0 : 1 + static_cast<std::int64_t>(rng() % 1000);
            book.applyRaw(side, price, q);
            auto apply = [&](auto& m) {
                if (q == 0)
                    m.erase(price);
                else
                    m[price] = q;
            };
            side == Side::Bid ? apply(bids) : apply(asks);
        }
        QCOMPARE(book.depth(Side::Bid), bids.size());
        QCOMPARE(book.depth(Side::Ask), asks.size());
        std::size_t i = 0;
        for (auto [p, q] : bids) {
            QCOMPARE(book.rawSide(Side::Bid)[i].price, p);
            QCOMPARE(book.rawSide(Side::Bid)[i].quantity, q);
            ++i;
        }
        i = 0;
        for (auto [p, q] : asks) {
            QCOMPARE(book.rawSide(Side::Ask)[i].price, p);
            ++i;
        }
    }
};

QTEST_APPLESS_MAIN(TestOrderBook)
#include "tst_orderbook.moc"
