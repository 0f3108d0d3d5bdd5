#include "logging/logging.h"

#include "logging/consolesink.h"
#include "logging/logbuffersink.h"
#include "logging/logescape.h"

#include <spdlog/pattern_formatter.h>

#include <QString>
#include <QtGlobal>

#include <spdlog/sinks/rotating_file_sink.h>

#include <mutex>
#include <vector>

#include <unistd.h>

namespace md::logging {
namespace {

// Leaked on purpose: loggers may be used by abandoned threads until _Exit, so nothing here may
// be destroyed at process exit.
struct State {
    std::mutex mutex;
    std::vector<spdlog::sink_ptr> sinks;
    spdlog::level::level_enum level = spdlog::level::info;
    LogBuffer* buffer = new LogBuffer(20000);
    std::shared_ptr<ConsoleSink> console; // the one console sink, kept across init() calls
    bool initialised = false;
};

State& state() {
    static State* s = new State;
    return *s;
}

void ensureDefaults(State& s) {
    if (s.initialised)
        return;
    s.sinks.push_back(std::make_shared<LogBufferSink>(*s.buffer));
    s.initialised = true;
}

/// The message, control characters escaped (logescape.h): spdlog's own %v writes them as they are.
class EscapedMessage : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        appendEscaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<EscapedMessage>(); }
};

std::unique_ptr<spdlog::formatter> formatter() {
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<EscapedMessage>('*').set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %*");
    return f;
}

} // namespace

std::optional<std::string> init(const Options& options) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    s.sinks.clear();
    s.sinks.push_back(std::make_shared<LogBufferSink>(*s.buffer));
    if (options.console) {
        // Never blocks a logging thread: a console nobody reads loses lines (counted), not the desk.
        if (!s.console)
            s.console = std::make_shared<ConsoleSink>();
        s.sinks.push_back(s.console);
    }
    std::optional<std::string> error;
    if (!options.file.empty()) {
        try {
            auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file, 20 * 1024 * 1024, 5);
            file->set_formatter(formatter());
            // Written and flushed here, where a failure can be caught: later, spdlog would only print an
            // error now and then, and /dev/full would swallow the whole log.
            const std::string opened = fmt::format("log opened by MarketDesk (PID {})", ::getpid());
            file->log(spdlog::details::log_msg("engine", spdlog::level::info, opened));
            file->flush();
            s.sinks.push_back(file);
        } catch (const spdlog::spdlog_ex& e) {
            error = e.what();
        }
    }
    s.level = options.level;
    s.initialised = true;
    for (auto& sink : s.sinks)
        sink->set_formatter(formatter());
    // Loggers made before init() switch to the configured sinks.
    spdlog::apply_all([&](std::shared_ptr<spdlog::logger> logger) {
        logger->sinks() = s.sinks;
        logger->set_level(s.level);
    });
    return error;
}

std::shared_ptr<spdlog::logger> get(const std::string& name) {
    if (auto existing = spdlog::get(name))
        return existing;
    State& s = state();
    std::lock_guard lock(s.mutex);
    if (auto existing = spdlog::get(name))
        return existing;
    ensureDefaults(s);
    auto logger = std::make_shared<spdlog::logger>(name, s.sinks.begin(), s.sinks.end());
    logger->set_level(s.level);
    logger->flush_on(spdlog::level::warn);
    spdlog::register_logger(logger);
    return logger;
}

void routeQtMessages() {
    // Qt's own warnings (any thread) would write to stderr directly, and wait on it when nobody reads.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& text) {
        const auto level = type == QtDebugMsg      ? spdlog::level::debug
                           : type == QtInfoMsg     ? spdlog::level::info
                           : type == QtWarningMsg  ? spdlog::level::warn
                           : type == QtCriticalMsg ? spdlog::level::err
                                                   : spdlog::level::critical;
        get("qt")->log(level, "{}", text.toStdString());
    });
}

LogBuffer& buffer() {
    return *state().buffer;
}

void flushAll(std::chrono::milliseconds consoleTimeout) {
    spdlog::apply_all([](std::shared_ptr<spdlog::logger> logger) { logger->flush(); });
    std::shared_ptr<ConsoleSink> console;
    {
        State& s = state();
        std::lock_guard lock(s.mutex);
        console = s.console;
    }
    if (console)
        console->drain(consoleTimeout);
}

bool parseLevel(const std::string& text, spdlog::level::level_enum& level) {
    static const char* names[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    for (int i = 0; i < 7; ++i) {
        if (text == names[i]) {
            level = static_cast<spdlog::level::level_enum>(i);
            return true;
        }
    }
    return false;
}

} // namespace md::logging
