#pragma once

#include "logging/sequencedring.h"

#include <spdlog/common.h>

#include <cstdint>
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

/// The bounded in-memory log behind the log dashboard: the newest `capacity` records, the oldest
/// dropped and counted. Fed by LogBufferSink (a copy per record); read by sequence number.
/// Thread: any.
class LogBuffer {
public:
    explicit LogBuffer(std::size_t capacity = 20000)
        : m_ring(capacity) {}

    void append(LogRecord record) { m_ring.append(std::move(record)); }
    /// Records with sequence > `after`, oldest first, at most `max`.
    std::vector<LogRecord> since(std::uint64_t after, std::size_t max = 5000) const { return m_ring.since(after, max); }
    std::uint64_t lastSequence() const { return m_ring.lastSequence(); }
    std::uint64_t droppedCount() const { return m_ring.droppedCount(); }
    std::size_t size() const { return m_ring.size(); }
    std::size_t capacity() const { return m_ring.capacity(); }

private:
    SequencedRing<LogRecord> m_ring;
};

} // namespace md
