#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace md {

/// What the user asked for on the command line.
struct CommandLine {
    QString configPath; // ":/config/demo.json" when not given
    bool headless = false;
    std::optional<double> graceSeconds;
    std::optional<QString> logLevel;
    QString logFile;
    std::optional<double> runForSeconds;
    std::optional<quint16> metricsPort;
    bool journalReport = false;
};

/// Parses the arguments (argv[0] included); on a usage error, `error` says why.
std::optional<CommandLine> parseCommandLine(const QStringList& arguments, QString& error, QString& helpText);

} // namespace md
