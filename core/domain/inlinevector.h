#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <new>
#include <utility>

namespace md {

/// A vector that keeps its first `N` elements inside itself and moves to the heap only beyond them.
/// A strategy answers almost every event with zero to two actions; with std::vector each answer cost
/// a heap allocation and a free on the event network (a quarter of its time in bench_engine).
/// The subset of std::vector the code uses: push_back, emplace_back, iteration, indexing, size.
/// Thread: whichever owns it.
template <class T, std::size_t N> class InlineVector {
    static_assert(N > 0);

public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;
    using size_type = std::size_t;

    InlineVector() noexcept = default;
    InlineVector(std::initializer_list<T> items) {
        reserve(items.size());
        for (const auto& item : items)
            push_back(item);
    }
    InlineVector(const InlineVector& other) {
        reserve(other.m_size);
        for (const auto& item : other)
            push_back(item);
    }
    InlineVector(InlineVector&& other) noexcept { takeFrom(other); }
    InlineVector& operator=(const InlineVector& other) {
        if (this != &other) {
            clear();
            reserve(other.m_size);
            for (const auto& item : other)
                push_back(item);
        }
        return *this;
    }
    InlineVector& operator=(InlineVector&& other) noexcept {
        if (this != &other) {
            clear();
            releaseHeap();
            takeFrom(other);
        }
        return *this;
    }
    ~InlineVector() {
        clear();
        releaseHeap();
    }

    T* begin() noexcept { return m_data; }
    T* end() noexcept { return m_data + m_size; }
    const T* begin() const noexcept { return m_data; }
    const T* end() const noexcept { return m_data + m_size; }
    std::size_t size() const noexcept { return m_size; }
    std::size_t capacity() const noexcept { return m_capacity; }
    bool empty() const noexcept { return m_size == 0; }
    T& operator[](std::size_t i) noexcept { return m_data[i]; }
    const T& operator[](std::size_t i) const noexcept { return m_data[i]; }
    T& front() noexcept { return m_data[0]; }
    const T& front() const noexcept { return m_data[0]; }
    T& back() noexcept { return m_data[m_size - 1]; }
    const T& back() const noexcept { return m_data[m_size - 1]; }

    void push_back(const T& item) { emplace_back(item); }
    void push_back(T&& item) { emplace_back(std::move(item)); }
    template <class... Args> T& emplace_back(Args&&... args) {
        if (m_size == m_capacity) {
            // Built first: an argument may refer to an element that the growth moves.
            T item(std::forward<Args>(args)...);
            reserve(m_capacity * 2);
            return *new (m_data + m_size++) T(std::move(item));
        }
        return *new (m_data + m_size++) T(std::forward<Args>(args)...);
    }
    void clear() noexcept {
        std::destroy(m_data, m_data + m_size);
        m_size = 0;
    }
    void reserve(std::size_t capacity) {
        if (capacity <= m_capacity)
            return;
        T* grown = static_cast<T*>(::operator new(capacity * sizeof(T), std::align_val_t(alignof(T))));
        std::uninitialized_move(m_data, m_data + m_size, grown);
        std::destroy(m_data, m_data + m_size);
        releaseHeap();
        m_data = grown;
        m_capacity = capacity;
    }

private:
    bool onHeap() const noexcept { return m_data != inlineData(); }
    T* inlineData() noexcept { return std::launder(reinterpret_cast<T*>(m_inline)); }
    const T* inlineData() const noexcept { return std::launder(reinterpret_cast<const T*>(m_inline)); }
    void releaseHeap() noexcept {
        if (onHeap())
            ::operator delete(m_data, std::align_val_t(alignof(T)));
        m_data = inlineData();
        m_capacity = N;
    }
    /// Requires this to be empty and inline; leaves `other` empty and inline.
    void takeFrom(InlineVector& other) noexcept {
        if (other.onHeap()) {
            m_data = other.m_data;
            m_capacity = other.m_capacity;
            m_size = other.m_size;
        } else {
            std::uninitialized_move(other.m_data, other.m_data + other.m_size, m_data);
            m_size = other.m_size;
            std::destroy(other.m_data, other.m_data + other.m_size);
        }
        other.m_data = other.inlineData();
        other.m_capacity = N;
        other.m_size = 0;
    }

    alignas(T) unsigned char m_inline[N * sizeof(T)];
    T* m_data = inlineData();
    std::size_t m_size = 0;
    std::size_t m_capacity = N;
};

} // namespace md
