// What the close-out says (log, headless stdout, journal and window use these lines): orders left,
// unknown outcomes, and ONE position figure per asset, the money's (fees in the base taken).
#include "engine/closeouttext.h"
#include "positions/moneybook.h"

#include <QTest>

using namespace md;

namespace {

Decimal d(const char* text) {
    return *Decimal::parse(text);
}

MarketSpec spec(MarketId id, const char* name) {
    MarketSpec s;
    s.id = id;
    s.name = name;
    s.instrument.symbol = "BTCUSDT";
    s.instrument.base = "BTC";
    s.instrument.quote = "USDT";
    s.instrument.tick = Price(1, 2);
    s.instrument.step = Quantity(1, 4);
    return s;
}

} // namespace

class TestCloseOutText : public QObject {
    Q_OBJECT
private slots:
    // A fee taken in the base asset shows in the position left: 1 BTC bought with a 0.001 BTC fee
    // leaves 0.999, and that is the only position figure the close-out gives (issue 14's net position
    // of fills said 1).
    void aFeeInTheBaseShowsInThePositionLeft() {
        ShutdownReport r;
        r.strategyAnswered = true;
        MarketShutdownReport m;
        m.name = "SIM-THIN";
        m.ordersLeftOpen = 0;
        r.markets = {m};
        MoneyBook book({spec(0, "SIM-THIN")});
        book.onFill(0, OrderFilled{1, Side::Bid, *Price::parse("100.00"), *Quantity::parse("1"), d("0.001"), "BTC"});
        r.money = book.snapshot();
        r.exposure = {{"BTC", d("0.999")}};
        QString all;
        for (const auto& l : closeOutLines(r))
            all += QString::fromStdString(l) + "\n";
        QVERIFY2(all.contains("exposure left: BTC +0.999"), qPrintable(all));
        QVERIFY2(all.contains("position left [SIM-THIN]: BTC +0.999"), qPrintable(all));
        QVERIFY2(all.contains("position left per asset: BTC +0.999"), qPrintable(all));
        QVERIFY2(!all.contains("BTC +1 ") && !all.contains("BTC +1\n") && !all.contains("BTC +1,"), qPrintable(all));
    }

    void closeOutLinesTellEverything() {
        ShutdownReport r;
        r.seconds = 0.61;
        r.strategyAnswered = false;
        r.strategyAnsweredLate = true;
        MarketShutdownReport clean;
        clean.name = "SIM-LIQUID";
        clean.actionsExecuted = 12;
        clean.ordersLeftOpen = 0;
        MarketShutdownReport killed;
        killed.name = "SIM-THIN";
        killed.clean = false;
        killed.detail = "executor stuck in an action after the grace period; thread abandoned";
        killed.actionsExecuted = 4;
        killed.actionsNotExecuted = 1;
        killed.ordersLeftOpen = 1;
        killed.ordersUnknown = 1;
        OrderView open{1,
                       17,
                       Side::Bid,
                       *Price::parse("64250.10"),
                       *Quantity::parse("0.0500"),
                       *Quantity::parse("0.0100"),
                       OrderStatus::PartiallyFilled,
                       {},
                       0,
                       0};
        OrderView unknown{1,
                          18,
                          Side::Ask,
                          *Price::parse("64250.30"),
                          *Quantity::parse("0.0500"),
                          *Quantity::parse("0.0000"),
                          OrderStatus::Pending,
                          {},
                          0,
                          0};
        killed.ordersLeft = {open, unknown};
        r.markets = {clean, killed};
        MoneyBook book({spec(0, "SIM-LIQUID"), spec(1, "SIM-THIN")});
        book.onFill(1, OrderFilled{16, Side::Bid, *Price::parse("64250.10"), *Quantity::parse("0.05")});
        r.money = book.snapshot();
        r.exposure = {{"BTC", d("0.05")}};
        QVERIFY(r.needsAttention());
        const auto lines = closeOutLines(r);
        QString all;
        for (const auto& l : lines)
            all += QString::fromStdString(l) + "\n";
        QVERIFY2(all.contains("close-out NEEDS ATTENTION: 1 market killed; 1 order left open, 1 of unknown outcome; "
                              "the strategy answered only after its timeout; exposure left: BTC +0.05 (0.61 s)"),
                 qPrintable(all));
        QVERIFY2(all.contains("close-out [SIM-THIN]: KILLED — 4 executed, 1 not executed, 0 outcome unknown, 1 order "
                              "left open, 1 never acknowledged (outcome unknown) (executor stuck"),
                 qPrintable(all));
        QVERIFY2(all.contains("open    [SIM-THIN] #17 bid 0.0500 @ 64250.10, filled 0.0100"), qPrintable(all));
        QVERIFY2(all.contains("unknown [SIM-THIN] #18 ask 0.0500 @ 64250.30, filled 0.0000 (sent, never acknowledged)"),
                 qPrintable(all));
        QVERIFY2(all.contains("position left per asset: BTC +0.05"), qPrintable(all));
        QVERIFY2(!all.contains("net position left"), qPrintable(all)); // one figure only
    }

    void whatNobodyKnowsIsSaidUnknown() {
        // Cut short (the watchdog, or a runner that never finished): the orders left open are unknown,
        // never 0, and an action the connector never answered is of unknown outcome (issue 11's fields).
        ShutdownReport r;
        r.strategyAnswered = true;
        MarketShutdownReport m;
        m.name = "B";
        m.clean = false;
        m.actionsExecuted = 3;
        m.actionsOutcomeUnknown = 1;
        r.markets = {m};
        QVERIFY(r.needsAttention());
        QString all;
        for (const auto& l : closeOutLines(r))
            all += QString::fromStdString(l) + "\n";
        QVERIFY2(all.contains("orders left open UNKNOWN on 1 market; 1 action of unknown outcome"), qPrintable(all));
        QVERIFY2(
            all.contains("close-out [B]: KILLED — 3 executed, 0 not executed, 1 outcome unknown, orders left open: "
                         "unknown"),
            qPrintable(all));
        QVERIFY2(!all.contains("no order left open"), qPrintable(all));
    }

    void aCleanCloseOutSaysSo() {
        ShutdownReport r;
        r.strategyAnswered = true;
        MarketShutdownReport m;
        m.name = "A";
        m.ordersLeftOpen = 0; // the market stopped and counted them
        r.markets = {m};
        QVERIFY(!r.needsAttention());
        const auto lines = closeOutLines(r);
        QVERIFY(QString::fromStdString(lines[0]).startsWith("close-out clean: every market stopped in order; no order "
                                                            "left open; the strategy answered the shutdown"));
        QCOMPARE(QString::fromStdString(lines.back()), QString("positions: nothing traded"));
    }
};

QTEST_APPLESS_MAIN(TestCloseOutText)
#include "tst_closeouttext.moc"
