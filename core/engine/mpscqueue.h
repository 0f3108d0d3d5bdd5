#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <thread>
#include <utility>

namespace md {

/// Unbounded lock-free FIFO for many producers and one consumer, the hand-off under every
/// MarketInbox (producer + executor -> event network) and ActionQueue (event network + engine ->
/// executor). A mutex per item was the engine's largest cost after the strategy itself.
///
/// Items live in fixed segments of `SegmentSize` slots linked in order. A producer claims the next
/// position with one compare-and-swap on the tail, writes the slot and stamps it; the consumer reads
/// slots in position order, so the order of successful claims is the delivery order. That keeps
/// causality across producers: an event fired after another one's push returned is delivered after
/// it (a simulated exchange's fill on the producer thread never overtakes the `Placed` its executor
/// fired first). The producer that claims a segment's last slot links the next segment (the
/// position between them is a sentinel that makes the others wait for that short moment). The
/// consumer keeps a few finished segments for reuse, so a steady stream allocates nothing.
///
/// `seal()` sets a bit in the tail: every later push is refused and returns false, while pushes that
/// claimed a position before it still complete, so the consumer knows exactly when it has seen the
/// last item (`drained()`). `close()` sets another bit that refuses only the pushes that ask for it
/// (`pushUnlessClosed`): since it lives in the word every claim compares and swaps, an item is either
/// claimed before the close (and delivered before anything pushed after it) or refused.
///
/// Memory order: the claim is a seq_cst read-modify-write and `hasPending()` a seq_cst load, so a
/// consumer that announces it is going to sleep (seq_cst store) and then finds nothing pending is
/// guaranteed to be seen asleep by any producer that checks after its claim (the wake-up protocol of
/// MarketInbox and ActionQueue relies on this).
///
/// Thread: push/seal from any thread; everything else from the one consumer thread.
template <class T, std::size_t SegmentSize = 256> class MpscQueue {
    static_assert(SegmentSize >= 2);

public:
    MpscQueue() {
        m_headSegment = new Segment;
        m_tailSegment.store(m_headSegment, std::memory_order_relaxed);
    }
    MpscQueue(const MpscQueue&) = delete;
    MpscQueue& operator=(const MpscQueue&) = delete;
    ~MpscQueue() {
        T discard;
        while (tryPop(discard)) {
        }
        // Claimed positions never written (a producer killed mid-push) leave raw storage: nothing
        // to destroy. Segments from the head on are freed.
        Segment* s = m_headSegment;
        while (s) {
            Segment* next = s->next.load(std::memory_order_acquire);
            delete s;
            s = next;
        }
        for (auto& spare : m_spares)
            delete spare.load(std::memory_order_acquire);
    }

    /// Appends `value` (moved from only when accepted); false when the queue is sealed.
    bool push(T&& value) { return emplaceUnless(kSealed, std::move(value)); }
    /// Like push, but also refused once the queue is closed.
    bool pushUnlessClosed(T&& value) { return emplaceUnless(kSealed | kClosed, std::move(value)); }

    /// Builds the item in its slot from `args` (braced, so aggregates work); false when sealed, and
    /// then nothing was built or moved from.
    template <class... Args> bool emplace(Args&&... args) {
        return emplaceUnless(kSealed, std::forward<Args>(args)...);
    }

    /// Builds the item unless the tail carries one of `refusingFlags`; false (nothing built or moved
    /// from) when it does.
    template <class... Args> bool emplaceUnless(std::uint64_t refusingFlags, Args&&... args) {
        Segment* fresh = nullptr;
        for (;;) {
            std::uint64_t tail = m_tail.load(std::memory_order_acquire);
            if (tail & refusingFlags) {
                recycle(fresh);
                return false;
            }
            const std::uint64_t position = tail & kPosition;
            const std::uint64_t offset = position % kLap;
            if (offset == SegmentSize) { // the next segment is being linked: a few instructions away
                std::this_thread::yield();
                continue;
            }
            Segment* segment = m_tailSegment.load(std::memory_order_acquire);
            const bool last = offset + 1 == SegmentSize;
            if (last && !fresh)
                fresh = takeSegment(); // allocated before the claim, so the sentinel is brief
            if (!m_tail.compare_exchange_weak(tail, tail + 1, std::memory_order_seq_cst, std::memory_order_relaxed))
                continue;
            if (last) {
                m_tailSegment.store(fresh, std::memory_order_release);
                m_tail.fetch_add(1, std::memory_order_release); // past the sentinel, keeping the flag bits
                segment->next.store(fresh, std::memory_order_release);
                fresh = nullptr;
            }
            Slot& slot = segment->cells[offset];
            new (slot.storage) T{std::forward<Args>(args)...};
            slot.stamp.store(logical(position) + 1, std::memory_order_release);
            recycle(fresh);
            return true;
        }
    }

    /// Moves the oldest item into `out`; false when none is ready (empty, or the next one is still
    /// being written by its producer).
    bool tryPop(T& out) {
        const std::uint64_t offset = m_head % kLap;
        Slot& slot = m_headSegment->cells[offset];
        if (slot.stamp.load(std::memory_order_acquire) != logical(m_head) + 1)
            return false;
        T* item = std::launder(reinterpret_cast<T*>(slot.storage));
        out = std::move(*item);
        item->~T();
        advance(offset);
        return true;
    }

    /// The oldest ready item without taking it, or nullptr.
    const T* peek() const {
        const Slot& slot = m_headSegment->cells[m_head % kLap];
        if (slot.stamp.load(std::memory_order_acquire) != logical(m_head) + 1)
            return nullptr;
        return std::launder(reinterpret_cast<const T*>(slot.storage));
    }

    /// True when a producer has claimed a position the consumer has not taken yet (it may still be
    /// being written). Consumer only; seq_cst, see the class comment.
    bool hasPending() const { return (m_tail.load(std::memory_order_seq_cst) & kPosition) != m_head; }
    /// hasPending() or sealed, read at once (what a consumer about to sleep must check). Consumer only.
    bool hasPendingOrSealed() const {
        const std::uint64_t tail = m_tail.load(std::memory_order_seq_cst);
        return (tail & kSealed) || (tail & kPosition) != m_head;
    }

    /// Refuses every later push; pushes already past their claim still land.
    void seal() { m_tail.fetch_or(kSealed, std::memory_order_seq_cst); }
    bool isSealed() const { return m_tail.load(std::memory_order_acquire) & kSealed; }
    /// Refuses every later pushUnlessClosed (push still passes until the seal).
    void close() { m_tail.fetch_or(kClosed, std::memory_order_seq_cst); }
    bool isClosed() const { return m_tail.load(std::memory_order_acquire) & (kClosed | kSealed); }
    /// Sealed and every accepted item taken. Consumer only.
    bool drained() const {
        const std::uint64_t tail = m_tail.load(std::memory_order_acquire);
        return (tail & kSealed) && (tail & kPosition) == m_head;
    }

    /// Items pushed so far (claimed positions); with `popped()` this gives the depth.
    std::uint64_t pushed() const { return logical(m_tail.load(std::memory_order_acquire) & kPosition); }

private:
    // Positions per segment: SegmentSize slots and one sentinel while the next segment is linked.
    static constexpr std::uint64_t kLap = SegmentSize + 1;
    static constexpr std::uint64_t kSealed = std::uint64_t(1) << 63;
    static constexpr std::uint64_t kClosed = std::uint64_t(1) << 62;
    static constexpr std::uint64_t kPosition = ~(kSealed | kClosed);
    static constexpr std::size_t kSpareSegments = 8;

    struct Slot {
        std::atomic<std::uint64_t> stamp{0}; // logical index + 1 once written
        alignas(T) unsigned char storage[sizeof(T)];
    };
    struct Segment {
        Slot cells[SegmentSize];
        std::atomic<Segment*> next{nullptr};
    };

    /// Item count before a position (the sentinels do not count).
    static std::uint64_t logical(std::uint64_t position) {
        const std::uint64_t offset = position % kLap;
        return (position / kLap) * SegmentSize + (offset < SegmentSize ? offset : SegmentSize);
    }

    void advance(std::uint64_t offset) {
        if (offset + 1 < SegmentSize) {
            ++m_head;
            return;
        }
        // Its last slot is read: every producer that claimed a slot of this segment is done with it,
        // and the one that linked the next segment did so before stamping that last slot.
        Segment* done = m_headSegment;
        m_headSegment = done->next.load(std::memory_order_acquire);
        m_head += 2; // the last slot and the sentinel
        done->next.store(nullptr, std::memory_order_relaxed);
        recycle(done);
    }

    // A few finished segments wait for reuse, so a consumer lagging by a few segments still
    // allocates nothing. Each spare slot is taken or filled with one exchange or compare-and-swap.
    Segment* takeSegment() {
        for (auto& spare : m_spares)
            if (spare.load(std::memory_order_relaxed))
                if (Segment* s = spare.exchange(nullptr, std::memory_order_acquire))
                    return s;
        return new Segment;
    }
    void recycle(Segment* s) {
        if (!s)
            return;
        for (auto& spare : m_spares) {
            Segment* empty = nullptr;
            if (!spare.load(std::memory_order_relaxed) &&
                spare.compare_exchange_strong(empty, s, std::memory_order_release, std::memory_order_relaxed))
                return;
        }
        delete s;
    }

    alignas(64) std::atomic<std::uint64_t> m_tail{0};
    std::atomic<Segment*> m_tailSegment{nullptr};
    alignas(64) std::uint64_t m_head = 0; // consumer only
    Segment* m_headSegment = nullptr;
    alignas(64) std::atomic<Segment*> m_spares[kSpareSegments] = {};
};

} // namespace md
