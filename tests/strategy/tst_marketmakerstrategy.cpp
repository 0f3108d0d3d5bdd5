#include "fakestrategycontext.h"

#include "strategy/marketmakerstrategy.h"

#include <QTest>

using namespace md;
using namespace md::test;

namespace {
struct Driver {
    FakeStrategyContext context;
    std::unique_ptr<MarketMakerStrategy> mm;
    Driver(const char* maxPosition, const char* skew = "0") {
        context.addMarket("M", "0.01", "0.001");
        MarketMakerParams p;
        p.market = 0;
        p.halfSpreadTicks = 5;
        p.orderQuantity = *Quantity::parse("0.1");
        p.maxPosition = *Quantity::parse(maxPosition);
        p.skewTicksPerUnit = *Decimal::parse(skew);
        p.requoteTicks = 2;
        mm = std::make_unique<MarketMakerStrategy>(p);
    }
    StrategyAdvice top(const char* bid, const char* ask) {
        context.setTop(0, bid, "1", ask, "1");
        return mm->onEvent(at(0, BookUpdated{}), context);
    }
    StrategyAdvice send(TradingEventPayload p) { return mm->onEvent(at(0, std::move(p)), context); }
};
} // namespace

class TestMarketMakerStrategy : public QObject {
    Q_OBJECT
private slots:
    void quotesAroundTheMid() {
        Driver d("1");
        auto places = actionsOf<PlaceLimit>(d.top("100.00", "100.02"));
        QCOMPARE(places.size(), 2u);
        QCOMPARE(places[0].second.price.toString(), std::string("99.96")); // mid 100.01 - 5 ticks
        QCOMPARE(places[1].second.price.toString(), std::string("100.06"));
    }

    void requotesOnlyPastTheThresholdAndAfterTheCancel() {
        Driver d("1");
        auto places = actionsOf<PlaceLimit>(d.top("100.00", "100.02"));
        for (const auto& [m, p] : places)
            d.send(OrderPlaced{p.id, p.side, p.price, p.quantity});
        QVERIFY(d.top("100.01", "100.03").actions.empty()); // one tick: below requote_ticks
        auto advice = d.top("100.10", "100.12");
        QCOMPARE(actionsOf<CancelOrder>(advice).size(), 2u);
        QVERIFY(actionsOf<PlaceLimit>(advice).empty());
        QVERIFY(d.top("100.20", "100.22").actions.empty()); // cancels already sent once
        d.send(OrderCancelled{places[0].second.id});
        auto again = actionsOf<PlaceLimit>(d.top("100.20", "100.22"));
        QCOMPARE(again.size(), 1u);
        QCOMPARE(again[0].second.price.toString(), std::string("100.16"));
    }

    void respectsMaxPositionAndSkews() {
        Driver d("0.15", "10");
        auto places = actionsOf<PlaceLimit>(d.top("100.00", "100.02"));
        const auto bid = places[0].second;
        d.send(OrderPlaced{bid.id, bid.side, bid.price, bid.quantity});
        d.send(OrderFilled{bid.id, Side::Bid, bid.price, bid.quantity});
        d.send(OrderDone{bid.id});
        QCOMPARE(d.mm->position(), *Decimal::parse("0.1"));
        // Long 0.1: another 0.1 bid would reach 0.2 > 0.15, so only the ask is quoted, skewed down.
        auto next = actionsOf<PlaceLimit>(d.top("100.00", "100.02"));
        QVERIFY(next.empty() || next[0].second.side == Side::Ask);
        QVERIFY(d.mm->quote(Side::Bid).isIdle());
    }
};

QTEST_APPLESS_MAIN(TestMarketMakerStrategy)
#include "tst_marketmakerstrategy.moc"
