#pragma once

#include "alerts/alertbook.h"
#include "alerts/alertrules.h"

#include <QObject>

#include <memory>

class QTimer;

namespace spdlog {
class logger;
}

namespace md {

class Engine;
class JournalSink;

/// Watches the engine and keeps the desk's AlertBook: every `interval` it reads the health snapshot
/// (and the journal's and the strategy's state), evaluates the AlertRules, logs each alert raised
/// (error for critical, warn otherwise) and cleared (info) on the "alerts" logger, and tells the
/// window. Runs in headless mode too, so the log always carries the alarms.
/// Thread: the engine's thread (the main thread); every call there.
class AlertMonitor : public QObject {
    Q_OBJECT
public:
    explicit AlertMonitor(const Engine& engine, AlertRuleSettings rules = {}, QObject* parent = nullptr);
    ~AlertMonitor() override;

    void setJournal(std::shared_ptr<const JournalSink> journal) { m_journal = std::move(journal); }
    void setIntervalMs(int ms);
    const AlertBook& book() const { return m_book; }

public slots:
    /// One evaluation now (the timer does it every interval).
    void evaluate();
    void acknowledge(std::uint64_t id);
    void acknowledgeAll();
    void setMuted(md::AlertKind kind, bool muted);

signals:
    void alertRaised(const md::Alert& alert);
    void alertCleared(const md::Alert& alert);
    /// Anything shown changed (also acknowledgements and mutes).
    void changed();

private:
    const Engine& m_engine;
    AlertRules m_rules;
    AlertBook m_book;
    std::shared_ptr<const JournalSink> m_journal;
    std::shared_ptr<spdlog::logger> m_log;
    QTimer* m_timer;
    std::uint64_t m_version = 0;
};

} // namespace md

Q_DECLARE_METATYPE(md::Alert)
Q_DECLARE_METATYPE(md::AlertKind)
