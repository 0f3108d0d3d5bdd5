#pragma once

#include "decimal.h"
#include "types.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace md {

struct BookLevel {
    Price price;
    Quantity quantity;
};

/// One side's change: quantity zero removes the level.
struct BookChange {
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
};

/// A price-level book: bids descending, asks ascending. Levels are stored as integer units at the
/// book's price and quantity scales, in sorted vectors: at the depths exchanges publish (tens to a
/// few thousand levels) a binary search and a short move beat any tree. The scales start as the
/// instrument's and widen to the finest the exchange sends: a real book holds levels finer than
/// today's tick and step (orders left from before a precision change), and they are kept exactly.
/// Thread: value type; not synchronised.
/// Errors: a change whose units would overflow at the book's scale is refused (returns false).
class OrderBook {
public:
    struct RawLevel {
        std::int64_t price;
        std::int64_t quantity;
    };

    explicit OrderBook(int priceScale = 8, int quantityScale = 8);

    int priceScale() const { return m_priceScale; }
    int quantityScale() const { return m_quantityScale; }

    void clear();
    /// Replaces the whole book.
    bool applySnapshot(const std::vector<BookLevel>& bids, const std::vector<BookLevel>& asks, std::uint64_t updateId);
    bool applyChange(const BookChange& change);
    bool applyChange(Side side, Price price, Quantity quantity) {
        return applyChange(BookChange{side, price, quantity});
    }
    /// Fast path for parsers that already hold units at the book's scales.
    void applyRaw(Side side, std::int64_t priceUnits, std::int64_t quantityUnits);
    void setLastUpdateId(std::uint64_t id) { m_lastUpdateId = id; }
    std::uint64_t lastUpdateId() const { return m_lastUpdateId; }

    std::optional<BookLevel> bestBid() const;
    std::optional<BookLevel> bestAsk() const;
    /// Level `index` (0 = best) on a side, if the book is that deep.
    std::optional<BookLevel> level(Side side, std::size_t index) const;
    std::optional<Price> mid() const;
    bool isCrossed() const;
    bool isEmpty() const { return m_bids.empty() && m_asks.empty(); }
    std::size_t depth(Side side) const { return side == Side::Bid ? m_bids.size() : m_asks.size(); }
    /// Quantity resting at exactly `price`, zero when none.
    Quantity quantityAt(Side side, Price price) const;

    const std::vector<RawLevel>& rawSide(Side side) const { return side == Side::Bid ? m_bids : m_asks; }
    BookLevel toLevel(const RawLevel& raw) const {
        return {Price(raw.price, m_priceScale), Quantity(raw.quantity, m_quantityScale)};
    }
    /// The best `count` levels of a side as values.
    std::vector<BookLevel> top(Side side, std::size_t count) const;

private:
    /// Rescales every level to finer scales (exact); false when a level would overflow.
    bool widen(int priceScale, int quantityScale);

    std::vector<RawLevel> m_bids; // descending by price
    std::vector<RawLevel> m_asks; // ascending by price
    std::uint64_t m_lastUpdateId = 0;
    int m_priceScale;
    int m_quantityScale;
};

} // namespace md
