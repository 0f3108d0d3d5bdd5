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
    bool pnlReport = false;
    /// --control: the command (and its arguments) for the desk running on this configuration's journal.
    QStringList control;
};

/// The ranges of the numbers, as in the configuration (grace_seconds); --run-for stays well inside
/// what a timer can count (2^31 ms is 24.8 days).
inline constexpr double kMinGraceSeconds = 0.05;
inline constexpr double kMaxGraceSeconds = 3600;
inline constexpr double kMinRunForSeconds = 0.001;
inline constexpr double kMaxRunForSeconds = 2'000'000;

/// Parses the arguments (argv[0] included); on a usage error, `error` says why. `helpText` names
/// the program as argv[0] does.
std::optional<CommandLine> parseCommandLine(const QStringList& arguments, QString& error, QString& helpText);

} // namespace md
