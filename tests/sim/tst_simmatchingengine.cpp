#include "sim/simmatchingengine.h"

#include <QTest>

using namespace md;

namespace {

Instrument instrument() {
    Instrument i;
    i.symbol = "BTCUSDT";
    i.base = "BTC";
    i.quote = "USDT";
    i.tick = Price(1, 2);
    i.step = Quantity(1, 4);
    return i;
}

PlaceLimit order(ClientOrderId id, Side side, std::int64_t priceUnits, std::int64_t qtyUnits) {
    return PlaceLimit{side, Price(priceUnits, 2), Quantity(qtyUnits, 4), id};
}

// Checks DESIGN §1's per-order ordering: Placed first, fills, then exactly one Cancelled or Done.
void checkOrdering(const std::vector<TradingEventPayload>& events) {
    std::map<ClientOrderId, int> stage; // 0 none, 1 placed, 2 finished
    for (const auto& e : events) {
        std::visit(Overloaded{[&](const OrderPlaced& p) {
                                  QCOMPARE(stage[p.id], 0);
                                  stage[p.id] = 1;
                              },
                              [&](const OrderFilled& f) { QCOMPARE(stage[f.id], 1); },
                              [&](const OrderCancelled& c) {
                                  QCOMPARE(stage[c.id], 1);
                                  stage[c.id] = 2;
                              },
                              [&](const OrderDone& d) {
                                  QCOMPARE(stage[d.id], 1);
                                  stage[d.id] = 2;
                              },
                              [&](const OrderRejected& r) {
                                  QCOMPARE(stage[r.id], 0);
                                  stage[r.id] = 2;
                              },
                              [](const auto&) {}},
                   e);
    }
}

template <class T> std::vector<T> only(const std::vector<TradingEventPayload>& events) {
    std::vector<T> out;
    for (const auto& e : events)
        if (const auto* t = std::get_if<T>(&e))
            out.push_back(*t);
    return out;
}

} // namespace

class TestSimMatchingEngine : public QObject {
    Q_OBJECT
private slots:
    void restsThenFillsFromTheTradeFlow() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2); // mid 10000.00
        SimMatchingEngine engine(instrument(), {{"USDT", Decimal(100000, 0)}, {"BTC", Decimal(1, 0)}});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        const auto bid = *book.bestBid() - 10;
        engine.place(order(1, Side::Bid, bid, 5000), book, events, md); // 0.5 BTC, rests
        QCOMPARE(only<OrderPlaced>(events).size(), 1u);
        QCOMPARE(engine.openOrders(), 1u);
        QVERIFY(md.empty());
        QCOMPARE(engine.balance("USDT").locked, Decimal(bid, 2) * Decimal(5000, 4));
        engine.onTrade(SimTrade{1, Side::Ask, bid, 2000}, events);     // someone sells through our price
        engine.onTrade(SimTrade{2, Side::Ask, bid + 1, 9000}, events); // above our bid: not ours
        QCOMPARE(only<OrderFilled>(events).size(), 1u);
        engine.onTrade(SimTrade{3, Side::Ask, bid - 3, 9000}, events);
        QCOMPARE(only<OrderFilled>(events).size(), 2u);
        QCOMPARE(only<OrderDone>(events).size(), 1u);
        QCOMPARE(engine.balance("BTC").free, Decimal(15, 1));
        QCOMPARE(engine.balance("USDT").locked, Decimal(0, 0));
        checkOrdering(events);
    }

    // Issue 15 part 4: IOC trades what it can and cancels the rest; post-only is refused when it would trade.
    void iocCancelsTheRestAndPostOnlyNeverTakes() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2);
        SimMatchingEngine engine(instrument(), {{"USDT", Decimal(10000000, 0)}});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        const auto ask = *book.bestAsk();
        PlaceLimit ioc = order(1, Side::Bid, ask, 5000000); // more than the best ask holds
        ioc.timeInForce = TimeInForce::Ioc;
        engine.place(ioc, book, events, md);
        QCOMPARE(only<OrderFilled>(events).size(), 1u);
        QCOMPARE(only<OrderCancelled>(events).size(), 1u);
        QCOMPARE(engine.openOrders(), 0u);
        QCOMPARE(engine.balance("USDT").locked, Decimal(0, 0));
        checkOrdering(events);

        events.clear();
        PlaceLimit maker = order(2, Side::Bid, *book.bestAsk(), 10);
        maker.postOnly = true;
        engine.place(maker, book, events, md);
        QCOMPARE(only<OrderRejected>(events).size(), 1u);
        QCOMPARE(only<OrderRejected>(events)[0].reason, std::string("post-only order would trade immediately"));
        maker.id = 3;
        maker.price = Price(*book.bestBid(), 2);
        engine.place(maker, book, events, md);
        QCOMPARE(only<OrderPlaced>(events).size(), 1u); // below the ask: rests as a maker
        QCOMPARE(engine.openOrders(), 1u);
    }

    void marketableOrderTakesTheBookAndRestsTheRest() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2);
        SimMatchingEngine engine(instrument(), {{"USDT", Decimal(10000000, 0)}});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        const auto ask = *book.bestAsk();
        engine.place(order(1, Side::Bid, ask + 1000, 5000000), book, events, md); // 500 BTC: eats every level
        const auto fills = only<OrderFilled>(events);
        QVERIFY(fills.size() >= 2);
        QCOMPARE(fills[0].price, Price(ask, 2)); // executes at the book's price, not our limit
        QVERIFY(!md.empty());                    // the public book changed
        QCOMPARE(engine.openOrders(), 1u);       // the remainder rests
        engine.cancel(1, events);
        QCOMPARE(only<OrderCancelled>(events).size(), 1u);
        QCOMPARE(engine.balance("USDT").locked, Decimal(0, 0));
        checkOrdering(events);
    }

    void rejectsWhatTheExchangeWould_data() {
        QTest::addColumn<qint64>("price");
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<QString>("reason");
        QTest::newRow("insufficient") << qint64(1000000) << qint64(2000000000) << "insufficient balance";
        QTest::newRow("zero quantity") << qint64(1000000) << qint64(0) << "must be positive";
    }
    void rejectsWhatTheExchangeWould() {
        QFETCH(qint64, price);
        QFETCH(qint64, quantity);
        QFETCH(QString, reason);
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2);
        SimMatchingEngine engine(instrument(), {{"USDT", Decimal(1000, 0)}});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        engine.place(order(1, Side::Bid, price, quantity), book, events, md);
        const auto rejected = only<OrderRejected>(events);
        QCOMPARE(rejected.size(), 1u);
        QVERIFY2(QString::fromStdString(rejected[0].reason).contains(reason), rejected[0].reason.c_str());
        QVERIFY(only<OrderPlaced>(events).empty());
    }

    void offTickIsRejected() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2);
        SimMatchingEngine engine(instrument(), {});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        engine.place(PlaceLimit{Side::Bid, *Price::parse("100.005"), Quantity(1, 4), 1}, book, events, md);
        QVERIFY(QString::fromStdString(only<OrderRejected>(events).at(0).reason).contains("tick"));
    }

    void cancelAllAndUnknownCancel() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2);
        SimMatchingEngine engine(instrument(), {});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        engine.place(order(1, Side::Bid, 900000, 10), book, events, md);
        engine.place(order(2, Side::Ask, 1100000, 10), book, events, md);
        QVERIFY(!engine.cancel(99, events));
        engine.cancelAll(events);
        QCOMPARE(only<OrderCancelled>(events).size(), 2u);
        QCOMPARE(engine.openOrders(), 0u);
        QCOMPARE(engine.openOrderList().size(), 0u);
        checkOrdering(events);
    }

    // Like Binance without BNB: the fee is taken from what the fill brings in (a buy pays in base, a
    // sell in quote); taker for what trades at placement, maker for a resting order's fills.
    void chargesMakerAndTakerFeesInTheAssetReceived() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2); // mid 10000.00
        SimMatchingEngine engine(instrument(), {{"USDT", Decimal(100000, 0)}, {"BTC", Decimal(1, 0)}},
                                 {*Decimal::parse("0.0002"), *Decimal::parse("0.001")});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        const auto ask = *book.bestAsk();
        engine.place(order(1, Side::Bid, ask, 100), book, events, md); // 0.01 BTC, takes the best ask
        auto fills = only<OrderFilled>(events);
        QCOMPARE(fills.size(), 1u);
        QCOMPARE(fills[0].fee(), *Decimal::parse("0.00001")); // 0.01 BTC * 0.1 %
        QCOMPARE(fills[0].feeAsset(), std::string("BTC"));
        QCOMPARE(engine.balance("BTC").free, *Decimal::parse("1.00999")); // 1 + 0.01 - 0.00001
        events.clear();
        const auto bid = *book.bestBid() - 10;
        engine.place(order(2, Side::Ask, bid + 200, 3333), book, events, md); // rests above the bid
        engine.onTrade(SimTrade{1, Side::Bid, bid + 200, 3333}, events);      // a buyer lifts it: maker
        fills = only<OrderFilled>(events);
        QCOMPARE(fills.size(), 1u);
        const Decimal proceeds = Decimal(bid + 200, 2) * Decimal(3333, 4);
        QCOMPARE(fills[0].fee(), (proceeds * *Decimal::parse("0.0002")).rounded(8, Rounding::Up));
        QCOMPARE(fills[0].feeAsset(), std::string("USDT"));
        QVERIFY(fills[0].fee().isPositive());
        checkOrdering(events);
    }

    void withoutFeeRatesFillsCarryNoFee() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2);
        SimMatchingEngine engine(instrument(), {});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        engine.place(order(1, Side::Bid, *book.bestAsk(), 100), book, events, md);
        QVERIFY(only<OrderFilled>(events).at(0).fee().isZero());
        QVERIFY(only<OrderFilled>(events).at(0).feeAsset().empty());
    }

    void bookMovingThroughARestingOrderFillsIt() {
        SimBookGenerator book(1, 1000000, 1, 100, 20, 2, 0.2);
        SimMatchingEngine engine(instrument(), {});
        std::vector<TradingEventPayload> events;
        std::vector<SimMessage> md;
        engine.place(order(1, Side::Ask, 1000500, 10), book, events, md);
        engine.onBookMoved(1000600, 1000700, events);
        QCOMPARE(only<OrderDone>(events).size(), 1u);
        QCOMPARE(only<OrderFilled>(events).at(0).price, Price(1000500, 2));
        checkOrdering(events);
    }
};

QTEST_APPLESS_MAIN(TestSimMatchingEngine)
#include "tst_simmatchingengine.moc"
