#include "alerts/alertmonitor.h"

#include "engine/engine.h"
#include "engine/journalsink.h"
#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QTimer>

namespace md {

AlertMonitor::AlertMonitor(const Engine& engine, AlertRuleSettings rules, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_rules(rules)
    , m_log(logging::get("alerts"))
    , m_timer(new QTimer(this)) {
    qRegisterMetaType<md::Alert>();
    qRegisterMetaType<md::AlertKind>();
    m_timer->setInterval(250);
    connect(m_timer, &QTimer::timeout, this, &AlertMonitor::evaluate);
    m_timer->start();
}

AlertMonitor::~AlertMonitor() = default;

void AlertMonitor::setIntervalMs(int ms) {
    m_timer->setInterval(ms);
}

void AlertMonitor::evaluate() {
    AlertInputs in;
    in.nowMs = wallNowMs();
    in.health = m_engine.health();
    in.unknownOrders.assign(in.health.size(), 0);
    for (const auto& h : in.health) {
        // Only a market that is not running can leave orders behind; its last view says which.
        if (isActive(h.state) || h.openOrders == 0 || h.id >= in.unknownOrders.size())
            continue;
        if (auto view = m_engine.marketView(h.id))
            for (const auto& o : view->openOrders)
                in.unknownOrders[h.id] += o.status == OrderStatus::Pending;
    }
    if (m_journal && !m_journal->healthy())
        in.journalFailure = m_journal->failure();
    in.strategyFailure = m_engine.strategyFailure();

    const AlertBook::Changes changes = m_book.update(m_rules.evaluate(in), in.nowMs);
    for (const Alert& a : changes.raised) {
        const auto level = a.severity == AlertSeverity::Critical ? spdlog::level::err : spdlog::level::warn;
        m_log->log(level, "{}ALERT {}: {} — what to do: {}", a.market.empty() ? "" : "[" + a.market + "] ",
                   titleOf(a.kind), a.what, a.todo);
        emit alertRaised(a);
    }
    for (const Alert& a : changes.cleared) {
        m_log->info("{}alert cleared after {:.0f} s: {}", a.market.empty() ? "" : "[" + a.market + "] ",
                    (a.clearedMs - a.sinceMs) / 1000.0, titleOf(a.kind));
        emit alertCleared(a);
    }
    if (m_book.version() != m_version) {
        m_version = m_book.version();
        emit changed();
    }
}

void AlertMonitor::acknowledge(std::uint64_t id) {
    if (m_book.acknowledge(id) && m_book.version() != m_version) {
        m_version = m_book.version();
        emit changed();
    }
}

void AlertMonitor::acknowledgeAll() {
    if (m_book.acknowledgeAll() > 0) {
        m_version = m_book.version();
        m_log->info("all alerts acknowledged");
        emit changed();
    }
}

void AlertMonitor::setMuted(AlertKind kind, bool muted) {
    m_book.setMuted(kind, muted);
    if (m_book.version() != m_version) {
        m_version = m_book.version();
        m_log->info("alerts of kind {} {}", nameOf(kind), muted ? "muted" : "unmuted");
        emit changed();
    }
}

} // namespace md
