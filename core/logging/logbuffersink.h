#pragma once

#include "logging/logbuffer.h"

#include <spdlog/sinks/base_sink.h>

#include <mutex>

namespace md {

/// spdlog sink that copies every record into a LogBuffer (a log message only points at the
/// caller's stack, so it is copied here, before the call returns).
/// Thread: any (spdlog serialises calls with the sink's mutex).
class LogBufferSink : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit LogBufferSink(LogBuffer& buffer)
        : m_buffer(buffer) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {}

private:
    LogBuffer& m_buffer;
};

} // namespace md
