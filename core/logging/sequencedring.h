#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace md {

/// A bounded, thread-safe record buffer: the newest `capacity` records, each numbered; readers ask
/// for what came after the last number they saw. Oldest records are dropped and counted.
/// T must have a `std::uint64_t sequence` member (set here).
/// Thread: any; one short lock per append and per read.
template <class T> class SequencedRing {
public:
    explicit SequencedRing(std::size_t capacity)
        : m_capacity(capacity == 0 ? 1 : capacity) {}

    std::uint64_t append(T record) {
        std::lock_guard lock(m_mutex);
        record.sequence = m_nextSequence++;
        m_records.push_back(std::move(record));
        while (m_records.size() > m_capacity) {
            m_records.pop_front();
            ++m_dropped;
        }
        return m_nextSequence - 1;
    }

    /// Records with sequence > `after`, oldest first, at most `max`.
    std::vector<T> since(std::uint64_t after, std::size_t max) const {
        std::lock_guard lock(m_mutex);
        std::vector<T> out;
        if (m_records.empty() || m_records.back().sequence <= after)
            return out;
        // Sequences are contiguous, so the first wanted record's index is arithmetic.
        const std::uint64_t first = m_records.front().sequence;
        std::size_t index = after < first ? 0 : static_cast<std::size_t>(after - first + 1);
        out.reserve(std::min(max, m_records.size() - index));
        for (; index < m_records.size() && out.size() < max; ++index)
            out.push_back(m_records[index]);
        return out;
    }

    std::uint64_t lastSequence() const {
        std::lock_guard lock(m_mutex);
        return m_nextSequence - 1;
    }
    std::uint64_t droppedCount() const {
        std::lock_guard lock(m_mutex);
        return m_dropped;
    }
    std::size_t size() const {
        std::lock_guard lock(m_mutex);
        return m_records.size();
    }
    std::size_t capacity() const { return m_capacity; }

private:
    mutable std::mutex m_mutex;
    std::deque<T> m_records;
    std::size_t m_capacity;
    std::uint64_t m_nextSequence = 1;
    std::uint64_t m_dropped = 0;
};

} // namespace md
