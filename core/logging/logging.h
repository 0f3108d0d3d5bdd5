#pragma once

#include "logging/logbuffer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace md::logging {

struct Options {
    spdlog::level::level_enum level = spdlog::level::info;
    bool console = true;
    std::string file; // rotating file when not empty
};

/// Sets up the sinks every logger shares: console, rotating file, and the in-app buffer; every sink
/// writes control characters in messages escaped (logescape.h). Call before any thread starts.
/// Loggers made later (per market) get the same sinks. The file is proven writable by writing its
/// first line and flushing it: on failure (a directory, no permission, a full disk) the error says
/// why, and logging goes on without the file.
std::optional<std::string> init(const Options& options);
/// The named logger ("engine", "strategy", "ui", "market.<name>"), created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& name);
/// Sends Qt's own messages (qWarning & co., any thread) through these sinks instead of straight to
/// stderr, where a console nobody reads would block the thread that wrote them. The application calls it.
void routeQtMessages();
/// The in-app buffer behind the log dashboard.
LogBuffer& buffer();
/// Flushes every logger and gives the console at most `consoleTimeout` to take what waits for it
/// (before _Exit: bounded, a console nobody reads must not hold the exit).
void flushAll(std::chrono::milliseconds consoleTimeout = std::chrono::milliseconds(500));
/// Parses "trace|debug|info|warn|error|critical|off"; false when unknown.
bool parseLevel(const std::string& text, spdlog::level::level_enum& level);

} // namespace md::logging
