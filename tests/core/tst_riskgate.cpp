#include "risk/riskgate.h"

#include <QTest>

using namespace md;

namespace {

Instrument btcusdt() {
    Instrument i;
    i.symbol = "BTCUSDT";
    i.base = "BTC";
    i.quote = "USDT";
    i.tick = Price(1, 2);
    i.step = Quantity(1, 4);
    return i;
}

PlaceLimit order(Side side, const char* price, const char* qty, ClientOrderId id) {
    return PlaceLimit{side, *Price::parse(price), *Quantity::parse(qty), id};
}

TradingEvent fill(ClientOrderId id, Side side, const char* price, const char* qty) {
    return TradingEvent{0, 0, 0, OrderFilled{id, side, *Price::parse(price), *Quantity::parse(qty)}};
}

constexpr std::int64_t kSecond = 1'000'000'000;

} // namespace

class TestRiskGate : public QObject {
    Q_OBJECT
private slots:
    void positionPerMarketAsWellAsDeskWide() {
        // Flat desk-wide (a mirror recoups every fill on the other market), yet one market must not run
        // dry: its own position is limited too.
        RiskLimits limits;
        limits.maxPosition["BTC"] = *Decimal::parse("5");
        limits.maxMarketPosition[1]["BTC"] = *Decimal::parse("0.1");
        RiskGate gate({btcusdt(), btcusdt()}, limits);
        auto fillOn = [&](MarketId m, ClientOrderId id, Side side, const char* qty) {
            auto e = fill(id, side, "100", qty);
            e.market = m;
            gate.onEvent(e);
        };
        fillOn(1, 1, Side::Ask, "0.08"); // sold on market 1 ...
        fillOn(0, 2, Side::Bid, "0.08"); // ... recouped on market 0
        QCOMPARE(gate.position("BTC"), Decimal());
        QCOMPARE(gate.marketPosition(1), -*Decimal::parse("0.08"));
        auto refused = gate.check(1, order(Side::Ask, "100", "0.03", 3), kSecond);
        QVERIFY(refused);
        QCOMPARE(refused->reason, RejectionReason::MaxPosition);
        QVERIFY2(refused->text.find("limit max_position BTC on this market: could reach 0.11 > 0.1") !=
                     std::string::npos,
                 refused->text.c_str());
        QVERIFY(!gate.check(1, order(Side::Ask, "100", "0.02", 4), kSecond));
        QVERIFY(!gate.check(1, order(Side::Bid, "100", "0.05", 5), kSecond)); // it reduces
        QVERIFY(!gate.check(0, order(Side::Bid, "100", "0.5", 6), kSecond));  // no limit on market 0
    }

    void cancelsAlwaysPass() {
        RiskGate gate({btcusdt()}, {});
        gate.setGlobalState(TradingState::Halted);
        QVERIFY(!gate.check(0, CancelOrder{1}, kSecond));
        QVERIFY(!gate.check(0, CancelAll{}, kSecond));
        auto refused = gate.check(0, order(Side::Bid, "100", "1", 1), kSecond);
        QVERIFY(refused && refused->text.find("halted") != std::string::npos);
    }

    void marketHaltIsIndependentOfTheOthers() {
        RiskGate gate({btcusdt(), btcusdt()}, {});
        gate.setMarketState(1, TradingState::Halted);
        QVERIFY(!gate.check(0, order(Side::Bid, "100", "1", 1), kSecond));
        QVERIFY(gate.check(1, order(Side::Bid, "100", "1", 1), kSecond));
        QCOMPARE(gate.effectiveState(1), TradingState::Halted);
    }

    void orderRateIsATokenBucket() {
        RiskLimits limits;
        limits.maxOrdersPerSecond = 2;
        limits.orderBurst = 3;
        RiskGate gate({btcusdt()}, limits);
        for (ClientOrderId id = 1; id <= 3; ++id)
            QVERIFY(!gate.check(0, order(Side::Bid, "100", "0.01", id), kSecond));
        auto refused = gate.check(0, order(Side::Bid, "100", "0.01", 4), kSecond);
        QVERIFY(refused && refused->text.find("max_orders_per_second") != std::string::npos);
        // Half a second later one token (2/s) is back.
        QVERIFY(!gate.check(0, order(Side::Bid, "100", "0.01", 5), kSecond + kSecond / 2));
        QVERIFY(gate.check(0, order(Side::Bid, "100", "0.01", 6), kSecond + kSecond / 2));
    }

    void openOrdersAreLimitedAndFreedByTheirEnd() {
        RiskLimits limits;
        limits.maxOpenOrders = 2;
        RiskGate gate({btcusdt()}, limits);
        for (ClientOrderId id = 1; id <= 2; ++id) {
            auto p = order(Side::Bid, "100", "0.01", id);
            QVERIFY(!gate.check(0, p, kSecond));
            gate.onQueued(0, p);
        }
        auto refused = gate.check(0, order(Side::Bid, "100", "0.01", 3), kSecond);
        QVERIFY(refused && refused->text.find("max_open_orders") != std::string::npos);
        gate.onEvent(TradingEvent{0, 0, 0, OrderCancelled{1}});
        QVERIFY(!gate.check(0, order(Side::Bid, "100", "0.01", 3), kSecond));
    }

    void notionalIsLimited() {
        RiskLimits limits;
        limits.maxOrderNotional = Decimal(1000, 0);
        RiskGate gate({btcusdt()}, limits);
        QVERIFY(!gate.check(0, order(Side::Bid, "100.00", "10", 1), kSecond));
        auto refused = gate.check(0, order(Side::Bid, "100.01", "10", 2), kSecond);
        QVERIFY(refused && refused->text.find("max_order_notional: 1000.1 USDT > 1000 USDT") != std::string::npos);
    }

    void positionCountsFillsAndWhatOpenOrdersCouldAdd() {
        RiskLimits limits;
        limits.maxPosition["BTC"] = Decimal(1, 0);
        RiskGate gate({btcusdt()}, limits);
        auto first = order(Side::Bid, "100", "0.6", 1);
        QVERIFY(!gate.check(0, first, kSecond));
        gate.onQueued(0, first);
        // 0.6 open + 0.6 more could reach 1.2 BTC.
        auto refused = gate.check(0, order(Side::Bid, "100", "0.6", 2), kSecond);
        QVERIFY(refused && refused->text.find("max_position BTC") != std::string::npos);
        gate.onEvent(fill(1, Side::Bid, "100", "0.6"));
        gate.onEvent(TradingEvent{0, 0, 0, OrderDone{1}});
        QCOMPARE(gate.position("BTC"), Decimal(6, 1));
        QVERIFY(gate.check(0, order(Side::Bid, "100", "0.5", 3), kSecond));
        QVERIFY(!gate.check(0, order(Side::Ask, "100", "1.5", 4), kSecond)); // down to -0.9: within 1
    }

    // One position figure (issue 15): a fee taken in the base asset leaves the position, in the gate as in
    // the Positions panel and the close-out (PnlLedger's rule, docs/PNL.md).
    void aFeeInTheBaseLeavesTheGatesPosition() {
        RiskGate gate({btcusdt()}, {});
        gate.onEvent(TradingEvent{
            0, 0, 0,
            OrderFilled{1, Side::Bid, *Price::parse("100"), *Quantity::parse("1"), *Decimal::parse("0.001"), "BTC"}});
        QCOMPARE(gate.position("BTC").toTrimmedString(), std::string("0.999"));
        // A fee in the quote leaves the base position as it is.
        gate.onEvent(TradingEvent{
            0, 0, 0,
            OrderFilled{2, Side::Ask, *Price::parse("100"), *Quantity::parse("0.5"), *Decimal::parse("0.05"), "USDT"}});
        QCOMPARE(gate.position("BTC").toTrimmedString(), std::string("0.499"));
    }

    void reduceOnlyPassesOnlyReducingOrders() {
        RiskGate gate({btcusdt()}, {});
        gate.onEvent(fill(1, Side::Bid, "100", "0.5"));
        gate.setMarketState(0, TradingState::ReduceOnly);
        QVERIFY(gate.check(0, order(Side::Bid, "100", "0.1", 2), kSecond));  // adds
        QVERIFY(!gate.check(0, order(Side::Ask, "100", "0.3", 3), kSecond)); // reduces
        QVERIFY(gate.check(0, order(Side::Ask, "100", "1.2", 4), kSecond));  // flips the position
    }
};

QTEST_APPLESS_MAIN(TestRiskGate)
#include "tst_riskgate.moc"
