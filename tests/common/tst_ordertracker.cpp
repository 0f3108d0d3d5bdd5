// OrderTracker: what several sources say about our orders, in any order, becomes Placed, Filled...,
// then exactly one Cancelled or Done. A report of this run's order that landed after it was given
// up is adopted, never dropped; a forgotten order is settled; other runs' and other people's orders
// are left alone.
#include "common/ordertracker.h"

#include <QTest>

using namespace md;
using namespace md::venue;

namespace {

std::vector<std::string> names(const std::vector<TradingEventPayload>& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        std::visit(Overloaded{[&](const OrderPlaced& p) { out.push_back("placed " + std::to_string(p.id)); },
                              [&](const OrderFilled& f) {
                                  out.push_back("filled " + f.quantity.toString() + "@" + f.price.toString());
                              },
                              [&](const OrderCancelled&) { out.push_back("cancelled"); },
                              [&](const OrderDone&) { out.push_back("done"); },
                              [&](const OrderRejected& r) { out.push_back("rejected: " + r.reason); },
                              [&](const auto&) { out.push_back("other"); }},
                   e);
    return out;
}

OrderUpdate update(OrderState state, const char* executed, const char* quote, const char* clientId = "md-7") {
    OrderUpdate u;
    u.clientOrderId = clientId;
    u.side = Side::Bid;
    u.state = state;
    u.price = *Price::parse("64000.00");
    u.quantity = *Quantity::parse("0.00300");
    u.executed = *Quantity::parse(executed);
    u.executedQuote = *Notional::parse(quote);
    return u;
}

struct Rig {
    std::vector<TradingEventPayload> events;
    OrderTracker tracker;
    explicit Rig(std::string tag = {})
        : tracker([this](TradingEventPayload e, std::int64_t) { events.push_back(std::move(e)); }, 2,
                  ClientIdCodec(std::move(tag))) {}
    void expect(ClientOrderId id) {
        tracker.expect(PlaceLimit{Side::Bid, *Price::parse("64000.00"), *Quantity::parse("0.00300"), id});
    }
};

} // namespace

class TestOrderTracker : public QObject {
    Q_OBJECT
private slots:
    void streamReportBeatingTheAnswerIsMergedOnce() {
        Rig rig;
        rig.expect(7);
        // The stream tells of a fill before the answer to the placement arrives.
        QVERIFY(rig.tracker.apply(update(OrderState::PartiallyFilled, "0.00100", "64.00000000")));
        QVERIFY(rig.tracker.apply(update(OrderState::New, "0.00000", "0.00000000")));              // the late answer
        QVERIFY(rig.tracker.apply(update(OrderState::PartiallyFilled, "0.00100", "64.00000000"))); // repeated
        QVERIFY(rig.tracker.apply(update(OrderState::Filled, "0.00300", "191.99000000")));         // two fills merged
        QVERIFY(!rig.tracker.apply(update(OrderState::Filled, "0.00300", "191.99000000")));        // after the end
        QCOMPARE(names(rig.events),
                 (std::vector<std::string>{"placed 7", "filled 0.00100@64000.00", "filled 0.00200@63995.00", "done"}));
        QVERIFY(!rig.tracker.isTracked(7));
        QCOMPARE(rig.tracker.adopted(), std::size_t(0)); // a repeated final report is not a late landing
    }

    // The venue's fee for a fill reaches OrderFilled when the report's new quantity is that one fill;
    // fills merged into one delta carry none (it could not be split honestly).
    void feeOfTheLastFillReachesTheFill() {
        Rig rig;
        rig.expect(7);
        OrderUpdate one = update(OrderState::PartiallyFilled, "0.00100", "64.00000000");
        one.lastQuantity = *Quantity::parse("0.00100");
        one.lastPrice = *Price::parse("64000.00");
        one.lastFee = *Decimal::parse("0.000001");
        one.lastFeeAsset = "BTC";
        QVERIFY(rig.tracker.apply(one));
        OrderUpdate merged = update(OrderState::Filled, "0.00300", "191.99000000");
        merged.lastQuantity = *Quantity::parse("0.00100"); // the last of the two fills only
        merged.lastFee = *Decimal::parse("0.000001");
        merged.lastFeeAsset = "BTC";
        QVERIFY(rig.tracker.apply(merged));
        QCOMPARE(rig.events.size(), 4u);
        const auto& first = std::get<OrderFilled>(rig.events[1]);
        QCOMPARE(first.fee(), *Decimal::parse("0.000001"));
        QCOMPARE(first.feeAsset(), std::string("BTC"));
        const auto& second = std::get<OrderFilled>(rig.events[2]);
        QVERIFY(second.fee().isZero());
        QVERIFY(second.feeAsset().empty());
    }

    void rejectionsAndForeignOrders() {
        Rig rig;
        rig.expect(7);
        rig.tracker.reject(7, "binance: Binance -2010: Account has insufficient balance");
        QVERIFY(!rig.tracker.apply(update(OrderState::New, "0", "0", "web_8f3a"))); // a person's order
        QCOMPARE(names(rig.events),
                 (std::vector<std::string>{"rejected: binance: Binance -2010: Account has insufficient balance"}));
        rig.expect(8);
        OrderUpdate refused = update(OrderState::Rejected, "0", "0", "md-8");
        refused.reason = "Binance REJECTED: INSUFFICIENT_BALANCES";
        QVERIFY(rig.tracker.apply(refused));
        QCOMPARE(names(rig.events).back(), std::string("rejected: Binance REJECTED: INSUFFICIENT_BALANCES"));
    }

    // Found by fuzz_binance_user: a report claiming more executed than ordered. The strategy hears
    // at most the order's quantity (at its price), the order ends, the report is counted.
    void reportClaimingMoreThanOrderedIsCapped() {
        Rig rig;
        rig.expect(7);
        QVERIFY(rig.tracker.apply(update(OrderState::PartiallyFilled, "0.00100", "64.00000000")));
        QVERIFY(rig.tracker.apply(update(OrderState::Filled, "0.00500", "320.00000000")));
        QCOMPARE(names(rig.events),
                 (std::vector<std::string>{"placed 7", "filled 0.00100@64000.00", "filled 0.00200@64000.00", "done"}));
        QCOMPARE(rig.tracker.inconsistentReports(), std::size_t(1));
    }

    // The order was given up as not placed (asked until it could no longer land); then it shows up
    // filled after all: it is adopted and the strategy hears the fill, never loses it.
    void lateLandingIsAdoptedNotDropped() {
        Rig rig("run1");
        rig.expect(5);
        rig.tracker.markUnknown(5);
        QCOMPARE(rig.tracker.unknownCount(), std::size_t(1));
        rig.tracker.concludeNotPlaced(5, "not placed: the exchange has no such order");
        QVERIFY(!rig.tracker.isTracked(5));
        OrderUpdate late = update(OrderState::New, "0", "0", "md-run1-5");
        QVERIFY(rig.tracker.apply(late));
        QVERIFY(rig.tracker.isTracked(5)); // cancellable at shutdown
        QCOMPARE(rig.tracker.tracked(), std::vector<ClientOrderId>{5});
        QVERIFY(rig.tracker.apply(update(OrderState::Filled, "0.00300", "192.00000000", "md-run1-5")));
        QCOMPARE(names(rig.events), (std::vector<std::string>{"rejected: not placed: the exchange has no such order",
                                                              "placed 5", "filled 0.00300@64000.00", "done"}));
        QCOMPARE(rig.tracker.adopted(), std::size_t(1));
        // A late final report about an order that never traded tells nobody anything.
        rig.expect(6);
        rig.tracker.concludeNotPlaced(6, "not placed");
        QVERIFY(rig.tracker.apply(update(OrderState::Expired, "0", "0", "md-run1-6")));
        QVERIFY(!rig.tracker.isTracked(6));
        QCOMPARE(rig.events.size(), std::size_t(5));
    }

    void forgottenOrderIsSettled() {
        Rig rig;
        rig.expect(3);
        QVERIFY(rig.tracker.apply(update(OrderState::New, "0", "0", "md-3")));
        rig.tracker.settle(3, "Binance -2013: Order does not exist.");
        QVERIFY(!rig.tracker.isTracked(3));
        QVERIFY(!rig.tracker.apply(update(OrderState::Cancelled, "0", "0", "md-3"))); // ended: not adopted
        QCOMPARE(names(rig.events), (std::vector<std::string>{"placed 3", "cancelled"}));
        QCOMPARE(rig.tracker.settled(), std::size_t(1));
    }

    // Every run counts its ids from 1, so the run tag keeps an earlier run's "#3" apart from this one's.
    void runTagKeepsRunsApart() {
        Rig rig("mx3wswxu");
        const ClientIdCodec& ids = rig.tracker.ids();
        QCOMPARE(ids.encode(3), std::string("md-mx3wswxu-3"));
        QCOMPARE(ids.ours("md-mx3wswxu-3"), std::optional<ClientOrderId>(3));
        QCOMPARE(ids.ours("md-mx3wswxa-3"), std::nullopt); // an earlier run's #3
        QCOMPARE(ids.ours("md-3"), std::nullopt);          // untagged
        const auto earlier = ClientIdCodec::parse("md-mx3wswxa-3");
        QVERIFY(earlier);
        QCOMPARE(earlier->runTag, std::string("mx3wswxa"));
        QCOMPARE(earlier->id, ClientOrderId(3));
        QCOMPARE(ClientIdCodec::parse("md-3")->runTag, std::string());
        for (const char* notOurs : {"md--3", "md-MX-3", "md-a-0", "md-a-", "web_8f3a", "md-a-3-4", "md-a b-3"})
            QVERIFY2(!ClientIdCodec::parse(notOurs), notOurs);
        // An earlier run's report for "#3" does not touch this run's #3, nor is it adopted.
        rig.expect(3);
        QVERIFY(!rig.tracker.apply(update(OrderState::Filled, "0.00300", "192.00000000", "md-mx3wswxa-3")));
        QVERIFY(rig.events.empty());
        QVERIFY(rig.tracker.isTracked(3));
    }
};

QTEST_GUILESS_MAIN(TestOrderTracker)
#include "tst_ordertracker.moc"
