#include "kraken/krakenbook.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

namespace md::kraken {

namespace {
constexpr std::size_t kChecksumLevels = 10;
// 20 levels, two int64 (at most 19 digits each).
constexpr std::size_t kChecksumBuffer = 2 * kChecksumLevels * 2 * 20;
} // namespace

void BookEntry::setQuantity(std::int64_t q) {
    quantity = q;
    char* const end = text + sizeof text;
    char* p = std::to_chars(text, end, price).ptr;
    p = std::to_chars(p, end, quantity).ptr;
    textLength = static_cast<std::uint8_t>(p - text);
}

void KrakenBook::clear() {
    m_bids.clear();
    m_asks.clear();
}

void KrakenBook::applySide(std::vector<BookEntry>& side, const std::vector<Level>& changes, bool descending,
                           std::vector<Level>& cut) {
    cut.clear();
    for (const Level& c : changes) {
        auto it = descending ? std::lower_bound(side.begin(), side.end(), c.price,
                                                [](const BookEntry& l, std::int64_t p) { return l.price > p; })
                             : std::lower_bound(side.begin(), side.end(), c.price,
                                                [](const BookEntry& l, std::int64_t p) { return l.price < p; });
        const bool found = it != side.end() && it->price == c.price;
        if (c.quantity == 0) {
            if (found)
                side.erase(it);
        } else if (found) {
            it->setQuantity(c.quantity);
        } else {
            BookEntry e;
            e.price = c.price;
            e.setQuantity(c.quantity);
            side.insert(it, e);
        }
    }
    if (side.size() > static_cast<std::size_t>(m_depth)) {
        for (auto it = side.begin() + m_depth; it != side.end(); ++it)
            cut.push_back({it->price, 0});
        side.resize(static_cast<std::size_t>(m_depth));
    }
}

void KrakenBook::apply(const BookMessage& message) {
    if (message.snapshot)
        clear();
    applySide(m_bids, message.bids, true, m_cutBids);
    applySide(m_asks, message.asks, false, m_cutAsks);
}

std::size_t KrakenBook::writeChecksumText(char* out) const {
    char* p = out;
    char* const end = out + kChecksumBuffer;
    auto write = [&](const std::vector<BookEntry>& side) {
        const std::size_t n = std::min(side.size(), kChecksumLevels);
        for (std::size_t i = 0; i < n && p + side[i].textLength <= end; ++i) {
            std::memcpy(p, side[i].text, side[i].textLength);
            p += side[i].textLength;
        }
    };
    write(m_asks);
    write(m_bids);
    return static_cast<std::size_t>(p - out);
}

std::uint32_t KrakenBook::checksum() const {
    char buffer[kChecksumBuffer];
    const std::size_t n = writeChecksumText(buffer);
    return static_cast<std::uint32_t>(
        crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(buffer), static_cast<uInt>(n)));
}

std::string KrakenBook::checksumText() const {
    char buffer[kChecksumBuffer];
    return std::string(buffer, writeChecksumText(buffer));
}

} // namespace md::kraken
