#include "binance/depthsync.h"

namespace md::binance {

DepthSync::DepthSync(int priceScale, int quantityScale, std::size_t maxBuffered)
    : m_book(priceScale, quantityScale)
    , m_maxBuffered(maxBuffered) {}

void DepthSync::reset() {
    m_state = State::Buffering;
    m_book.clear();
    m_buffer.clear();
}

DepthSync::Outcome DepthSync::onDiff(DepthDiff diff) {
    if (m_state == State::Buffering) {
        // A snapshot that never comes must not grow memory without bound: keep the newest.
        if (m_buffer.size() >= m_maxBuffered)
            m_buffer.pop_front();
        m_buffer.push_back(std::move(diff));
        return Outcome::Buffered;
    }
    return apply(diff);
}

DepthSync::Outcome DepthSync::apply(const DepthDiff& diff) {
    const std::uint64_t last = m_book.lastUpdateId();
    if (diff.finalUpdateId <= last)
        return Outcome::Dropped;
    // web-socket-streams.md "How to manage a local order book correctly": an event with U greater
    // than the book's id + 1 means events were missed. Events may overlap what the book already
    // has (U <= id): each level in them carries its quantity as of u, so applying them is right.
    const bool continuous = diff.firstUpdateId <= last + 1;
    if (!continuous) {
        ++m_gaps;
        reset();
        m_buffer.push_back(diff); // it may be the first of the next sync
        return Outcome::Gap;
    }
    for (const auto& l : diff.bids)
        m_book.applyRaw(Side::Bid, l.price, l.quantity);
    for (const auto& l : diff.asks)
        m_book.applyRaw(Side::Ask, l.price, l.quantity);
    m_book.setLastUpdateId(diff.finalUpdateId);
    return Outcome::Applied;
}

DepthSync::Outcome DepthSync::onSnapshot(const DepthSnapshot& snapshot) {
    if (!m_buffer.empty() && snapshot.lastUpdateId < m_buffer.front().firstUpdateId)
        return Outcome::SnapshotTooOld;
    m_book.clear();
    for (const auto& l : snapshot.bids)
        m_book.applyRaw(Side::Bid, l.price, l.quantity);
    for (const auto& l : snapshot.asks)
        m_book.applyRaw(Side::Ask, l.price, l.quantity);
    m_book.setLastUpdateId(snapshot.lastUpdateId);
    m_state = State::Synced;
    std::deque<DepthDiff> pending;
    pending.swap(m_buffer);
    for (const auto& diff : pending) {
        if (apply(diff) == Outcome::Gap) {
            // Replaying the buffer found a hole: start over with what came after it.
            for (auto it = pending.begin(); it != pending.end(); ++it)
                if (it->firstUpdateId > diff.firstUpdateId)
                    m_buffer.push_back(*it);
            return Outcome::Gap;
        }
    }
    return Outcome::SnapshotApplied;
}

} // namespace md::binance
