#pragma once

#include "binance/binancemessages.h"

#include "domain/orderbook.h"

#include <deque>

namespace md::binance {

/// Binance's documented local order book procedure, as a pure state machine:
///  1. buffer the stream's diffs; 2. take a REST snapshot — if its lastUpdateId is older than the
///  first buffered U, fetch again; 3. drop diffs with u <= lastUpdateId; 4. apply a diff whenever
///  its U <= the book's id + 1 (the first one straddles the snapshot's id; later ones may overlap
///  what the book has, as Binance's do); a U beyond id + 1 is a gap.
/// A gap discards the book and starts over (the connector reports Degraded and resyncs).
/// Levels are kept at the book's scales, which are the exchange's own precision (8 decimals for
/// Binance), not the instrument's tick and step: a real book holds orders left from before a
/// precision change, finer than today's tick (the NKNUSDT recording). Tick and step govern only
/// what we send.
/// Thread: the producer thread of one market.
class DepthSync {
public:
    enum class State { Buffering, Synced };
    enum class Outcome {
        Buffered,        // waiting for a snapshot
        Applied,         // the book moved
        Dropped,         // older than the book: ignored
        SnapshotApplied, // synced; buffered diffs replayed
        SnapshotTooOld,  // fetch the snapshot again
        Gap,             // continuity broken: book discarded, buffering again; fetch a snapshot
    };

    DepthSync(int priceScale, int quantityScale, std::size_t maxBuffered = 10000);

    Outcome onDiff(DepthDiff diff);
    Outcome onSnapshot(const DepthSnapshot& snapshot);
    /// Forget the book and buffer again (after a reconnect).
    void reset();

    State state() const { return m_state; }
    const OrderBook& book() const { return m_book; }
    std::uint64_t lastUpdateId() const { return m_book.lastUpdateId(); }
    std::size_t buffered() const { return m_buffer.size(); }
    std::uint64_t gaps() const { return m_gaps; }

private:
    Outcome apply(const DepthDiff& diff);

    State m_state = State::Buffering;
    OrderBook m_book;
    std::deque<DepthDiff> m_buffer;
    std::size_t m_maxBuffered;
    std::uint64_t m_gaps = 0;
};

} // namespace md::binance
