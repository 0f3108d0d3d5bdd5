// The Mirror strategy's scenarios (ported from the original system's tests), with the exposure
// invariant checked after every single event.
#include "fakestrategycontext.h"

#include "strategy/mirrorstrategy.h"

#include <QTest>

#include <QJsonDocument>
#include <QJsonObject>

#include <optional>
#include <random>
#include <set>

using namespace md;
using namespace md::test;

namespace {

constexpr MarketId kSource = 0;
constexpr MarketId kDest = 1;

/// Drives a Mirror strategy and checks the invariant after each call.
struct Driver {
    FakeStrategyContext context;
    std::unique_ptr<MirrorStrategy> mirror;

    explicit Driver(const char* maxExposure, const char* orderQuantity = "0.5") {
        context.addMarket("SOURCE", "0.01", "0.0001");
        context.addMarket("DEST", "0.10", "0.001");
        MirrorParams p;
        p.source = kSource;
        p.destination = kDest;
        p.maxExposure = *Quantity::parse(maxExposure);
        if (orderQuantity)
            p.orderQuantity = *Quantity::parse(orderQuantity);
        mirror = std::make_unique<MirrorStrategy>(p);
    }
    StrategyAdvice send(MarketId market, TradingEventPayload payload) {
        auto advice = mirror->onEvent(at(market, std::move(payload)), context);
        mirror->assertInvariant();
        return advice;
    }
    StrategyAdvice sourceTop(const char* bid, const char* bidQty, const char* ask, const char* askQty) {
        context.setTop(kSource, bid, bidQty, ask, askQty);
        return send(kSource, BookUpdated{});
    }
    Quantity q(const char* text) { return *Quantity::parse(text); }
};

} // namespace

class TestMirrorStrategy : public QObject {
    Q_OBJECT
private slots:
    void copiesTheSourceWithinExposure() {
        Driver d("2");
        auto advice = d.sourceTop("100.04", "3", "100.16", "3");
        auto places = actionsOf<PlaceLimit>(advice);
        QCOMPARE(places.size(), 2u);
        QCOMPARE(places[0].first, kDest);
        QCOMPARE(places[0].second.side, Side::Bid);
        QCOMPARE(places[0].second.price.toString(), std::string("100.00")); // bid rounded down to the dest tick
        QCOMPARE(places[1].second.price.toString(), std::string("100.20")); // ask rounded up
        QCOMPARE(places[0].second.quantity, d.q("0.5"));
        QVERIFY(!advice.reasoning.empty());
        // Nothing changes: nothing more is sent.
        QVERIFY(d.sourceTop("100.04", "3", "100.16", "3").actions.empty());
    }

    // Issue 17: max_exposure lowered live below what a side already holds (a fill not yet recouped):
    // the side's quote is cancelled, nothing new is placed there, and the invariant holds (its limit is
    // what it holds until that falls under the new one); the other side is placed within the new limit.
    void maxExposureLoweredLiveBelowTheExposure() {
        Driver d("1", "0.5");
        auto places = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        const auto bid = places[0].second;
        const auto ask = places[1].second;
        d.send(kDest, OrderPlaced{bid.id, Side::Bid, bid.price, bid.quantity});
        d.send(kDest, OrderPlaced{ask.id, Side::Ask, ask.price, ask.quantity});
        d.send(kDest, OrderFilled{bid.id, Side::Bid, bid.price, d.q("0.3")}); // 0.3 unrecouped, 0.2 left
        d.mirror->retune(QJsonObject{{"max_exposure", "0.2"}, {"order_quantity", "0.5"}});
        auto advice = d.sourceTop("100.00", "3", "100.20", "3"); // the invariant is checked here too
        auto cancels = actionsOf<CancelOrder>(advice);
        QCOMPARE(cancels.size(), 2u); // both over 0.2: the bid (0.2 left + 0.3 held), the ask (0.5)
        QVERIFY(actionsOf<PlaceLimit>(advice).empty());
        d.send(kDest, OrderCancelled{bid.id});
        d.send(kDest, OrderCancelled{ask.id});
        auto again = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        QCOMPARE(again.size(), 1u); // the ask within the new limit; the bid waits for its recoup
        QCOMPARE(again[0].second.side, Side::Ask);
        QCOMPARE(again[0].second.quantity, d.q("0.2"));
    }

    void restrictedExposureCapsTheQuote() {
        Driver d("0.3", "0.5");
        auto places = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        QCOMPARE(places.size(), 2u);
        QCOMPARE(places[0].second.quantity, d.q("0.3"));
        QCOMPARE(d.mirror->exposure(Side::Bid), d.q("0.3"));
    }

    void withoutOrderQuantityTheLevelSizeIsCopied() {
        Driver d("5", nullptr);
        auto places = actionsOf<PlaceLimit>(d.sourceTop("100.00", "1.2345", "100.20", "9"));
        QCOMPARE(places[0].second.quantity, d.q("1.234")); // rounded down to the dest step
        QCOMPARE(places[1].second.quantity, d.q("5"));     // capped by the exposure
    }

    void staleOrderIsCancelledOnceAndReplacedAfterConfirmation() {
        Driver d("2");
        auto places = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        const auto bidId = places[0].second.id;
        d.send(kDest, OrderPlaced{bidId, Side::Bid, places[0].second.price, places[0].second.quantity});
        auto advice = d.sourceTop("100.30", "3", "100.50", "3");
        auto cancels = actionsOf<CancelOrder>(advice);
        QCOMPARE(cancels.size(), 1u); // the ask is still Placing (not acked): it waits
        QCOMPARE(cancels[0].second.id, bidId);
        QVERIFY(actionsOf<PlaceLimit>(advice).empty()); // no re-placement before the cancel is confirmed
        // The book keeps moving: the same stale order is not cancelled twice.
        QVERIFY(actionsOf<CancelOrder>(d.sourceTop("100.40", "3", "100.60", "3")).empty());
        auto after = d.send(kDest, OrderCancelled{bidId});
        QVERIFY(actionsOf<PlaceLimit>(after).empty()); // cancellation itself does not trade
        auto replaced = actionsOf<PlaceLimit>(d.sourceTop("100.40", "3", "100.60", "3"));
        QCOMPARE(replaced.size(), 1u);
        QCOMPARE(replaced[0].second.side, Side::Bid);
        QCOMPARE(replaced[0].second.price.toString(), std::string("100.40"));
    }

    void fillIsRecoupedAndTheSideRefillsOnlyAfterTheRecoup() {
        Driver d("1");
        auto places = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        const auto bid = places[0].second;
        d.send(kDest, OrderPlaced{bid.id, Side::Bid, bid.price, bid.quantity});
        // Our bid is hit on the destination: sell the same volume into the source's bids.
        auto advice = d.send(kDest, OrderFilled{bid.id, Side::Bid, bid.price, d.q("0.5")});
        auto recoups = actionsOf<PlaceLimit>(advice);
        QCOMPARE(recoups.size(), 1u);
        QCOMPARE(recoups[0].first, kSource);
        QCOMPARE(recoups[0].second.side, Side::Ask);
        QCOMPARE(recoups[0].second.quantity, d.q("0.5"));
        QCOMPARE(recoups[0].second.price.toString(), std::string("100.00")); // marketable into the bids
        QCOMPARE(d.mirror->unrecouped(Side::Bid), d.q("0.5"));
        d.send(kDest, OrderDone{bid.id});
        // Filled and done, but the recoup is not seen yet: the bid side is not refilled.
        QVERIFY(actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3")).empty());
        const auto recoupId = recoups[0].second.id;
        d.send(kSource, OrderPlaced{recoupId, Side::Ask, recoups[0].second.price, recoups[0].second.quantity});
        d.send(kSource, OrderFilled{recoupId, Side::Ask, *Price::parse("100.00"), d.q("0.5")});
        QCOMPARE(d.mirror->unrecouped(Side::Bid), d.q("0"));
        d.send(kSource, OrderDone{recoupId});
        auto refill = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        QCOMPARE(refill.size(), 1u);
        QCOMPARE(refill[0].second.side, Side::Bid);
        QCOMPARE(refill[0].first, kDest);
    }

    void partialRecoupIsRetriedForTheRest() {
        Driver d("1");
        auto bid = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"))[0].second;
        d.send(kDest, OrderPlaced{bid.id, Side::Bid, bid.price, bid.quantity});
        auto recoup =
            actionsOf<PlaceLimit>(d.send(kDest, OrderFilled{bid.id, Side::Bid, bid.price, d.q("0.5")}))[0].second;
        d.send(kSource, OrderPlaced{recoup.id, Side::Ask, recoup.price, recoup.quantity});
        d.send(kSource, OrderFilled{recoup.id, Side::Ask, recoup.price, d.q("0.2")});
        d.send(kSource, OrderCancelled{recoup.id}); // 0.3 was never recouped
        QCOMPARE(d.mirror->unrecouped(Side::Bid), d.q("0.3"));
        auto retry = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        QCOMPARE(retry.size(), 1u);
        QCOMPARE(retry[0].first, kSource);
        QCOMPARE(retry[0].second.quantity, d.q("0.3"));
    }

    // A recoup that rests on the source (the bids moved away before it arrived) is cancelled and sent
    // again at the market: left resting, its side was never quoted again (bench_ui: "open orders at the
    // end: SIM-LIQUID #31 buy 0.0500 @ 64247.11, 25.6 s old", and the Mirror went quiet).
    void aRecoupLeftRestingIsCancelledAndSentAgainAtTheMarket() {
        Driver d("1");
        auto bid = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"))[0].second;
        d.send(kDest, OrderPlaced{bid.id, Side::Bid, bid.price, bid.quantity});
        auto recoup =
            actionsOf<PlaceLimit>(d.send(kDest, OrderFilled{bid.id, Side::Bid, bid.price, d.q("0.5")}))[0].second;
        QCOMPARE(recoup.price.toString(), std::string("100.00"));
        d.send(kSource, OrderPlaced{recoup.id, Side::Ask, recoup.price, recoup.quantity}); // rests: bids fell
        auto onSource = [](const StrategyAdvice& advice) {
            std::vector<CancelOrder> out;
            for (const auto& [market, cancel] : actionsOf<CancelOrder>(advice))
                if (market == kSource)
                    out.push_back(cancel);
            return out;
        };
        auto cancels = onSource(d.sourceTop("99.80", "3", "99.95", "3"));
        QCOMPARE(cancels.size(), 1u);
        QCOMPARE(cancels[0].id, recoup.id);
        QVERIFY(onSource(d.sourceTop("99.70", "3", "99.85", "3")).empty()); // asked once
        d.send(kSource, OrderCancelled{recoup.id});
        auto again = actionsOf<PlaceLimit>(d.sourceTop("99.70", "3", "99.85", "3"));
        QCOMPARE(again.size(), 1u);
        QCOMPARE(again[0].first, kSource);
        QCOMPARE(again[0].second.side, Side::Ask);
        QCOMPARE(again[0].second.price.toString(), std::string("99.70")); // marketable at the new bids
        QCOMPARE(again[0].second.quantity, d.q("0.5"));
        // A recoup still marketable is left alone.
        d.send(kSource, OrderPlaced{again[0].second.id, Side::Ask, again[0].second.price, again[0].second.quantity});
        QVERIFY(onSource(d.sourceTop("99.75", "3", "99.85", "3")).empty());
    }

    void exposureBookkeeping() {
        Driver d("1");
        auto bid = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"))[0].second;
        QCOMPARE(d.mirror->exposure(Side::Bid), d.q("0.5")); // requested, nothing filled
        d.send(kDest, OrderPlaced{bid.id, Side::Bid, bid.price, bid.quantity});
        d.send(kDest, OrderFilled{bid.id, Side::Bid, bid.price, d.q("0.2")});
        QCOMPARE(d.mirror->exposure(Side::Bid), d.q("0.5")); // 0.3 requested + 0.2 realized
        QCOMPARE(d.mirror->unrecouped(Side::Bid), d.q("0.2"));
        d.send(kDest, OrderCancelled{bid.id});
        QCOMPARE(d.mirror->exposure(Side::Bid), d.q("0.2")); // only the realized part remains
        QCOMPARE(d.mirror->exposure(Side::Ask), d.q("0.5"));
    }

    void rejectedQuoteFreesTheSide() {
        Driver d("1");
        auto bid = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"))[0].second;
        auto advice = d.send(kDest, OrderRejected{bid.id, "limit max_open_orders"});
        QVERIFY(QString::fromStdString(advice.reasoning).contains("max_open_orders"));
        QCOMPARE(d.mirror->exposure(Side::Bid), d.q("0"));
        // The side rests a moment (a rate limit must not be hammered), then quotes again.
        QVERIFY(actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3")).empty());
        d.context.advance(300'000'000);
        QCOMPARE(actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3")).size(), 1u);
    }

    void rejectionsInARowBackOff() {
        // A halt or a position limit refuses every try: the side asks less and less often (up to every
        // 8 s), and an acknowledged quote brings it back to 250 ms.
        Driver d("1");
        auto bidOf = [](const StrategyAdvice& advice) -> std::optional<PlaceLimit> {
            for (const auto& [m, p] : actionsOf<PlaceLimit>(advice))
                if (p.side == Side::Bid)
                    return p;
            return std::nullopt;
        };
        auto bid = bidOf(d.sourceTop("100.00", "3", "100.20", "3"));
        QVERIFY(bid);
        std::vector<std::int64_t> waits;
        for (int i = 0; i < 7; ++i) {
            d.send(kDest, OrderRejected{bid->id, "trading halted: placements refused, cancels still pass"});
            std::int64_t waited = 0; // until the bid side quotes again, in steps of 50 ms
            for (bid.reset(); !bid; bid = bidOf(d.sourceTop("100.00", "3", "100.20", "3"))) {
                d.context.advance(50'000'000);
                waited += 50;
            }
            waits.push_back(waited);
        }
        QVERIFY2(waits[0] <= 300 && waits[1] >= 500 && waits[2] >= 1000 && waits[4] >= 4000 && waits[6] <= 8050,
                 qPrintable(QString("%1 %2 %3 %4 %5 %6")
                                .arg(waits[0])
                                .arg(waits[1])
                                .arg(waits[2])
                                .arg(waits[3])
                                .arg(waits[4])
                                .arg(waits[6])));
        // Acknowledged: the next rejection rests 250 ms again.
        d.send(kDest, OrderPlaced{bid->id, bid->side, bid->price, bid->quantity});
        d.send(kDest, OrderCancelled{bid->id});
        bid = bidOf(d.sourceTop("100.00", "3", "100.20", "3"));
        QVERIFY(bid);
        d.send(kDest, OrderRejected{bid->id, "limit max_open_orders"});
        d.context.advance(300'000'000);
        QVERIFY(bidOf(d.sourceTop("100.00", "3", "100.20", "3")));
    }

    void aRefusedRecoupIsNotResentOnEveryBookUpdate() {
        // Filled on the destination while the desk is halted: the recoup on the source is refused, and is
        // tried again after a rest, not on each of the source's thousands of book updates.
        Driver d("1");
        auto bid = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"))[0].second;
        d.send(kDest, OrderPlaced{bid.id, bid.side, bid.price, bid.quantity});
        auto recoups = actionsOf<PlaceLimit>(d.send(kDest, OrderFilled{bid.id, Side::Bid, bid.price, d.q("0.5")}));
        QCOMPARE(recoups.size(), 1u);
        QCOMPARE(recoups[0].first, kSource);
        d.send(kSource, OrderRejected{recoups[0].second.id, "trading halted: placements refused, cancels still pass"});
        int tries = 0;
        for (int i = 0; i < 1000; ++i) { // a second of a busy source, 1 ms apart
            d.context.advance(1'000'000);
            for (const auto& [m, p] : actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3")))
                if (m == kSource) {
                    ++tries;
                    d.send(kSource, OrderRejected{p.id, "trading halted"});
                }
        }
        QVERIFY2(tries <= 3, qPrintable(QString::number(tries))); // 250 ms, then 500 ms: at most 3 in a second
        QVERIFY(tries >= 1);
        QCOMPARE(d.mirror->unrecouped(Side::Bid), d.q("0.5")); // still owed, nothing lost
    }

    void shutdownCancelsThenAnswersDone() {
        Driver d("1");
        auto places = actionsOf<PlaceLimit>(d.sourceTop("100.00", "3", "100.20", "3"));
        for (const auto& [m, p] : places)
            d.send(kDest, OrderPlaced{p.id, p.side, p.price, p.quantity});
        auto advice = d.mirror->onControl(ShuttingDown{}, d.context);
        QCOMPARE(actionsOf<CancelOrder>(advice).size(), 2u);
        QVERIFY(advice.control.empty()); // not done while orders are open
        QVERIFY(d.send(kDest, OrderCancelled{places[0].second.id}).control.empty());
        auto last = d.send(kDest, OrderCancelled{places[1].second.id});
        QCOMPARE(last.control.size(), 1u);
        QVERIFY(std::holds_alternative<ShutdownDone>(last.control[0]));
        QVERIFY(d.sourceTop("101.00", "3", "101.20", "3").actions.empty()); // no trading after ShuttingDown
    }

    void validatesItsParameters_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown market") << R"({"kind":"mirror","source":"X","destination":"DEST","max_exposure":"1"})"
                                        << "strategy.source: no market named 'X'";
        QTest::newRow("same market") << R"({"kind":"mirror","source":"DEST","destination":"DEST","max_exposure":"1"})"
                                     << "strategy.destination: must differ";
        QTest::newRow("number exposure")
            << R"({"kind":"mirror","source":"SOURCE","destination":"DEST","max_exposure":1})"
            << "strategy.max_exposure: expected a non-negative decimal string";
        QTest::newRow("missing exposure") << R"({"kind":"mirror","source":"SOURCE","destination":"DEST"})"
                                          << "strategy.max_exposure: missing";
        QTest::newRow("bad sides")
            << R"({"kind":"mirror","source":"SOURCE","destination":"DEST","max_exposure":"1","sides":"up"})"
            << "strategy.sides: expected one of both, bid, ask";
        QTest::newRow("unknown key")
            << R"({"kind":"mirror","source":"SOURCE","destination":"DEST","max_exposure":"1","x":1})"
            << "strategy.x: unknown key";
    }
    void validatesItsParameters() {
        QFETCH(QString, json);
        QFETCH(QString, error);
        std::vector<MarketSpec> markets(2);
        markets[0].id = 0;
        markets[0].name = "SOURCE";
        markets[1].id = 1;
        markets[1].name = "DEST";
        MirrorStrategyFactory f;
        auto problem = f.validate(QJsonDocument::fromJson(json.toUtf8()).object(), markets, "strategy");
        QVERIFY(problem);
        QVERIFY2(QString::fromStdString(*problem).startsWith(error), problem->c_str());
    }

    // Thousands of random but legal event sequences: the invariant holds after every one.
    void invariantHoldsUnderRandomLegalSequences() {
        std::mt19937 rng(20211012);
        Driver d("0.7", "0.4");
        std::map<ClientOrderId, std::pair<MarketId, PlaceLimit>> live; // sent and not finished
        std::map<ClientOrderId, bool> acked;
        std::map<ClientOrderId, Quantity> filled;
        std::set<std::pair<MarketId, ClientOrderId>> cancelRequested;
        auto absorb = [&](const StrategyAdvice& a) {
            for (const auto& [m, p] : actionsOf<PlaceLimit>(a))
                live[p.id + (m == kSource ? 1'000'000 : 0)] = {m, p};
            for (const auto& [m, c] : actionsOf<CancelOrder>(a))
                cancelRequested.insert({m, c.id});
        };
        for (int step = 0; step < 20000; ++step) {
            const int roll = static_cast<int>(rng() % 10);
            if (roll < 4 || live.empty()) {
                const int bid = 10000 + static_cast<int>(rng() % 40);
                const std::string b = QString::number(bid / 100.0, 'f', 2).toStdString();
                const std::string a = QString::number((bid + 5) / 100.0, 'f', 2).toStdString();
                absorb(d.sourceTop(b.c_str(), "2", a.c_str(), "2"));
                continue;
            }
            auto it = std::next(live.begin(), static_cast<long>(rng() % live.size()));
            const auto key = it->first;
            const auto [market, order] = it->second;
            if (!acked[key]) {
                acked[key] = true;
                absorb(d.send(market, OrderPlaced{order.id, order.side, order.price, order.quantity}));
                continue;
            }
            const Quantity done = filled.count(key) ? filled[key] : Quantity(0, 4);
            const Quantity left = order.quantity - done;
            if (roll < 7 && left.isPositive()) {
                const Quantity part = minOf(left, *Quantity::parse(rng() % 2 ? "0.1" : "0.4"));
                filled[key] = done + part;
                absorb(d.send(market, OrderFilled{order.id, order.side, order.price, part}));
                if ((done + part) == order.quantity) {
                    absorb(d.send(market, OrderDone{order.id}));
                    live.erase(key);
                }
            } else if (cancelRequested.count({market, order.id}) || roll == 9) {
                absorb(d.send(market, OrderCancelled{order.id}));
                live.erase(key);
            }
        }
        QVERIFY(d.mirror->exposure(Side::Bid) <= *Quantity::parse("0.7"));
    }
};

QTEST_APPLESS_MAIN(TestMirrorStrategy)
#include "tst_mirrorstrategy.moc"
