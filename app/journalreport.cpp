#include "journalreport.h"

#include "exitcodes.h"

#include "journal/sqlitejournal.h"
#include "logging/logging.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace md {
namespace {

QByteArray toJsonLine(const JournalOrder& o) {
    QJsonObject j{{"run", QString::fromStdString(o.run)},       {"market", QString::fromStdString(o.market)},
                  {"client_id", QString::number(o.id)},         {"side", QString::fromStdString(o.side)},
                  {"price", QString::fromStdString(o.price)},   {"quantity", QString::fromStdString(o.quantity)},
                  {"filled", QString::fromStdString(o.filled)}, {"status", QString::fromStdString(o.status)},
                  {"updated_ms", qint64(o.updatedMs)}};
    return QJsonDocument(j).toJson(QJsonDocument::Compact);
}

// Told apart from an order's line by its "strategy_change" key.
QByteArray toJsonLine(const JournalStrategyChange& c) {
    QJsonObject j{{"strategy_change", QString::fromStdString(c.change.change)},
                  {"strategy", QString::fromStdString(c.change.strategy)},
                  {"run", QString::fromStdString(c.run)},
                  {"time_ms", qint64(c.timeMs)}};
    for (const auto& [name, text] : {std::pair{"key", &c.change.key}, std::pair{"before", &c.change.before},
                                     std::pair{"after", &c.change.after}, std::pair{"detail", &c.change.detail}})
        if (!text->empty())
            j.insert(name, QString::fromStdString(*text));
    return QJsonDocument(j).toJson(QJsonDocument::Compact);
}

} // namespace

int printJournalReport(const QString& journalPath) {
    // A typo in the path, or another HOME: "nothing open" would be a lie.
    if (!QFileInfo::exists(journalPath)) {
        std::fprintf(stderr,
                     "marketdesk: journal %s does not exist: nothing can be reported (check --config, the "
                     "\"journal\" key and HOME)\n",
                     qPrintable(journalPath));
        return exitcode::kJournal;
    }
    std::string error;
    auto orders = SqliteJournal::openOrders(journalPath, error);
    if (!orders) {
        std::fprintf(stderr, "marketdesk: journal %s: %s\n", qPrintable(journalPath), error.c_str());
        return exitcode::kJournal;
    }
    for (const auto& o : *orders)
        std::printf("%s\n", toJsonLine(o).constData());
    // Then what the user changed in running strategies in the latest run that changed any (issue 17):
    // the parameters a configuration saved from that run holds, and when each strategy was paused.
    auto changes = SqliteJournal::latestStrategyChanges(journalPath, error);
    if (!changes) {
        std::fprintf(stderr, "marketdesk: journal %s: strategy changes: %s\n", qPrintable(journalPath), error.c_str());
        return exitcode::kJournal;
    }
    for (const auto& c : *changes)
        std::printf("%s\n", toJsonLine(c).constData());
    std::fflush(stdout);
    return orders->empty() ? exitcode::kClean : exitcode::kOrdersOpen;
}

void logOpenOrdersFromEarlierRuns(const QString& journalPath) {
    std::string error;
    auto orders = SqliteJournal::openOrders(journalPath, error);
    auto log = logging::get("engine");
    if (!orders) {
        log->error("journal: cannot list earlier open orders: {}", error);
        return;
    }
    if (orders->empty())
        return;
    log->warn("================================================================");
    log->warn("{} order(s) from earlier runs are open or unknown:", orders->size());
    for (const auto& o : *orders)
        log->warn("  [{}] #{} {} {} @ {} (filled {}) — {} (run {})", o.market, o.id, o.side, o.quantity, o.price,
                  o.filled, o.status, o.run);
    log->warn("each market checks them with its exchange before it trades; list them with: marketdesk "
              "--journal-report --config <file>");
    log->warn("cancel them: \"Cancel them\" on the banner in the window, or (headless) SIGUSR1 — the halt "
              "cancels every order of ours, these included — then SIGUSR2 to resume");
    log->warn("================================================================");
}

} // namespace md
