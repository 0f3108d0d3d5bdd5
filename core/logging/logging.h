#pragma once

#include "logging/logbuffer.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace md::logging {

struct Options {
    spdlog::level::level_enum level = spdlog::level::info;
    bool console = true;
    std::string file; // rotating file when not empty
};

/// Sets up the sinks every logger shares: console, rotating file, and the in-app buffer.
/// Call once, before any thread starts. Loggers made later (per market) get the same sinks.
void init(const Options& options);
/// The named logger ("engine", "strategy", "ui", "market.<name>"), created on first use.
std::shared_ptr<spdlog::logger> get(const std::string& name);
/// The in-app buffer behind the log dashboard.
LogBuffer& buffer();
/// Flushes every logger (before _Exit).
void flushAll();
/// Parses "trace|debug|info|warn|error|critical|off"; false when unknown.
bool parseLevel(const std::string& text, spdlog::level::level_enum& level);

} // namespace md::logging
