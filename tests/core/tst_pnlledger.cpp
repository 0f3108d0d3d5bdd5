// P&L arithmetic by the average-cost rule (core/positions/pnlledger.h) with exact expected values:
// partial fills, the rounding of a partial close and the exact round trip, fees in quote, in base and
// in a third asset, a position flipping through zero, marks; and the desk's totals per currency.
#include "positions/moneybook.h"
#include "positions/pnlledger.h"

#include <QTest>

using namespace md;

namespace md {
// QCOMPARE prints a Decimal that differs.
char* toString(const Decimal& d) {
    return qstrdup(d.toString().c_str());
}
} // namespace md

namespace {

Instrument btcusdt(const char* quote = "USDT") {
    Instrument i;
    i.symbol = std::string("BTC") + quote;
    i.base = "BTC";
    i.quote = quote;
    i.tick = Price(1, 2);    // 0.01
    i.step = Quantity(1, 4); // 0.0001
    return i;
}
Price px(const char* s) {
    return *Price::parse(s);
}
Quantity qty(const char* s) {
    return *Quantity::parse(s);
}
Decimal dec(const char* s) {
    return *Decimal::parse(s);
}

} // namespace

class TestPnlLedger : public QObject {
    Q_OBJECT
private slots:
    void partialFillsAverageInAndCloseInProportion() {
        PnlLedger l(btcusdt());
        l.onFill(Side::Bid, px("100.00"), qty("0.5000")); // one order, two partial fills
        l.onFill(Side::Bid, px("104.00"), qty("0.2500"));
        QCOMPARE(l.position(), dec("0.75"));
        QCOMPARE(l.costBasis(), dec("76"));
        QCOMPARE(l.averageEntry(), dec("101.333333")); // displayed at the price scale + 4
        l.onFill(Side::Ask, px("106.00"), qty("0.3000"));
        QCOMPARE(l.realized(), dec("1.4")); // 0.3 * 106 - 76 * 0.3 / 0.75 = 31.8 - 30.4
        QCOMPARE(l.costBasis(), dec("45.6"));
        QCOMPARE(l.unrealized(), Decimal());    // never marked
        l.mark(px("107.00"), px("107.20"));     // mid 107.10
        QCOMPARE(l.unrealized(), dec("2.595")); // 0.45 * 107.1 - 45.6
        QCOMPARE(l.net(), dec("3.995"));
        l.mark(px("90.00"), std::nullopt); // a one-sided book keeps the last mark
        QCOMPARE(l.unrealized(), dec("2.595"));
        QCOMPARE(l.bought(), dec("0.75"));
        QCOMPARE(l.sold(), dec("0.3"));
        QCOMPARE(l.fillCount(), std::uint64_t(3));
    }

    // A third of 302.00 is not a decimal: the released cost is rounded (half away from zero) to the
    // cost's scale, and the close of the rest releases exactly what is left, so the round trip's
    // realized P&L is exactly the cash it made (-2.00).
    void partialCloseRoundsAndFullCloseIsExact() {
        PnlLedger l(btcusdt());
        l.onFill(Side::Bid, px("100.00"), qty("1"));
        l.onFill(Side::Bid, px("101.00"), qty("2"));
        l.onFill(Side::Ask, px("102.00"), qty("1"));
        QCOMPARE(l.realized(), dec("1.3333333333")); // 102 - 100.6666666667 (price scale 2 + 8)
        QCOMPARE(l.costBasis(), dec("201.3333333333"));
        l.onFill(Side::Ask, px("99.00"), qty("2"));
        QCOMPARE(l.position(), Decimal());
        QCOMPARE(l.costBasis(), Decimal());
        QCOMPARE(l.realized(), dec("-2")); // paid 302, received 300
        QCOMPARE(l.averageEntry(), Decimal());
    }

    void positionFlipsThroughZero() {
        PnlLedger l(btcusdt());
        l.onFill(Side::Bid, px("100.00"), qty("1"));
        l.onFill(Side::Ask, px("110.00"), qty("3")); // closes 1 (+10), opens 2 short at 110
        QCOMPARE(l.realized(), dec("10"));
        QCOMPARE(l.position(), dec("-2"));
        QCOMPARE(l.costBasis(), dec("-220"));
        QCOMPARE(l.averageEntry(), dec("110"));
        l.mark(px("104.00"), px("106.00")); // mid 105: the short gains 2 * 5
        QCOMPARE(l.unrealized(), dec("10"));
        l.onFill(Side::Bid, px("105.00"), qty("2.5")); // closes 2 (+10), opens 0.5 long at 105
        QCOMPARE(l.realized(), dec("20"));
        QCOMPARE(l.position(), dec("0.5"));
        QCOMPARE(l.averageEntry(), dec("105"));
        QCOMPARE(l.unrealized(), Decimal()); // 0.5 * 105 - 52.5
    }

    void feeInQuoteIsACost() {
        PnlLedger l(btcusdt());
        l.onFill(Side::Bid, px("100.00"), qty("1"), dec("0.1"), "USDT");
        l.onFill(Side::Ask, px("101.00"), qty("1"), dec("0.101"), "USDT");
        QCOMPARE(l.realized(), dec("1"));
        QCOMPARE(l.feesInQuote(), dec("0.201"));
        QCOMPARE(l.net(), dec("0.799"));
        QCOMPARE(l.fees().at("USDT"), dec("0.201"));
    }

    // A fee in base leaves the position: 1 BTC bought with a 0.001 BTC fee holds 0.999 BTC; the fee is
    // worth 0.1 USDT at the fill's price. At a mark of 110: 0.999 * 110 - 99.9 = 9.99 unrealized.
    void feeInBaseLeavesThePosition() {
        PnlLedger l(btcusdt());
        l.onFill(Side::Bid, px("100.00"), qty("1"), dec("0.001"), "BTC");
        QCOMPARE(l.position(), dec("0.999"));
        QCOMPARE(l.costBasis(), dec("99.9"));
        QCOMPARE(l.averageEntry(), dec("100"));
        QCOMPARE(l.realized(), Decimal());
        QCOMPARE(l.feesInQuote(), dec("0.1"));
        QCOMPARE(l.fees().at("BTC"), dec("0.001"));
        l.mark(px("109.99"), px("110.01"));
        QCOMPARE(l.unrealized(), dec("9.99"));
        QCOMPARE(l.net(), dec("9.89")); // paid 100, holds 0.999 BTC worth 109.89
        // Selling everything that is left closes the position exactly.
        l.onFill(Side::Ask, px("110.00"), qty("0.999"), dec("0.10989"), "USDT");
        QCOMPARE(l.position(), Decimal());
        QCOMPARE(l.realized(), dec("9.99"));
        QCOMPARE(l.feesInQuote(), dec("0.20989"));
        QCOMPARE(l.net(), dec("9.78011")); // received 109.89 - 0.10989, paid 100
    }

    void feeInAThirdAssetIsNeverConverted() {
        PnlLedger l(btcusdt());
        l.onFill(Side::Bid, px("100.00"), qty("1"), dec("0.00025"), "BNB");
        QCOMPARE(l.feesInQuote(), Decimal());
        QCOMPARE(l.fees().at("BNB"), dec("0.00025"));
        QCOMPARE(l.position(), dec("1"));
    }

    // Costs of a large desk times a quantity overflow 64 bits: the release is computed in 128.
    void largePositionsDoNotOverflow() {
        PnlLedger l(btcusdt());
        l.onFill(Side::Bid, px("64250.00"), qty("1000.1234"), dec("0.00012345"), "BTC");
        l.onFill(Side::Ask, px("64300.00"), qty("333.3333"));
        QVERIFY(l.realized().isPositive());
        QVERIFY(l.realized() < dec("50") * dec("333.3334"));
        l.onFill(Side::Ask, px("64250.00"), qty("666.79"));
        l.onFill(Side::Ask, px("64250.00"), Quantity(l.position())); // the rest, fee-adjusted
        QCOMPARE(l.position(), Decimal());
        // Flat: realized is exactly the cash the trades made (the base fee's value counted as a fee).
        const Decimal cash = dec("64300") * dec("333.3333") +
                             dec("64250") * (dec("1000.1234") - dec("0.00012345") - dec("333.3333")) -
                             dec("64250") * dec("1000.1234");
        QCOMPARE(l.realized() - l.feesInQuote(), cash);
    }

    // Binance reports prices and fees at 8 decimals: a base fee's value in quote has 16, the mark 9
    // and the unrealized 17. A day's fees then pass 9.22 USDT at scale 17 (the int64 limit): the net
    // must stay right (it read -92.23372036854775808, the saturated limit, in the tick-to-trade bench's
    // close-out after 2,100 fills).
    void aDaysFeesAtExchangePrecisionKeepTheNetRight() {
        PnlLedger l(btcusdt());
        for (int i = 0; i < 2101; ++i) { // odd: a position is left to mark
            const bool buy = i % 2 == 0;
            l.onFill(buy ? Side::Bid : Side::Ask, px(buy ? "64250.01000000" : "64250.02000000"), qty("0.00100000"),
                     dec("0.00000100"), "BTC");
        }
        l.mark(px("64250.00000000"), px("64250.01000000"));
        QCOMPARE(l.fillCount(), std::uint64_t{2101});
        const double expected = l.realized().toDouble() + l.unrealized().toDouble() - l.feesInQuote().toDouble();
        QVERIFY2(l.feesInQuote() > dec("100"), l.feesInQuote().toString().c_str());
        QVERIFY2(std::abs(l.net().toDouble() - expected) < 1e-6,
                 qPrintable(QString("net %1, realized + unrealized - fees = %2")
                                .arg(QString::fromStdString(l.net().toString()))
                                .arg(expected, 0, 'f', 10)));
        // A month of such days: the fees in quote keep their value.
        for (int i = 0; i < 30; ++i)
            l.addCarried(Decimal(), dec("134.9250105000000001"), {});
        QVERIFY2(l.feesInQuote() > dec("4000"), l.feesInQuote().toString().c_str());
    }

    // A coin priced at 8 decimals, whole-unit quantities: the released cost is computed at scale 16,
    // where 922.34 is already beyond int64: a partial close must still release the right cost.
    void aCheapCoinsCostBeyond922KeepsItsValue() {
        Instrument i;
        i.symbol = "NKNUSDT";
        i.base = "NKN";
        i.quote = "USDT";
        i.tick = Price(1, 8);
        i.step = Quantity(1, 0);
        PnlLedger l(i);
        l.onFill(Side::Bid, px("0.12345678"), qty("100000"));
        l.onFill(Side::Ask, px("0.13000000"), qty("30000"));
        QCOMPARE(l.realized(), dec("196.2966")); // 30000 * 0.13 - 12345.678 * 0.3
        QCOMPARE(l.costBasis(), dec("8641.9746"));
    }

    void carriedRealizedAndFeesAddToTheRun() {
        PnlLedger l(btcusdt());
        l.addCarried(dec("12.5"), dec("0.75"), {{"BNB", dec("0.01")}});
        l.onFill(Side::Bid, px("100.00"), qty("1"));
        l.onFill(Side::Ask, px("101.00"), qty("1"));
        QCOMPARE(l.realized(), dec("13.5"));
        QCOMPARE(l.feesInQuote(), dec("0.75"));
        QCOMPARE(l.fees().at("BNB"), dec("0.01"));
    }

    // Totals per quote currency, never across: two USDT markets add up, the EUR market stays apart.
    void deskTotalsPerCurrency() {
        std::vector<MarketSpec> specs(3);
        specs[0].name = "A";
        specs[0].instrument = btcusdt();
        specs[1].name = "B";
        specs[1].instrument = btcusdt();
        specs[2].name = "C";
        specs[2].instrument = btcusdt("EUR");
        MoneyBook book(specs);
        book.onFill(0, OrderFilled{1, Side::Bid, px("100.00"), qty("1"), dec("0.1"), "USDT"});
        book.onFill(1, OrderFilled{1, Side::Ask, px("101.00"), qty("0.5"), dec("0.05"), "USDT"});
        book.onFill(2, OrderFilled{1, Side::Bid, px("90.00"), qty("2"), dec("0.002"), "BTC"});
        book.onFill(2, OrderFilled{2, Side::Bid, px("90.00"), qty("1"), dec("0.03"), "BNB"});
        book.mark(0, px("101.00"), px("101.00"));
        book.mark(1, px("101.00"), px("101.00"));
        book.mark(2, px("91.00"), px("91.00"));
        book.onBalance(2, BalanceUpdated{"EUR", qty("730"), qty("0")});
        const MoneySnapshot s = book.snapshot();
        QCOMPARE(s.currencies.size(), 2u);
        const CurrencyMoney* usdt = s.currency("USDT");
        QVERIFY(usdt);
        QCOMPARE(usdt->unrealized, dec("1")); // A: +1; B: short 0.5 at 101, mark 101: 0
        QCOMPARE(usdt->fees, dec("0.15"));
        QCOMPARE(usdt->net, dec("0.85"));
        const CurrencyMoney* eur = s.currency("EUR");
        QVERIFY(eur);
        QCOMPARE(eur->fees, dec("0.18"));        // 0.002 BTC at 90; the BNB fee is not converted
        QCOMPARE(eur->unrealized, dec("2.998")); // 2.998 * 91 - 269.82
        QCOMPARE(s.otherFees.at("BNB"), dec("0.03"));
        QCOMPARE(s.assets.size(), 1u);
        QCOMPARE(s.assets[0].asset, std::string("BTC"));
        QCOMPARE(s.assets[0].position, dec("3.498")); // 1 - 0.5 + 2.998
        QCOMPARE(s.balances.size(), 1u);
        QCOMPARE(s.balances[0].marketName, std::string("C"));
        QCOMPARE(s.balances[0].free, dec("730"));
    }
};

QTEST_APPLESS_MAIN(TestPnlLedger)
#include "tst_pnlledger.moc"
