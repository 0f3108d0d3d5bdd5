#pragma once

#include "kraken/krakenmessages.h"

#include <cstdint>
#include <vector>

namespace md::kraken {

/// A level of the local book with its checksum text (price digits then quantity digits) written when the
/// level changes, so that a checksum only concatenates the top 10 texts: writing 40 integers for every
/// message was most of its cost.
struct BookEntry {
    std::int64_t price = 0;
    std::int64_t quantity = 0;
    std::uint8_t textLength = 0;
    char text[39] = {};
    void setQuantity(std::int64_t q);
};

/// The local copy of one pair's book as Kraken's checksum guide asks it to be kept
/// (https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2): levels as integer units at
/// the pair's precision, every level of a message applied before the checksum, a quantity of 0 removes
/// the level, and after every message the book is truncated to the subscribed depth (Kraken sends no
/// removal for levels that fall out of scope). Bids descending, asks ascending, in sorted vectors.
/// Thread: value type; not synchronised.
class KrakenBook {
public:
    explicit KrakenBook(int depth = 10)
        : m_depth(depth) {}

    int depth() const { return m_depth; }
    void clear();
    /// Applies a snapshot (replacing everything) or an update, then truncates to the depth. Levels cut
    /// by the truncation are kept in truncatedBids()/truncatedAsks() until the next apply, so that a
    /// replica of the book elsewhere can drop them too.
    void apply(const BookMessage& message);
    const std::vector<Level>& truncatedBids() const { return m_cutBids; }
    const std::vector<Level>& truncatedAsks() const { return m_cutAsks; }
    /// CRC32 of the top 10 asks (low to high) then the top 10 bids (high to low), each level written
    /// as its price then its quantity at the pair's precision without the point and leading zeros —
    /// which is exactly the decimal integer of its units.
    std::uint32_t checksum() const;
    /// The checksum input itself (tests and logs).
    std::string checksumText() const;

    const std::vector<BookEntry>& bids() const { return m_bids; }
    const std::vector<BookEntry>& asks() const { return m_asks; }

private:
    void applySide(std::vector<BookEntry>& side, const std::vector<Level>& changes, bool descending,
                   std::vector<Level>& cut);
    std::size_t writeChecksumText(char* out) const;

    int m_depth;
    std::vector<BookEntry> m_bids; // descending
    std::vector<BookEntry> m_asks; // ascending
    std::vector<Level> m_cutBids;
    std::vector<Level> m_cutAsks;
};

} // namespace md::kraken
