#include "metrics/moneyformatter.h"

#include "metrics/prometheusformatter.h"

#include <fmt/format.h>

namespace md {
namespace {

void header(std::string& out, const char* name, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
}

std::string value(Decimal d) {
    return d.toTrimmedString();
}

} // namespace

std::string formatMoneyPrometheus(const MoneySnapshot& money) {
    std::string out;
    header(out, "marketdesk_balance", "Free and locked balance per market and asset, as the connector last said.");
    for (const auto& b : money.balances) {
        out += fmt::format("marketdesk_balance{{market=\"{}\",asset=\"{}\",kind=\"free\"}} {}\n",
                           prometheusLabel(b.marketName), prometheusLabel(b.asset), value(b.free));
        out += fmt::format("marketdesk_balance{{market=\"{}\",asset=\"{}\",kind=\"locked\"}} {}\n",
                           prometheusLabel(b.marketName), prometheusLabel(b.asset), value(b.locked));
    }
    header(out, "marketdesk_position",
           "Position in the market's base asset from this run's fills (fees taken in it included).");
    for (const auto& m : money.markets)
        out += fmt::format("marketdesk_position{{market=\"{}\",asset=\"{}\"}} {}\n", prometheusLabel(m.name),
                           prometheusLabel(m.base), value(m.position));
    header(out, "marketdesk_pnl_realized", "Realized P&L (average cost, gross of fees) in the quote currency.");
    for (const auto& m : money.markets)
        out += fmt::format("marketdesk_pnl_realized{{market=\"{}\",currency=\"{}\"}} {}\n", prometheusLabel(m.name),
                           prometheusLabel(m.quote), value(m.realized));
    header(out, "marketdesk_pnl_unrealized",
           "Unrealized P&L of the position marked to the mid, in the quote currency.");
    for (const auto& m : money.markets)
        out += fmt::format("marketdesk_pnl_unrealized{{market=\"{}\",currency=\"{}\"}} {}\n", prometheusLabel(m.name),
                           prometheusLabel(m.quote), value(m.unrealized));
    header(out, "marketdesk_pnl_net", "Realized + unrealized - fees valued in the quote currency.");
    for (const auto& m : money.markets)
        out += fmt::format("marketdesk_pnl_net{{market=\"{}\",currency=\"{}\"}} {}\n", prometheusLabel(m.name),
                           prometheusLabel(m.quote), value(m.net));
    header(out, "marketdesk_fees", "Fees charged on the market's fills, per asset as charged (never converted).");
    for (const auto& m : money.markets)
        for (const auto& [asset, amount] : m.fees)
            out += fmt::format("marketdesk_fees{{market=\"{}\",asset=\"{}\"}} {}\n", prometheusLabel(m.name),
                               prometheusLabel(asset), value(amount));
    // Per strategy beside per market (issue 17): names of their own, so a sum over a market series
    // never counts a fill twice. The trader's manual orders are strategy="manual".
    auto strategySeries = [&](const char* name, const char* help, auto value) {
        header(out, name, help);
        for (const auto& s : money.strategies)
            out += fmt::format("{}{{strategy=\"{}\",market=\"{}\",currency=\"{}\"}} {}\n", name,
                               prometheusLabel(s.strategy), prometheusLabel(s.marketName), prometheusLabel(s.quote),
                               value(s).toTrimmedString());
    };
    strategySeries("marketdesk_strategy_pnl_realized",
                   "A strategy's realized P&L on a market (its fills, average cost).",
                   [](const StrategyMoney& s) { return s.realized; });
    strategySeries("marketdesk_strategy_pnl_unrealized", "A strategy's position on a market marked to the mid.",
                   [](const StrategyMoney& s) { return s.unrealized; });
    strategySeries("marketdesk_strategy_fees", "Fees on a strategy's fills on a market, valued in the quote currency.",
                   [](const StrategyMoney& s) { return s.feesInQuote; });
    strategySeries("marketdesk_strategy_pnl_net", "A strategy's realized + unrealized - fees on a market.",
                   [](const StrategyMoney& s) { return s.net; });
    header(out, "marketdesk_strategy_position", "A strategy's position on a market in its base asset.");
    for (const auto& s : money.strategies)
        out += fmt::format("marketdesk_strategy_position{{strategy=\"{}\",market=\"{}\",asset=\"{}\"}} {}\n",
                           prometheusLabel(s.strategy), prometheusLabel(s.marketName), prometheusLabel(s.base),
                           value(s.position));
    return out;
}

} // namespace md
