#include "commandline.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <cmath>

namespace md {

std::optional<CommandLine> parseCommandLine(const QStringList& arguments, QString& error, QString& helpText) {
    QCommandLineParser parser;
    parser.setApplicationDescription("MarketDesk: a trading workstation for automated strategies on several markets.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption config("config", "Configuration file (default: the built-in simulated demo).", "file");
    QCommandLineOption headless("headless", "Run without a window; SIGINT/SIGTERM shut down in order.");
    QCommandLineOption grace(
        "grace", "Seconds each executor gets to drain and terminate, 0.05 to 3600 (default from config, 30).",
        "seconds");
    QCommandLineOption logLevel("log-level", "trace, debug, info, warn, error, critical or off.", "level");
    QCommandLineOption logFile("log-file", "Also log to this rotating file.", "file");
    QCommandLineOption runFor("run-for", "Begin an orderly shutdown after this many seconds (0.001 to 2000000).",
                              "seconds");
    QCommandLineOption metricsPort("metrics-port", "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics.",
                                   "port");
    QCommandLineOption journalReport("journal-report",
                                     "Print the orders the journal holds as open or unknown (one JSON object per "
                                     "line) and exit: 0 when none, 4 when some.");
    QCommandLineOption pnlReport("pnl-report",
                                 "Print today's (UTC) positions, realized P&L and fees per market and per currency "
                                 "from the journal's fills (one JSON object per line) and exit.");
    QCommandLineOption control(
        "control",
        "Send a command to the desk running on this configuration's journal and exit (0 done, 7 no desk runs, "
        "8 refused): list | pause <id> keep|cancel | resume <id> | stop <id> | start <id> | halt-desk | "
        "resume-desk | shutdown | open <config file>. The command follows the options.");
    parser.addOptions(
        {config, headless, grace, logLevel, logFile, runFor, metricsPort, journalReport, pnlReport, control});
    parser.addPositionalArgument("command", "With --control: the command and its arguments.", "[command...]");
    // Qt names the program after the application object, which does not exist yet at this point:
    // the usage line would read "<executable_name>".
    helpText = parser.helpText();
    const QString program = arguments.isEmpty() ? QString("marketdesk") : QFileInfo(arguments.first()).fileName();
    helpText.replace("<executable_name>", program);
    if (!helpText.startsWith("Usage: " + program))
        helpText.replace(QRegularExpression("^Usage: \\S+"), "Usage: " + program);
    if (!parser.parse(arguments)) {
        error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet("help") || parser.isSet("version")) {
        error.clear();
        return std::nullopt;
    }
    if (!parser.isSet(control) && !parser.positionalArguments().isEmpty()) {
        error = "unexpected argument: " + parser.positionalArguments().first();
        return std::nullopt;
    }
    if (parser.isSet(control) && parser.positionalArguments().isEmpty()) {
        error = "--control: which command? (list, pause, resume, stop, start, halt-desk, resume-desk, shutdown, open)";
        return std::nullopt;
    }
    CommandLine cl;
    cl.control = parser.positionalArguments();
    cl.configPath = parser.isSet(config) ? parser.value(config) : QStringLiteral(":/config/demo.json");
    cl.headless = parser.isSet(headless);
    cl.journalReport = parser.isSet(journalReport);
    cl.pnlReport = parser.isSet(pnlReport);
    // Seconds within a range: inf, nan and values that overflow a timer are refused, not reinterpreted
    // (an infinite grace once made a healthy market "killed" at once; a huge --run-for never fired).
    auto seconds = [&](const QCommandLineOption& option, double min, double max, std::optional<double>& out) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const double v = parser.value(option).toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < min || v > max) {
            error = QString("--%1: expected a number of seconds between %2 and %3, got \"%4\"")
                        .arg(option.names().first())
                        .arg(min)
                        .arg(max, 0, 'f', 0)
                        .arg(parser.value(option));
            return false;
        }
        out = v;
        return true;
    };
    if (!seconds(grace, kMinGraceSeconds, kMaxGraceSeconds, cl.graceSeconds) ||
        !seconds(runFor, kMinRunForSeconds, kMaxRunForSeconds, cl.runForSeconds))
        return std::nullopt;
    if (parser.isSet(logLevel))
        cl.logLevel = parser.value(logLevel);
    cl.logFile = parser.value(logFile);
    if (parser.isSet(metricsPort)) {
        bool ok = false;
        uint port = parser.value(metricsPort).toUInt(&ok);
        if (!ok || port == 0 || port > 65535) {
            error = "--metrics-port: expected a port between 1 and 65535";
            return std::nullopt;
        }
        cl.metricsPort = static_cast<quint16>(port);
    }
    return cl;
}

} // namespace md
