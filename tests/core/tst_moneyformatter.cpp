// The money in the Prometheus text (issue 15): balances free/locked, position, P&L and fees per market,
// exact decimals, labels escaped. (Plain string literals: moc cannot read raw ones holding \".)
#include "metrics/moneyformatter.h"

#include <QTest>

using namespace md;

class TestMoneyFormatter : public QObject {
    Q_OBJECT
private slots:
    void everySeriesWithExactValues() {
        MoneySnapshot s;
        MarketMoney m;
        m.name = "SIM \"A\"";
        m.base = "BTC";
        m.quote = "USDT";
        m.position = *Decimal::parse("-0.2500");
        m.realized = *Decimal::parse("1.40");
        m.unrealized = *Decimal::parse("-0.05");
        m.net = *Decimal::parse("1.32");
        m.fees = {{"BNB", *Decimal::parse("0.0003")}, {"USDT", *Decimal::parse("0.03")}};
        s.markets.push_back(m);
        s.balances.push_back({0, "SIM \"A\"", "USDT", *Decimal::parse("990.5"), *Decimal::parse("9.5")});
        StrategyMoney mm;
        mm.strategy = "mm \"1\"";
        mm.marketName = "SIM \"A\"";
        mm.base = "BTC";
        mm.quote = "USDT";
        mm.position = *Decimal::parse("-0.25");
        mm.realized = *Decimal::parse("1.5");
        mm.unrealized = *Decimal::parse("-0.05");
        mm.feesInQuote = *Decimal::parse("0.03");
        mm.net = *Decimal::parse("1.42");
        s.strategies.push_back(mm);
        const std::string text = formatMoneyPrometheus(s);
        for (const char* line : {
                 "marketdesk_balance{market=\"SIM \\\"A\\\"\",asset=\"USDT\",kind=\"free\"} 990.5",
                 "marketdesk_balance{market=\"SIM \\\"A\\\"\",asset=\"USDT\",kind=\"locked\"} 9.5",
                 "marketdesk_position{market=\"SIM \\\"A\\\"\",asset=\"BTC\"} -0.25",
                 "marketdesk_pnl_realized{market=\"SIM \\\"A\\\"\",currency=\"USDT\"} 1.4",
                 "marketdesk_pnl_unrealized{market=\"SIM \\\"A\\\"\",currency=\"USDT\"} -0.05",
                 "marketdesk_pnl_net{market=\"SIM \\\"A\\\"\",currency=\"USDT\"} 1.32",
                 "marketdesk_fees{market=\"SIM \\\"A\\\"\",asset=\"BNB\"} 0.0003",
                 "marketdesk_fees{market=\"SIM \\\"A\\\"\",asset=\"USDT\"} 0.03",
                 "# TYPE marketdesk_balance gauge",
                 "marketdesk_strategy_pnl_realized{strategy=\"mm \\\"1\\\"\",market=\"SIM "
                 "\\\"A\\\"\",currency=\"USDT\"} 1.5",
                 "marketdesk_strategy_pnl_unrealized{strategy=\"mm \\\"1\\\"\",market=\"SIM "
                 "\\\"A\\\"\",currency=\"USDT\"} -0.05",
                 "marketdesk_strategy_fees{strategy=\"mm \\\"1\\\"\",market=\"SIM \\\"A\\\"\",currency=\"USDT\"} 0.03",
                 "marketdesk_strategy_pnl_net{strategy=\"mm \\\"1\\\"\",market=\"SIM \\\"A\\\"\",currency=\"USDT\"} "
                 "1.42",
                 "marketdesk_strategy_position{strategy=\"mm \\\"1\\\"\",market=\"SIM \\\"A\\\"\",asset=\"BTC\"} -0.25",
                 "# TYPE marketdesk_strategy_pnl_net gauge",
             })
            QVERIFY2(text.find(std::string(line) + "\n") != std::string::npos, line);
    }
};

QTEST_APPLESS_MAIN(TestMoneyFormatter)
#include "tst_moneyformatter.moc"
