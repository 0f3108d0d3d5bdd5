#include "commandline.h"

#include <QCommandLineParser>

namespace md {

std::optional<CommandLine> parseCommandLine(const QStringList& arguments, QString& error, QString& helpText) {
    QCommandLineParser parser;
    parser.setApplicationDescription("MarketDesk: a trading workstation for automated strategies on several markets.");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption config("config", "Configuration file (default: the built-in simulated demo).", "file");
    QCommandLineOption headless("headless", "Run without a window; SIGINT/SIGTERM shut down in order.");
    QCommandLineOption grace("grace", "Seconds each executor gets to drain and terminate (default from config, 30).",
                             "seconds");
    QCommandLineOption logLevel("log-level", "trace, debug, info, warn, error, critical or off.", "level");
    QCommandLineOption logFile("log-file", "Also log to this rotating file.", "file");
    QCommandLineOption runFor("run-for", "Begin an orderly shutdown after this many seconds.", "seconds");
    QCommandLineOption metricsPort("metrics-port", "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics.",
                                   "port");
    QCommandLineOption journalReport("journal-report",
                                     "Print the orders the journal holds as open or unknown (one JSON object per "
                                     "line) and exit: 0 when none, 4 when some.");
    parser.addOptions({config, headless, grace, logLevel, logFile, runFor, metricsPort, journalReport});
    helpText = parser.helpText();
    if (!parser.parse(arguments)) {
        error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet("help") || parser.isSet("version")) {
        error.clear();
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        error = "unexpected argument: " + parser.positionalArguments().first();
        return std::nullopt;
    }
    CommandLine cl;
    cl.configPath = parser.isSet(config) ? parser.value(config) : QStringLiteral(":/config/demo.json");
    cl.headless = parser.isSet(headless);
    cl.journalReport = parser.isSet(journalReport);
    auto positive = [&](const QCommandLineOption& option, std::optional<double>& out) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const double v = parser.value(option).toDouble(&ok);
        if (!ok || v <= 0) {
            error = QString("--%1: expected a positive number of seconds, got \"%2\"")
                        .arg(option.names().first(), parser.value(option));
            return false;
        }
        out = v;
        return true;
    };
    if (!positive(grace, cl.graceSeconds) || !positive(runFor, cl.runForSeconds))
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
