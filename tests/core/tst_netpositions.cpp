// Net position per asset from fills, per market and desk-wide, exact; and what the close-out says.
#include "engine/closeouttext.h"
#include "positions/netpositions.h"

#include <QTest>

using namespace md;

namespace {

Instrument instrument(const char* base, const char* quote) {
    Instrument i;
    i.base = base;
    i.quote = quote;
    i.tick = Price(1, 2);
    i.step = Quantity(1, 4);
    return i;
}

Decimal d(const char* text) {
    return *Decimal::parse(text);
}

} // namespace

class TestNetPositions : public QObject {
    Q_OBJECT
private slots:
    void fillsMoveBaseAndQuote() {
        NetPositions p;
        const Instrument btcusdt = instrument("BTC", "USDT");
        p.onFill(0, btcusdt, Side::Bid, *Price::parse("64250.10"), *Quantity::parse("0.0500"));
        p.onFill(0, btcusdt, Side::Ask, *Price::parse("64260.00"), *Quantity::parse("0.0200"));
        QCOMPARE(p.market(0, "BTC"), d("0.03"));
        // -3212.505 + 1285.2 = -1927.305, exactly
        QCOMPARE(p.market(0, "USDT"), d("-1927.305"));
        // A mirror's recoup on another market: flat in BTC desk-wide, not on each market.
        p.onFill(1, btcusdt, Side::Ask, *Price::parse("64255.00"), *Quantity::parse("0.0300"));
        QCOMPARE(p.desk("BTC"), d("0"));
        QCOMPARE(p.market(1, "BTC"), d("-0.03"));
        QCOMPARE(p.desk("USDT"), d("-1927.305") + d("1927.65"));
        QCOMPARE(p.desk("ETH"), Decimal());
        QCOMPARE(p.deskPositions().size(), 2u);
        QCOMPARE(p.marketPositions(1).size(), 2u);
        QVERIFY(p.marketPositions(7).empty());
    }

    void accumulateByAsset() {
        std::vector<AssetPosition> all;
        NetPositions::accumulate(all, {{"USDT", d("-10")}, {"BTC", d("0.5")}});
        NetPositions::accumulate(all, {{"BTC", d("-0.2")}, {"EUR", d("3")}});
        QCOMPARE(all.size(), 3u);
        QCOMPARE(all[0].asset, std::string("BTC"));
        QCOMPARE(all[0].net, d("0.3"));
        QCOMPARE(all[1].asset, std::string("EUR"));
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
        r.positions = {{"BTC", d("0.05")}, {"USDT", d("-3212.505")}};
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
        QVERIFY2(all.contains("net position left (this run's fills): BTC +0.05, USDT -3212.505"), qPrintable(all));
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
        QCOMPARE(QString::fromStdString(lines.back()), QString("net position left: nothing traded in this run"));
    }
};

QTEST_APPLESS_MAIN(TestNetPositions)
#include "tst_netpositions.moc"
