#include "alerts/alertrules.h"

#include <fmt/format.h>

namespace md {
namespace {

bool startsWith(const std::string& text, std::string_view prefix) {
    return text.rfind(prefix, 0) == 0;
}

std::string orders(std::uint64_t n) {
    return n == 1 ? "1 order" : fmt::format("{} orders", n);
}

} // namespace

AlertRules::AlertRules(AlertRuleSettings settings)
    : m_settings(settings) {}

std::string AlertRules::rejectionBurst(const MarketHealth& h, std::int64_t nowMs) {
    Rejections& r = m_rejections[h.name];
    const std::uint64_t total = h.ordersRejected;
    if (!r.seeded || total < r.last) { // first look, or counters of a fresh engine
        r = Rejections{};
        r.seeded = true;
        r.last = total;
        r.samples.emplace_back(nowMs, total);
        return {};
    }
    if (total > r.last)
        r.lastIncreaseMs = nowMs;
    r.last = total;
    r.samples.emplace_back(nowMs, total);
    while (r.samples.size() > 1 && nowMs - r.samples[1].first >= m_settings.rejectionWindowMs)
        r.samples.pop_front();
    const std::uint64_t inWindow = total - r.samples.front().second;
    if (inWindow >= m_settings.rejectionBurst)
        r.bursting = true;
    else if (r.bursting && nowMs - r.lastIncreaseMs >= m_settings.rejectionQuietMs)
        r.bursting = false;
    if (!r.bursting)
        return {};
    std::string text = fmt::format("{} placements rejected on {} in the last {} s ({} in all)", inWindow, h.name,
                                   m_settings.rejectionWindowMs / 1000, total);
    if (!h.lastRejection.empty())
        text += "; latest: " + h.lastRejection;
    return text;
}

std::vector<AlertCondition> AlertRules::evaluate(const AlertInputs& in) {
    std::vector<AlertCondition> out;
    auto add = [&out](AlertKind kind, const std::string& market, AlertSeverity severity, std::string what,
                      std::string todo) {
        out.push_back(AlertCondition{kind, market, severity, std::move(what), std::move(todo)});
    };
    for (const auto& h : in.health) {
        const bool quarantined = h.state == MarketState::Killed && startsWith(h.stateReason, "quarantined");
        if (quarantined)
            add(AlertKind::MarketQuarantined, h.name, AlertSeverity::Critical,
                fmt::format("{} is quarantined: {}", h.name, h.stateReason),
                "Its connector hung at every start. Check the venue and the connector settings, then restart "
                "MarketDesk to trade on it again. Check the exchange for orders left open.");
        else if (h.state == MarketState::Killed)
            add(AlertKind::MarketKilled, h.name, AlertSeverity::Critical,
                fmt::format("{} was killed: {}", h.name,
                            h.stateReason.empty() ? "it outlived its grace" : h.stateReason),
                "Orders may still be open on the exchange: check there, or switch the market on again (a fresh "
                "session asks the exchange which orders are open).");
        if (h.state == MarketState::Failed)
            add(AlertKind::MarketFailed, h.name, AlertSeverity::Critical,
                fmt::format("{} failed: {}", h.name, h.stateReason.empty() ? h.lastError : h.stateReason),
                "Switch it on again to restart it; if it fails again, check the venue's status and the "
                "connector settings.");
        const bool active = isActive(h.state) && h.state != MarketState::Stopping;
        if (active) {
            const bool badBook = startsWith(h.breakerReason, "book");
            // A hung gateway: an action (a cancel, a hedge) waits in the queue or in the executor longer
            // than risk.stuck_action_seconds (the engine's breaker says so: issue 11's executorStuck; the
            // market turns Degraded with the same reason a moment later — one alert either way).
            const bool stuckExecutor = h.executorStuck;
            if (h.state == MarketState::Degraded || badBook || stuckExecutor) {
                std::string why = "connector degraded";
                if (h.state == MarketState::Degraded && !h.stateReason.empty())
                    why = h.stateReason;
                else if (stuckExecutor)
                    why = fmt::format("executor stuck: oldest action {:.0f} s", h.oldestActionAgeSeconds);
                else if (badBook)
                    why = h.breakerReason;
                const bool stuck = why.find("stuck") != std::string::npos;
                add(AlertKind::MarketDegraded, h.name, AlertSeverity::Warning,
                    fmt::format("{} degraded: {}", h.name, why),
                    stuck ? "Orders and cancels wait in its queue: check the venue. Halt the market (right-click) "
                            "or the desk if it does not recover; open orders may fill meanwhile."
                          : "New placements are held until its data is trusted again (cancels pass). Check the "
                            "venue's status; it recovers by itself.");
            }
            if (!h.breakerReason.empty())
                add(AlertKind::BreakerTripped, h.name, AlertSeverity::Warning,
                    fmt::format("{} halted by its breaker: {} (cancels still pass)", h.name, h.breakerReason),
                    "It resumes by itself once the data is trusted again. Halt the desk if it persists.");
        }
        const std::string burst = rejectionBurst(h, in.nowMs);
        if (!burst.empty())
            add(AlertKind::RejectionBurst, h.name, AlertSeverity::Warning, burst,
                "Check the latest reason: a risk limit, the balance on the exchange, or the venue refusing. The "
                "strategy keeps retrying; halt the market if the reason will not go away by itself.");
        if (!isActive(h.state) && h.openOrders > 0) {
            const std::uint64_t unknown = h.id < in.unknownOrders.size() ? in.unknownOrders[h.id] : 0;
            const std::uint64_t open = h.openOrders > unknown ? h.openOrders - unknown : 0;
            std::string what = fmt::format("{} is {} with ", h.name, nameOf(h.state));
            if (open)
                what += orders(open) + " left open";
            if (open && unknown)
                what += " and ";
            if (unknown)
                what += orders(unknown) + " of unknown outcome (sent, never acknowledged)";
            add(AlertKind::OrdersLeft, h.name, AlertSeverity::Critical, what,
                "Check the exchange and cancel them there, or switch the market on again: its start-up "
                "reconciliation settles the orders the exchange no longer has.");
        }
    }
    if (!in.journalFailure.empty())
        add(AlertKind::JournalTrouble, {}, AlertSeverity::Critical,
            "Journal cannot be written: " + in.journalFailure + "; trading is halted",
            "Free disk space or fix the file's permissions, then restart MarketDesk. Orders already open are "
            "being cancelled; nothing new is placed unjournaled.");
    if (!in.strategyFailure.empty())
        add(AlertKind::StrategyFailed, {}, AlertSeverity::Critical,
            in.strategyFailure + "; that strategy is halted (the others trade on)",
            "Check the log for the strategy's last reasoning and the positions left, then resume it (Strategies "
            "panel) only if its state can be trusted.");
    return out;
}

} // namespace md
