#include "logging/logbuffer.h"

namespace md {

LogBuffer::LogBuffer(std::size_t capacity) : m_capacity(capacity == 0 ? 1 : capacity) {}

void LogBuffer::append(LogRecord record) {
    std::lock_guard lock(m_mutex);
    record.sequence = m_nextSequence++;
    m_records.push_back(std::move(record));
    while (m_records.size() > m_capacity) {
        m_records.pop_front();
        ++m_dropped;
    }
}

std::vector<LogRecord> LogBuffer::since(std::uint64_t after, std::size_t max) const {
    std::lock_guard lock(m_mutex);
    std::vector<LogRecord> out;
    if (m_records.empty() || m_records.back().sequence <= after)
        return out;
    // Sequences are contiguous, so the first wanted record's index is arithmetic.
    std::uint64_t first = m_records.front().sequence;
    std::size_t index = after < first ? 0 : static_cast<std::size_t>(after - first + 1);
    out.reserve(std::min(max, m_records.size() - index));
    for (; index < m_records.size() && out.size() < max; ++index)
        out.push_back(m_records[index]);
    return out;
}

std::uint64_t LogBuffer::lastSequence() const {
    std::lock_guard lock(m_mutex);
    return m_nextSequence - 1;
}

std::uint64_t LogBuffer::droppedCount() const {
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

std::size_t LogBuffer::size() const {
    std::lock_guard lock(m_mutex);
    return m_records.size();
}

} // namespace md
