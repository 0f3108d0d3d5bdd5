#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace md {

struct LogRecord {
    std::uint64_t sequence = 0;
    std::int64_t timeMs = 0; // wall clock, ms since epoch
    spdlog::level::level_enum level = spdlog::level::info;
    std::string logger; // "engine", "strategy", "market.<name>", ...
    std::string text;
};

/// A bounded in-memory log: the newest `capacity` records, the oldest dropped and counted.
/// Fed by LogBufferSink (a copy per record); read by the log dashboard by sequence number.
/// Thread: any; one short lock per append and per read.
class LogBuffer {
public:
    explicit LogBuffer(std::size_t capacity = 20000);

    void append(LogRecord record);
    /// Records with sequence > `after`, oldest first, at most `max`.
    std::vector<LogRecord> since(std::uint64_t after, std::size_t max = 5000) const;
    std::uint64_t lastSequence() const;
    std::uint64_t droppedCount() const;
    std::size_t size() const;
    std::size_t capacity() const { return m_capacity; }

private:
    mutable std::mutex m_mutex;
    std::deque<LogRecord> m_records;
    std::size_t m_capacity;
    std::uint64_t m_nextSequence = 1;
    std::uint64_t m_dropped = 0;
};

} // namespace md
