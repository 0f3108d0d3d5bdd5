#include "logging/logbuffersink.h"

#include "logging/logescape.h"

#include <chrono>

namespace md {

void LogBufferSink::sink_it_(const spdlog::details::log_msg& msg) {
    LogRecord record;
    record.timeMs = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    record.level = msg.level;
    record.logger.assign(msg.logger_name.data(), msg.logger_name.size());
    // The window shows it as the log file does: control characters escaped.
    logging::appendEscaped(std::string_view(msg.payload.data(), msg.payload.size()), record.text);
    m_buffer.append(std::move(record));
}

} // namespace md
