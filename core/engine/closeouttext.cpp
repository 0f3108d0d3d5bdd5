#include "engine/closeouttext.h"

#include "positions/moneytext.h"

#include <fmt/format.h>

namespace md {
namespace {

std::string plural(std::uint64_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

} // namespace

std::string signedDecimal(Decimal value) {
    const std::string text = value.toTrimmedString();
    return value.isPositive() ? "+" + text : text;
}

std::vector<std::string> closeOutLines(const ShutdownReport& report) {
    std::vector<std::string> lines;
    std::uint64_t killed = 0, open = 0, unknown = 0, actionsUnknown = 0, marketsUnknown = 0;
    for (const auto& m : report.markets) {
        killed += !m.clean;
        actionsUnknown += m.actionsOutcomeUnknown;
        marketsUnknown += !m.ordersLeftOpen;
        for (const auto& o : m.ordersLeft)
            (o.status == OrderStatus::Pending ? unknown : open) += 1;
    }
    std::string summary = report.needsAttention() ? "close-out NEEDS ATTENTION: " : "close-out clean: ";
    summary += killed ? plural(killed, "market killed", "markets killed") : "every market stopped in order";
    if (open || unknown)
        summary += fmt::format("; {} left open, {} of unknown outcome", plural(open, "order", "orders"), unknown);
    else if (!marketsUnknown)
        summary += "; no order left open";
    if (marketsUnknown)
        summary += fmt::format("; orders left open UNKNOWN on {}", plural(marketsUnknown, "market", "markets"));
    if (actionsUnknown)
        summary += fmt::format("; {} of unknown outcome", plural(actionsUnknown, "action", "actions"));
    summary += report.strategyAnswered       ? "; the strategy answered the shutdown"
               : report.strategyAnsweredLate ? "; the strategy answered only after its timeout"
                                             : "; the strategy did NOT answer the shutdown";
    if (!report.exposure.empty()) {
        std::string exposure;
        for (const auto& p : report.exposure)
            exposure += (exposure.empty() ? "" : ", ") + p.asset + " " + signedDecimal(p.position);
        summary += "; exposure left: " + exposure;
    }
    summary += fmt::format(" ({:.2f} s)", report.seconds);
    lines.push_back(std::move(summary));

    for (const auto& m : report.markets) {
        // Unknown is said as such, never as 0: a market cut short does not know what it left open.
        std::string line =
            fmt::format("close-out [{}]: {} — {} executed, {} not executed, {} outcome unknown, {}", m.name,
                        m.clean ? "clean" : "KILLED", m.actionsExecuted, m.actionsNotExecuted, m.actionsOutcomeUnknown,
                        m.ordersLeftOpen ? plural(*m.ordersLeftOpen, "order", "orders") + " left open"
                                         : std::string("orders left open: unknown"));
        if (m.ordersUnknown)
            line += fmt::format(", {} never acknowledged (outcome unknown)", m.ordersUnknown);
        if (m.verified)
            line += fmt::format(", the exchange confirms {} open", m.openOnExchange.size());
        if (!m.detail.empty())
            line += " (" + m.detail + ")";
        lines.push_back(std::move(line));
        for (const auto& o : m.ordersLeft)
            lines.push_back(fmt::format("  {} [{}] #{} {} {} @ {}, filled {}{}",
                                        o.status == OrderStatus::Pending ? "unknown" : "open   ", m.name, o.id,
                                        nameOf(o.side), o.quantity.toString(), o.price.toString(), o.filled.toString(),
                                        o.status == OrderStatus::Pending ? " (sent, never acknowledged)" : ""));
    }
    // The position left per market and per asset (fees in the base taken, restored positions included),
    // P&L and fees per currency: one source, the money at the close ("positions: nothing traded" when
    // there is none).
    for (auto& line : moneytext::closeOutLines(report.money))
        lines.push_back(std::move(line));
    return lines;
}

} // namespace md
