#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace md {

/// The last `Capacity` items appended, oldest first: appending to a full ring overwrites the oldest
/// in place. Allocates once, when it first grows to its capacity; after that an append is a store
/// and an index step (a std::deque's push_back + pop_front allocated and freed a block every few
/// dozen appends: ~115 instructions an appended trade on the event network's hot path, callgrind,
/// bench_engine).
/// Thread: not synchronised; one owner.
template <class T, std::size_t Capacity> class BoundedRing {
    static_assert(Capacity > 0);

public:
    void push_back(T item) {
        if (m_items.size() < Capacity) {
            if (m_items.capacity() < Capacity)
                m_items.reserve(Capacity);
            m_items.push_back(std::move(item));
            return;
        }
        m_items[m_oldest] = std::move(item);
        m_oldest = m_oldest + 1 == Capacity ? 0 : m_oldest + 1;
    }
    std::size_t size() const { return m_items.size(); }
    bool empty() const { return m_items.empty(); }
    /// The i-th oldest item (0: the oldest).
    T& operator[](std::size_t i) {
        const std::size_t at = m_oldest + i;
        return m_items[at < m_items.size() ? at : at - m_items.size()];
    }
    /// Calls f on every item, oldest first.
    template <class F> void forEach(F&& f) {
        for (std::size_t i = 0; i < m_items.size(); ++i)
            f((*this)[i]);
    }

private:
    std::vector<T> m_items;
    std::size_t m_oldest = 0; // index of the oldest item once full (0 until then)
};

} // namespace md
