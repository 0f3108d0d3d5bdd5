#include "positions/moneytext.h"

#include "engine/closeouttext.h"

#include <fmt/format.h>

#include <map>

namespace md::moneytext {

bool hasMoney(const MarketMoney& m) {
    return m.fills > 0 || !m.realized.isZero() || !m.feesInQuote.isZero() || !m.fees.empty();
}

bool hasMoney(const MoneySnapshot& money) {
    for (const auto& m : money.markets)
        if (hasMoney(m))
            return true;
    return !money.otherFees.empty();
}

namespace {
std::string otherFees(const std::map<std::string, Decimal>& fees, const std::string& base, const std::string& quote) {
    std::string out;
    for (const auto& [asset, amount] : fees)
        if (asset != base && asset != quote)
            out += fmt::format(" + {} {}", amount.toTrimmedString(), asset);
    return out;
}
} // namespace

std::vector<std::string> closeOutLines(const MoneySnapshot& money, bool withAssetLine) {
    std::vector<std::string> lines;
    for (const auto& m : money.markets) {
        if (!hasMoney(m))
            continue;
        lines.push_back(fmt::format(
            "position left [{}]: {} {}{}, realized {} {}, unrealized {}, fees {}{}, net {} ({} fill{})", m.name, m.base,
            signedDecimal(m.position),
            m.position.isZero() ? std::string()
                                : fmt::format(" (average entry {}{})", m.averageEntry.toTrimmedString(),
                                              m.marked ? ", mid " + m.mid.toTrimmedString() : ", no mid"),
            signedDecimal(m.realized), m.quote, signedDecimal(m.unrealized), m.feesInQuote.toTrimmedString(),
            otherFees(m.fees, m.base, m.quote), signedDecimal(m.net), m.fills, m.fills == 1 ? "" : "s"));
    }
    if (withAssetLine && !money.assets.empty()) {
        std::string assets;
        for (const auto& a : money.assets)
            assets += fmt::format("{}{} {}", assets.empty() ? "" : ", ", a.asset, signedDecimal(a.position));
        lines.push_back("position left per asset: " + assets);
    }
    for (const auto& c : money.currencies) {
        if (c.realized.isZero() && c.unrealized.isZero() && c.fees.isZero())
            continue;
        lines.push_back(fmt::format("P&L {}: realized {}, unrealized {}, fees {}, net {}", c.currency,
                                    signedDecimal(c.realized), signedDecimal(c.unrealized), c.fees.toTrimmedString(),
                                    signedDecimal(c.net)));
    }
    for (const auto& [asset, amount] : money.otherFees)
        lines.push_back(fmt::format("fees paid in {}: {} (not converted)", asset, amount.toTrimmedString()));
    if (lines.empty())
        lines.emplace_back("positions: nothing traded");
    return lines;
}

std::string strategyText(const MoneySnapshot& money, const std::string& strategyId) {
    struct Sum {
        Decimal net;
        Decimal fees;
    };
    std::map<std::string, Sum> byCurrency;
    for (const auto& s : money.strategies) {
        if (s.strategy != strategyId || s.fills == 0)
            continue;
        Sum& sum = byCurrency[s.quote];
        sum.net += s.net;
        sum.fees += s.feesInQuote;
    }
    std::string out;
    for (const auto& [currency, sum] : byCurrency)
        out += fmt::format("{}{} {} (fees {})", out.empty() ? "" : "; ", signedDecimal(sum.net), currency,
                           sum.fees.toTrimmedString());
    return out.empty() ? "—" : out;
}

std::string statusText(const MoneySnapshot& money) {
    std::string out;
    for (const auto& c : money.currencies) {
        if (c.realized.isZero() && c.unrealized.isZero() && c.fees.isZero())
            continue;
        out += fmt::format("{}P&L {} {} (fees {})", out.empty() ? "" : "; ", c.currency, signedDecimal(c.net),
                           c.fees.toTrimmedString());
    }
    return out.empty() ? "P&L 0" : out;
}

} // namespace md::moneytext
