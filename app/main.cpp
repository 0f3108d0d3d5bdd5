// MarketDesk's composition root: command line, configuration, logging, the engine and its
// connectors, the window or headless mode, signals, metrics, and the exit path.

#include "commandline.h"
#include "connectorcatalog.h"
#include "controlclient.h"
#include "controlpath.h"
#include "controlserver.h"
#include "dayreplay.h"
#include "deskrestart.h"
#include "exitcodes.h"
#include "headlessrunner.h"
#include "journalreport.h"
#include "metricsserver.h"
#include "pnlreport.h"
#include "processexit.h"
#include "shutdownwatchdog.h"
#include "signalbridge.h"
#include "startupreconciler.h"

#include "alerts/alertmonitor.h"
#include "config/configloader.h"
#include "config/strategysetups.h"
#include "domain/clock.h"
#include "engine/engine.h"
#include "journal/sqlitejournal.h"
#include "logging/logging.h"
#include "metrics/moneyformatter.h"
#include "metrics/prometheusformatter.h"
#include "strategy/strategyfactory.h"

#ifdef MD_HAVE_KEYCHAIN
#include "exchangekeys.h"
#endif
#ifdef MD_HAVE_UI
#include "appicon.h"
#include "mainwindow.h"
#include "theme.h"
#include <QApplication>
#include <QSettings>
#endif

#include <QCoreApplication>
#include <QTimer>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

/// How long after the grace period the watchdog ends a shutdown the main thread has not finished.
constexpr double kWatchdogMarginSeconds = 2.0;
/// How long the watchdog lets the journal take the report it writes on its way out.
constexpr std::chrono::milliseconds kWatchdogJournalFlush{1000};
/// How long the window may hold a close-out that needs attention before the watchdog ends the process.
constexpr double kAttentionHoldSeconds = 24 * 3600;

/// Ends the process once the shutdown report exists. Threads that outlived their grace may still
/// be running, and destroying a running QThread aborts, so the logs are flushed and the process
/// leaves with _Exit (PLATFORM.md: spdlog::shutdown() alone lost the log). A journal that failed
/// during the run decides the exit code (6) over a killed market (3).
[[noreturn]] void exitAfterShutdown(const md::ShutdownReport& report, bool journalFailed, md::SqliteJournal* journal) {
    const int code = journalFailed       ? md::exitcode::kJournalFailed
                     : report.allClean() ? md::exitcode::kClean
                                         : md::exitcode::kKilled;
    auto log = md::logging::get("engine");
    if (journalFailed)
        log->critical("the journal failed during this run (see above): trading was halted; exit code {}", code);
    if (journal)
        journal->releaseLock(); // a clean hand-over: the next start is not told of a stale lock
    md::exitProcess(code);
}

/// A return from main before anything traded: the console's writer thread is given a bounded moment
/// to write what was logged (the reason for the exit), which a plain return could lose.
int endBeforeTrading(int code) {
    md::logging::flushAll(std::chrono::milliseconds(500));
    return code;
}

bool hasDisplay() {
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariable("QT_QPA_PLATFORM") == "offscreen";
}

} // namespace

namespace {

// A crash must not reset the day: today's (UTC) realized P&L and fees of earlier runs come back from
// the journal's fills. Positions are this run's own (they start at zero).
void restoreTodaysMoney(md::Engine& engine, const QString& journalPath, const std::vector<md::MarketSpec>& markets,
                        const std::string& run) {
    auto log = md::logging::get("engine");
    std::string error;
    const auto fills = md::SqliteJournal::fillsSince(journalPath, md::startOfUtcDayMs(md::wallNowMs()), error);
    if (!fills) {
        log->error("journal: cannot read today's fills ({}): P&L starts from zero", error);
        return;
    }
    const auto replayed = md::replayFills(*fills, markets, run);
    for (std::size_t i = 0; i < markets.size(); ++i) {
        const md::ReplayedMarket& r = replayed.at(markets[i].name);
        const md::PnlLedger& l = r.ledger;
        if (l.fillCount() == 0 && r.skipped == 0)
            continue;
        std::map<std::string, md::Decimal> otherFees;
        for (const auto& [asset, amount] : l.fees())
            if (asset != markets[i].instrument.base && asset != markets[i].instrument.quote)
                otherFees[asset] = amount;
        engine.carryMoney(static_cast<md::MarketId>(i), l.realized(), l.feesInQuote(), otherFees);
        log->info("[{}] today before this run (journal): realized {} {}, fees {} from {} fill(s){}", markets[i].name,
                  l.realized().toTrimmedString(), markets[i].instrument.quote, l.feesInQuote().toTrimmedString(),
                  l.fillCount(), r.skipped ? fmt::format(", {} unreadable row(s) skipped", r.skipped) : "");
    }
}

} // namespace

int main(int argc, char** argv) {
    // First of all: from here on a signal is recorded, never acted on by its default action. A
    // SIGTERM during start-up ends the process in order once it can (nothing trades), not half-way
    // through opening the journal.
    md::SignalBridge::installHandlers();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    QString usageError, helpText;
    auto commandLine = md::parseCommandLine(arguments, usageError, helpText);
    if (!commandLine) {
        if (usageError.isEmpty()) {
            std::fputs(arguments.contains("--version") || arguments.contains("-v") ? "marketdesk 0.1.0\n"
                                                                                   : qPrintable(helpText),
                       stdout);
            return 0;
        }
        std::fprintf(stderr, "marketdesk: %s\n\n%s", qPrintable(usageError), qPrintable(helpText));
        return md::exitcode::kUsage;
    }

#ifdef MD_HAVE_UI
    const bool gui = !commandLine->headless && commandLine->control.isEmpty() && hasDisplay();
#else
    const bool gui = false;
#endif
    std::unique_ptr<QCoreApplication> app;
#ifdef MD_HAVE_UI
    if (gui)
        app = std::make_unique<QApplication>(argc, argv);
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName("MarketDesk");
    QCoreApplication::setOrganizationName("MarketDesk");
    QCoreApplication::setApplicationVersion("0.1.0");
#ifdef MD_HAVE_UI
    if (gui) {
        // MARKETDESK_THEME (system, dark, light) overrides the choice saved from the View menu.
        const QString theme = qEnvironmentVariable("MARKETDESK_THEME", QSettings().value("theme", "system").toString());
        md::applyTheme(*qApp, md::themeChoiceFromString(theme));
        QApplication::setWindowIcon(md::appIcon());
        QApplication::setDesktopFileName("marketdesk");
    }
#endif

    // Delivers on the event loop what came before it too.
    md::SignalBridge signalBridge;

    md::logging::init({spdlog::level::info, true, {}});
    md::logging::routeQtMessages();
    auto log = md::logging::get("engine");

    md::ConfigLoader loader(md::connectorCatalog());
    auto loaded = loader.loadFile(commandLine->configPath);
    if (auto* error = std::get_if<md::ConfigError>(&loaded)) {
        const QString message =
            QString("%1: %2").arg(commandLine->configPath, QString::fromStdString(error->toString()));
        std::fprintf(stderr, "marketdesk: configuration refused, nothing started.\n  %s\n", qPrintable(message));
#ifdef MD_HAVE_UI
        if (gui)
            md::showConfigError(message);
#endif
        return endBeforeTrading(md::exitcode::kBadConfig);
    }
    md::AppConfig config = std::get<md::AppConfig>(std::move(loaded));

    std::string levelText = commandLine->logLevel ? commandLine->logLevel->toStdString() : config.logLevel;
    spdlog::level::level_enum level;
    if (!md::logging::parseLevel(levelText, level)) {
        std::fprintf(stderr, "marketdesk: --log-level: unknown level \"%s\"\n", levelText.c_str());
        return endBeforeTrading(md::exitcode::kUsage);
    }
    const bool logFileFromConfig = commandLine->logFile.isEmpty();
    const std::string logFile = logFileFromConfig ? config.logFile : commandLine->logFile.toStdString();
    if (auto error = md::logging::init({level, true, logFile})) {
        // A directory, a file we may not write, a full disk: said now, before anything starts.
        const QString message = QString("%1: cannot write the log file %2: %3")
                                    .arg(logFileFromConfig ? "log_file" : "--log-file", QString::fromStdString(logFile),
                                         QString::fromStdString(*error));
        std::fprintf(stderr, "marketdesk: %s\n", qPrintable(message));
#ifdef MD_HAVE_UI
        if (gui)
            md::showConfigError(message);
#endif
        return endBeforeTrading(logFileFromConfig ? md::exitcode::kBadConfig : md::exitcode::kUsage);
    }

    const QString journalPath = config.journal.empty() ? md::SqliteJournal::defaultPath(commandLine->configPath)
                                                       : QString::fromStdString(config.journal);
    if (commandLine->journalReport)
        return endBeforeTrading(md::printJournalReport(journalPath));
    if (commandLine->pnlReport)
        return endBeforeTrading(md::printPnlReport(journalPath, config.markets));
    if (!commandLine->control.isEmpty())
        return endBeforeTrading(md::runControlCommand(journalPath, commandLine->control));

    // Before the journal: a metrics port in use must not cost a journal run (its lock, its row).
    std::unique_ptr<md::MetricsServer> metrics;
    if (commandLine->metricsPort) {
        metrics = std::make_unique<md::MetricsServer>(nullptr);
        QString why;
        if (metrics->listen(*commandLine->metricsPort, &why) == 0) {
            log->error("cannot listen on 127.0.0.1:{} for metrics: {}; nothing started", *commandLine->metricsPort,
                       why.toStdString());
            return endBeforeTrading(md::exitcode::kUsage);
        }
    }

    // No journal, no trading: an order the journal does not know could be forgotten after a crash.
    std::string journalError;
    std::shared_ptr<md::SqliteJournal> journal =
        md::SqliteJournal::open(journalPath, md::JournalOptions{config.journalSync}, journalError);
    if (!journal) {
        log->critical("journal: {}; refusing to trade", journalError);
#ifdef MD_HAVE_UI
        if (gui)
            md::showConfigError(QString::fromStdString("journal: " + journalError));
#endif
        return endBeforeTrading(md::exitcode::kJournal);
    }
    if (const long stale = journal->staleLockHolder())
        log->warn("journal: took over the lock left by PID {}, which ended without releasing it (killed or crashed); "
                  "its orders are checked with the exchanges below",
                  stale);
    log->info("journal {} (run {}, journal_sync {})", journalPath.toStdString(), journal->runId(),
              config.journalSync == md::JournalSync::Full ? "full" : "normal");
    md::logOpenOrdersFromEarlierRuns(journalPath);
    std::string leftoverError;
    auto leftovers =
        md::SqliteJournal::openOrders(journalPath, leftoverError).value_or(std::vector<md::JournalOrder>{});

    const std::string orderTag = md::SqliteJournal::orderTag(journal->runId());
    for (auto& spec : config.markets)
        spec.orderTag = orderTag;
    std::vector<md::MarketSetup> markets;
    for (std::size_t i = 0; i < config.markets.size(); ++i)
        markets.push_back(
            {config.markets[i], md::connectorCatalog().find(config.markets[i].connector), config.enabled[i]});
    auto strategies = md::makeStrategySetups(config);
    md::EngineSettings settings;
    settings.graceSeconds = commandLine->graceSeconds.value_or(config.graceSeconds);
    settings.strategyTimeoutSeconds = std::min(config.strategyTimeoutSeconds, settings.graceSeconds / 2);
    settings.risk = config.risk;
    settings.manual = config.manual;
    settings.quarantineAfterKills = config.quarantineAfterKills;
    settings.openOrdersTimeoutSeconds = config.openOrdersTimeoutSeconds;
    settings.journalMaxLagSeconds = config.journalMaxLagSeconds;
    std::string strategyList;
    for (const auto& s : strategies)
        strategyList += (strategyList.empty() ? "" : ", ") + s.id + " (" + std::string(s.strategy->name()) + ")";
    log->info("configuration {}: {} market(s), {} strateg{}: {}", commandLine->configPath.toStdString(),
              config.markets.size(), strategies.size(), strategies.size() == 1 ? "y" : "ies", strategyList);

    // Never destroyed: the process ends with _Exit, and the watchdog may read it until then.
    md::Engine& engine = *new md::Engine(settings, std::move(markets), std::move(strategies));
    engine.setJournal(journal);
    restoreTodaysMoney(engine, journalPath, config.markets, journal->runId());

    // The shutdown is bounded whatever the main thread is doing: the watchdog's own thread ends the
    // process at grace + a margin, or at a second SIGINT/SIGTERM, with the report as far as it can
    // be told (every queue taken back first) and the journal flushed with a timeout.
    auto* watchdog = new md::ShutdownWatchdog(
        settings.graceSeconds, kWatchdogMarginSeconds, [&engine, journal](const std::string& why) {
            md::logging::get("engine")->error("shutdown watchdog: {}; ending the process now", why);
            // A shutdown that finished has its close-out logged and journaled already: the exit itself
            // hung (e.g. on a full stdout). Its report stands and decides the exit code.
            const bool finished = engine.hasFinishedShutdown();
            const md::ShutdownReport report = engine.reportSoFar("shutdown cut short: " + why);
            if (!finished)
                journal->recordShutdown(report);
            if (!journal->flush(kWatchdogJournalFlush))
                md::logging::get("engine")->error("journal not flushed in time: the close-out may be lost there");
            md::exitProcess(finished && report.allClean() ? md::exitcode::kClean : md::exitcode::kKilled);
        });
    QObject::connect(
        &engine, &md::Engine::shutdownBegan, &engine, [watchdog] { watchdog->arm(); }, Qt::DirectConnection);
    md::StartupReconciler reconciler(journalPath, orderTag, std::move(leftovers));
    QObject::connect(&engine, &md::Engine::marketReconciled, &reconciler,
                     [&engine, &reconciler](md::MarketId market, bool reachable, std::vector<md::OpenOrderInfo> open) {
                         reconciler.onMarketReconciled(engine.marketSpec(market).name, reachable, open);
                     });
    // A verified close-out settles earlier runs' orders the exchange no longer has (e.g. cancelled by
    // this run's close-out), so the next --journal-report is true. Connected before the exit path.
    QObject::connect(&engine, &md::Engine::shutdownFinished, &reconciler, [&reconciler](const md::ShutdownReport& r) {
        for (const auto& market : r.markets)
            if (market.verified)
                reconciler.onMarketReconciled(market.name, true, market.openOnExchange,
                                              md::StartupReconciler::Moment::CloseOut);
    });

    // The desk's alarms, in both modes: logged on the "alerts" logger, counted in metrics, and in the
    // window shown in the Alerts panel, the status-bar badge and desktop notifications.
    md::AlertMonitor alerts(engine);
    alerts.setJournal(journal);
    // What the shutdown left behind is alarmed (and logged) before the exit path runs.
    QObject::connect(&engine, &md::Engine::shutdownFinished, &alerts, &md::AlertMonitor::evaluate);

    if (metrics) {
        metrics->setRenderer([&engine, &alerts] {
            return md::formatPrometheus(engine.health(), engine.isHalted(), engine.uptimeSeconds()) +
                   md::formatJournalPrometheus(engine.journalHealth()) + md::formatPrometheusAlerts(alerts.book()) +
                   md::formatMoneyPrometheus(*engine.money());
        });
        log->info("metrics on http://127.0.0.1:{}/metrics", *commandLine->metricsPort);
    }

    // File → Open or `--control open`: after the orderly shutdown the process re-executes itself on
    // that configuration (DeskRestart), unless the journal failed (that run ends with its own code).
    QString restartOn;
    const auto validateConfig = [](const QString& path) -> std::optional<std::string> {
        md::ConfigLoader loader(md::connectorCatalog());
        auto result = loader.loadFile(path);
        if (auto* error = std::get_if<md::ConfigError>(&result))
            return error->toString();
        return std::nullopt;
    };
    // The local control socket (issue 17 part 3): `marketdesk --control <command>` from outside.
    md::ControlServer control(engine, validateConfig);
    {
        std::string why;
        const QString socketPath = md::controlSocketPath(journalPath, why);
        QString listenError;
        if (socketPath.isEmpty())
            log->error("no control socket: {}", why);
        else if (!control.listen(socketPath, listenError))
            log->error("no control socket at {}: {}", socketPath.toStdString(), listenError.toStdString());
        else
            log->info("control socket {} (marketdesk --config {} --control list)", socketPath.toStdString(),
                      commandLine->configPath.toStdString());
    }
    const auto exitNow = [&engine, journal, &restartOn, &control, arguments](const md::ShutdownReport& report) {
        control.close(); // the socket file goes with the desk: a later --control says "no desk" at once
        if (!restartOn.isEmpty() && !engine.journalFailed()) {
            if (!report.allClean())
                md::logging::get("engine")->warn("the close-out was not clean (see above); restarting on {} anyway: "
                                                 "the new desk checks the journal's orders with the exchanges",
                                                 restartOn.toStdString());
            journal->releaseLock();
            md::DeskRestart::exec(md::DeskRestart::argumentsFor(arguments, restartOn));
        }
        exitAfterShutdown(report, engine.journalFailed(), journal.get());
    };
    const auto restartDesk = [&engine, &restartOn, log](const QString& path) {
        if (engine.isShuttingDown())
            return;
        restartOn = path;
        log->warn("restarting on {}: orderly shutdown first", path.toStdString());
        engine.beginShutdown();
    };

    QObject::connect(&control, &md::ControlServer::openRequested, &engine, restartDesk);
    if (!gui)
        QObject::connect(&control, &md::ControlServer::deskResumeRequested, &engine, &md::Engine::resume);
    int extraShutdownSignals = 0;
    QObject::connect(&signalBridge, &md::SignalBridge::shutdownRequested, &engine,
                     [&engine, log, &extraShutdownSignals](int signal) {
                         if (engine.isShuttingDown()) {
                             // Said once: a storm of signals must not become a storm of log lines.
                             if (++extraShutdownSignals == 1)
                                 log->warn("signal {}: shutdown already under way; a second signal ends the "
                                           "process now",
                                           signal);
                             return;
                         }
                         log->warn("signal {}: orderly shutdown", signal);
                         engine.beginShutdown();
                     });
    // SIGUSR1 only ever halts. SIGUSR2 resumes headless; with a window it asks there first, like Resume….
    QObject::connect(&signalBridge, &md::SignalBridge::haltRequested, &engine, &md::Engine::halt);
    if (!gui)
        QObject::connect(&signalBridge, &md::SignalBridge::resumeRequested, &engine, &md::Engine::resume);

    std::unique_ptr<md::HeadlessRunner> headless;
#ifdef MD_HAVE_UI
    std::unique_ptr<md::MainWindow> window;
#ifdef MD_HAVE_KEYCHAIN
    std::unique_ptr<md::ExchangeKeys> exchangeKeys;
#endif
    if (gui) {
        window = std::make_unique<md::MainWindow>(engine, &alerts);
#ifdef MD_HAVE_KEYCHAIN
        // Keys entered in Exchange → Connect… (the OS keychain); headless runs use the environment.
        exchangeKeys = md::ExchangeKeys::install(config, *window);
#endif
        QObject::connect(window.get(), &md::MainWindow::shutdownComplete, exitNow);
        // The window shows the close-out for a moment before the process ends: the watchdog allows it.
        // A report that needs attention stays until the trader closes it (issue 14): the engine has
        // finished and the report is in the log and the journal, so the watchdog waits a day (a second
        // SIGINT/SIGTERM still ends the process at once).
        QObject::connect(&engine, &md::Engine::shutdownFinished, window.get(),
                         [watchdog, hold = window->reportHoldMs()](const md::ShutdownReport& report) {
                             watchdog->extend(report.needsAttention() ? kAttentionHoldSeconds : hold / 1000.0 + 2.0);
                         });
        QObject::connect(&signalBridge, &md::SignalBridge::resumeRequested, window.get(),
                         &md::MainWindow::resumeTrading, Qt::QueuedConnection);
        QObject::connect(&control, &md::ControlServer::deskResumeRequested, window.get(),
                         &md::MainWindow::resumeTrading, Qt::QueuedConnection);
        // File → Save configuration as… / File → Open.
        window->setConfiguration(config, validateConfig);
        QObject::connect(window.get(), &md::MainWindow::openConfigurationConfirmed, &engine,
                         [&restartOn](const QString& path) { restartOn = path; });
        window->setLeftoverOrders(reconciler.outstanding());
        QObject::connect(&reconciler, &md::StartupReconciler::outstandingChanged, window.get(),
                         [&reconciler, w = window.get()] { w->setLeftoverOrders(reconciler.outstanding()); });
        window->show();
    }
#endif
    if (!gui) {
        headless = std::make_unique<md::HeadlessRunner>(engine, 5.0);
        QObject::connect(&engine, &md::Engine::shutdownFinished, exitNow);
        if (!commandLine->headless)
            log->info("no display: running headless");
    }

    if (commandLine->runForSeconds)
        QTimer::singleShot(static_cast<int>(*commandLine->runForSeconds * 1000), &engine, [&engine, log] {
            log->info("--run-for elapsed: orderly shutdown");
            engine.beginShutdown();
        });

    // A SIGINT/SIGTERM during start-up: the orderly shutdown, before anything trades.
    if (const int early = signalBridge.takeShutdownSignals()) {
        log->warn("{} shutdown signal(s) during start-up: orderly shutdown before trading began", early);
        engine.beginShutdown();
    } else {
        engine.start();
    }
    md::exitProcess(app->exec());
}
