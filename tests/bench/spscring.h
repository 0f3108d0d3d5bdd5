#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <utility>

namespace md::bench {

/// The reference hand-off: a bounded lock-free single-producer single-consumer ring.
template <class T> class SpscRing {
public:
    explicit SpscRing(std::size_t capacityPow2)
        : m_mask(capacityPow2 - 1)
        , m_slots(new T[capacityPow2]) {}

    bool tryPush(T&& value) {
        const auto head = m_head.load(std::memory_order_relaxed);
        if (head - m_tailCache > m_mask) {
            m_tailCache = m_tail.load(std::memory_order_acquire);
            if (head - m_tailCache > m_mask)
                return false;
        }
        m_slots[head & m_mask] = std::move(value);
        m_head.store(head + 1, std::memory_order_release);
        return true;
    }

    bool tryPop(T& out) {
        const auto tail = m_tail.load(std::memory_order_relaxed);
        if (tail == m_headCache) {
            m_headCache = m_head.load(std::memory_order_acquire);
            if (tail == m_headCache)
                return false;
        }
        out = std::move(m_slots[tail & m_mask]);
        m_tail.store(tail + 1, std::memory_order_release);
        return true;
    }

private:
    const std::size_t m_mask;
    std::unique_ptr<T[]> m_slots;
    alignas(64) std::atomic<std::size_t> m_head{0};
    std::size_t m_tailCache = 0;
    alignas(64) std::atomic<std::size_t> m_tail{0};
    std::size_t m_headCache = 0;
};

} // namespace md::bench
