#include "metrics/prometheusformatter.h"

#include "alerts/alertbook.h"
#include "risk/rejectionreason.h"

#include <fmt/format.h>

#include <cmath>

namespace md {
namespace {

std::string sanitizeName(const std::string& key) {
    std::string out;
    for (char c : key)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    return out;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

template <class F>
void perMarket(std::string& out, const std::vector<MarketHealth>& markets, const char* name, const char* type,
               const char* help, F value) {
    header(out, name, type, help);
    for (const auto& m : markets)
        out += fmt::format("{}{{market=\"{}\"}} {}\n", name, prometheusLabel(m.name), value(m));
}

} // namespace

std::string prometheusLabel(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string formatPrometheus(const std::vector<MarketHealth>& markets, bool halted, double uptimeSeconds) {
    std::string out;
    out.reserve(4096 + markets.size() * 2048);
    header(out, "marketdesk_uptime_seconds", "gauge", "Seconds since the engine started.");
    out += fmt::format("marketdesk_uptime_seconds {:.3f}\n", uptimeSeconds);
    header(out, "marketdesk_trading_halted", "gauge", "1 while trading is halted (no new placements).");
    out += fmt::format("marketdesk_trading_halted {}\n", halted ? 1 : 0);

    perMarket(out, markets, "marketdesk_market_up", "gauge", "1 when the market is Running.",
              [](const MarketHealth& m) { return m.state == MarketState::Running ? 1 : 0; });
    header(out, "marketdesk_market_state", "gauge", "1 for the market's current state.");
    static constexpr MarketState states[] = {MarketState::Stopped,  MarketState::Starting, MarketState::Running,
                                             MarketState::Degraded, MarketState::Stopping, MarketState::Failed,
                                             MarketState::Killed};
    for (const auto& m : markets)
        for (MarketState s : states)
            out += fmt::format("marketdesk_market_state{{market=\"{}\",state=\"{}\"}} {}\n", prometheusLabel(m.name),
                               nameOf(s), m.state == s ? 1 : 0);
    perMarket(out, markets, "marketdesk_events_total", "counter", "Events received from the market.",
              [](const MarketHealth& m) { return m.eventsTotal; });
    perMarket(out, markets, "marketdesk_actions_enqueued_total", "counter", "Actions accepted into the market's queue.",
              [](const MarketHealth& m) { return m.actionsEnqueued; });
    perMarket(out, markets, "marketdesk_actions_executed_total", "counter", "Actions the executor completed.",
              [](const MarketHealth& m) { return m.actionsExecuted; });
    perMarket(out, markets, "marketdesk_actions_rejected_total", "counter",
              "Actions refused before the queue (halted, market not running).",
              [](const MarketHealth& m) { return m.actionsRejected; });
    perMarket(out, markets, "marketdesk_actions_not_executed_total", "counter",
              "Actions that were queued and taken back (kill, executor failure): they never reached the connector.",
              [](const MarketHealth& m) { return m.actionsNotExecuted; });
    perMarket(out, markets, "marketdesk_actions_outcome_unknown_total", "counter",
              "Actions the connector had when its executor was killed or threw: what became of them is unknown.",
              [](const MarketHealth& m) { return m.actionsOutcomeUnknown; });
    header(out, "marketdesk_orders_rejected_total", "counter",
           "Placements refused, by reason: a risk limit, the market's queue (stopping, not running) or the exchange.");
    for (const auto& m : markets)
        for (std::size_t r = 0; r < kRejectionReasons; ++r) {
            const auto reason = nameOf(static_cast<RejectionReason>(r));
            std::uint64_t count = 0;
            for (const auto& [name, n] : m.rejectionsByReason)
                if (name == reason)
                    count = n;
            out += fmt::format("marketdesk_orders_rejected_total{{market=\"{}\",reason=\"{}\"}} {}\n",
                               prometheusLabel(m.name), reason, count);
        }
    perMarket(out, markets, "marketdesk_action_queue_depth", "gauge",
              "Actions waiting in the market's queue, plus the one its executor holds.",
              [](const MarketHealth& m) { return m.queueDepth; });
    perMarket(out, markets, "marketdesk_oldest_action_age_seconds", "gauge",
              "Age of the oldest action waiting (queued or in the executor's hands).",
              [](const MarketHealth& m) { return m.oldestActionAgeSeconds; });
    perMarket(out, markets, "marketdesk_executor_stuck", "gauge",
              "1 while the oldest action is older than stuck_action_seconds (the market's breaker holds).",
              [](const MarketHealth& m) { return m.executorStuck ? 1 : 0; });
    perMarket(out, markets, "marketdesk_open_orders", "gauge", "Our open orders on the market.",
              [](const MarketHealth& m) { return m.openOrders; });
    perMarket(out, markets, "marketdesk_best_bid", "gauge", "Best bid of the event network's book.",
              [](const MarketHealth& m) { return m.bestBid; });
    perMarket(out, markets, "marketdesk_best_ask", "gauge", "Best ask of the event network's book.",
              [](const MarketHealth& m) { return m.bestAsk; });
    perMarket(out, markets, "marketdesk_parse_errors_total", "counter", "Malformed exchange messages skipped.",
              [](const MarketHealth& m) { return m.parseErrors; });
    perMarket(out, markets, "marketdesk_errors_total", "counter",
              "Parse errors, executor errors and rejections by the exchange.",
              [](const MarketHealth& m) { return m.errors; });
    perMarket(out, markets, "marketdesk_late_events_dropped_total", "counter",
              "Events from a stopped or abandoned market's threads, dropped.",
              [](const MarketHealth& m) { return m.droppedLateEvents; });
    perMarket(out, markets, "marketdesk_last_event_age_seconds", "gauge", "Seconds since the last event (-1: none).",
              [](const MarketHealth& m) { return m.lastEventAgeSeconds; });
    perMarket(out, markets, "marketdesk_last_data_age_seconds", "gauge",
              "Seconds since the market's own data (its book) last changed (-1: none yet).",
              [](const MarketHealth& m) { return m.lastDataAgeSeconds; });
    perMarket(out, markets, "marketdesk_market_restarts_total", "counter", "Times the market was started again.",
              [](const MarketHealth& m) { return m.restarts; });

    header(out, "marketdesk_tick_to_action_seconds", "histogram",
           "From the connector receiving an event to the executor taking the action it caused.");
    for (const auto& m : markets) {
        const std::string label = prometheusLabel(m.name);
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kLatencyBucketsUs.size(); ++i) {
            cumulative += m.tickToAction.counts[i];
            out += fmt::format("marketdesk_tick_to_action_seconds_bucket{{market=\"{}\",le=\"{}\"}} {}\n", label,
                               kLatencyBucketsUs[i] / 1e6, cumulative);
        }
        cumulative += m.tickToAction.counts.back();
        out += fmt::format("marketdesk_tick_to_action_seconds_bucket{{market=\"{}\",le=\"+Inf\"}} {}\n", label,
                           cumulative);
        out += fmt::format("marketdesk_tick_to_action_seconds_sum{{market=\"{}\"}} {}\n", label,
                           m.tickToAction.sumUs / 1e6);
        out +=
            fmt::format("marketdesk_tick_to_action_seconds_count{{market=\"{}\"}} {}\n", label, m.tickToAction.total);
    }

    // Connector-specific figures (Binance: weight headroom, clock skew, stream ages, ...).
    for (const auto& m : markets)
        for (const auto& detail : m.details)
            if (std::isfinite(detail.value))
                out += fmt::format("marketdesk_connector_{}{{market=\"{}\",connector=\"{}\"}} {}\n",
                                   sanitizeName(detail.key), prometheusLabel(m.name), prometheusLabel(m.connector),
                                   detail.value);
    return out;
}

std::string formatJournalPrometheus(const JournalHealth& journal) {
    std::string out;
    header(out, "marketdesk_journal_healthy", "gauge", "0 once a journal write failed (trading halted).");
    out += fmt::format("marketdesk_journal_healthy {}\n", journal.healthy ? 1 : 0);
    header(out, "marketdesk_journal_lag_seconds", "gauge", "Age of the oldest journal record not yet committed.");
    out += fmt::format("marketdesk_journal_lag_seconds {:.6f}\n", journal.oldestUncommittedSeconds);
    header(out, "marketdesk_journal_records_total", "counter", "Journal records handed out (sequence numbers).");
    out += fmt::format("marketdesk_journal_records_total {}\n", journal.recorded);
    header(out, "marketdesk_journal_committed_total", "counter", "Journal records committed.");
    out += fmt::format("marketdesk_journal_committed_total {}\n", journal.committed);
    return out;
}

std::string formatPrometheusAlerts(const AlertBook& alerts) {
    std::string out;
    header(out, "marketdesk_alerts_raised_total", "counter", "Alerts raised, by kind.");
    for (AlertKind kind : kAlertKinds)
        out +=
            fmt::format("marketdesk_alerts_raised_total{{kind=\"{}\"}} {}\n", nameOf(kind), alerts.raisedTotal(kind));
    header(out, "marketdesk_alerts_cleared_total", "counter", "Alerts cleared, by kind.");
    for (AlertKind kind : kAlertKinds)
        out +=
            fmt::format("marketdesk_alerts_cleared_total{{kind=\"{}\"}} {}\n", nameOf(kind), alerts.clearedTotal(kind));
    header(out, "marketdesk_alerts_active", "gauge", "Alerts whose condition lasts, by kind and severity.");
    for (AlertKind kind : kAlertKinds)
        for (AlertSeverity severity : {AlertSeverity::Warning, AlertSeverity::Critical}) {
            std::size_t n = 0;
            for (const auto& a : alerts.alerts())
                n += a.active() && a.kind == kind && a.severity == severity;
            out += fmt::format("marketdesk_alerts_active{{kind=\"{}\",severity=\"{}\"}} {}\n", nameOf(kind),
                               nameOf(severity), n);
        }
    header(out, "marketdesk_alerts_unacknowledged", "gauge", "Alerts not acknowledged yet (muted kinds left out).");
    out += fmt::format("marketdesk_alerts_unacknowledged {}\n", alerts.unacknowledged());
    return out;
}

} // namespace md
