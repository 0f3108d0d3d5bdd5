#include "sim/simbookgenerator.h"

#include "domain/orderbook.h"

#include <QTest>

using namespace md;

namespace {
// Replays the generator's messages into a real OrderBook, as the connector does.
void applyMessages(OrderBook& book, const std::vector<SimMessage>& messages) {
    for (const auto& m : messages)
        if (const auto* d = std::get_if<SimDepth>(&m))
            book.applyRaw(d->side, d->price, d->quantity);
}
} // namespace

class TestSimBookGenerator : public QObject {
    Q_OBJECT
private slots:
    void bookIsDeepOnTickAndNeverCrossed() {
        SimBookGenerator gen(42, 1000000, 5, 100, 25, 2, 0.3);
        OrderBook book(2, 4);
        auto snap = gen.snapshot();
        std::vector<BookLevel> bids, asks;
        for (auto [p, q] : snap.bids)
            bids.push_back({Price(p, 2), Quantity(q, 4)});
        for (auto [p, q] : snap.asks)
            asks.push_back({Price(p, 2), Quantity(q, 4)});
        book.applySnapshot(bids, asks, snap.seq);
        int trades = 0;
        std::vector<SimMessage> out;
        for (int i = 0; i < 20000; ++i) {
            out.clear();
            gen.step(out);
            applyMessages(book, out);
            for (const auto& m : out)
                trades += std::holds_alternative<SimTrade>(m);
            QVERIFY(book.depth(Side::Bid) >= 20);
            QVERIFY(book.depth(Side::Ask) >= 20);
            QVERIFY(!book.isCrossed());
        }
        QVERIFY(trades > 1000);
        for (Side side : {Side::Bid, Side::Ask})
            for (const auto& l : book.rawSide(side))
                QCOMPARE(l.price % 5, 0);
        QCOMPARE(book.bestBid()->price.units(), *gen.bestBid());
    }

    void deterministicForASeed() {
        auto run = [](std::uint64_t seed) {
            SimBookGenerator gen(seed, 1000000, 1, 100, 20, 2, 0.2);
            std::vector<SimMessage> out;
            for (int i = 0; i < 500; ++i)
                gen.step(out);
            std::string text;
            for (const auto& m : out)
                text += encodeSimMessage(m) + "\n";
            return text;
        };
        QCOMPARE(run(7), run(7));
        QVERIFY(run(7) != run(8));
    }

    void takeConsumesLevelsUpToTheLimit() {
        SimBookGenerator gen(1, 1000000, 1, 100, 20, 2, 0.2);
        const auto ask = *gen.bestAsk();
        std::vector<SimMessage> out;
        const auto fills = gen.take(Side::Bid, ask, 1'000'000'000, out);
        QCOMPARE(fills.size(), 1u); // only the best level is within the limit
        QCOMPARE(fills[0].first, ask);
        QVERIFY(*gen.bestAsk() > ask);
    }
};

QTEST_APPLESS_MAIN(TestSimBookGenerator)
#include "tst_simbookgenerator.moc"
