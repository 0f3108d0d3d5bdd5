#include "simwire.h"

#include <charconv>

namespace md {
namespace {

class Reader {
public:
    explicit Reader(std::string_view text)
        : m_text(text) {}

    bool token(std::string_view& out) {
        while (m_pos < m_text.size() && m_text[m_pos] == ' ')
            ++m_pos;
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != ' ')
            ++m_pos;
        out = m_text.substr(start, m_pos - start);
        return !out.empty();
    }
    template <class T> bool number(T& out) {
        std::string_view t;
        if (!token(t))
            return false;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
        return ec == std::errc() && end == t.data() + t.size();
    }
    bool side(Side& out) {
        std::string_view t;
        if (!token(t) || t.size() != 1 || (t[0] != 'b' && t[0] != 'a'))
            return false;
        out = t[0] == 'b' ? Side::Bid : Side::Ask;
        return true;
    }
    bool atEnd() {
        while (m_pos < m_text.size() && m_text[m_pos] == ' ')
            ++m_pos;
        return m_pos == m_text.size();
    }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
};

constexpr std::size_t kMaxSnapshotLevels = 100000;

} // namespace

std::string encodeSimMessage(const SimMessage& message) {
    std::string out;
    out.reserve(48);
    auto num = [&](auto v) {
        out += ' ';
        out += std::to_string(v);
    };
    if (const auto* d = std::get_if<SimDepth>(&message)) {
        out += 'D';
        num(d->seq);
        out += d->side == Side::Bid ? " b" : " a";
        num(d->price);
        num(d->quantity);
    } else if (const auto* t = std::get_if<SimTrade>(&message)) {
        out += 'T';
        num(t->seq);
        out += t->aggressor == Side::Bid ? " b" : " a";
        num(t->price);
        num(t->quantity);
    } else {
        const auto& s = std::get<SimSnapshot>(message);
        out += 'S';
        num(s.seq);
        num(s.bids.size());
        num(s.asks.size());
        for (const auto& [p, q] : s.bids) {
            num(p);
            num(q);
        }
        for (const auto& [p, q] : s.asks) {
            num(p);
            num(q);
        }
    }
    return out;
}

SimParseResult parseSimMessage(std::string_view line) {
    Reader r(line);
    std::string_view type;
    if (!r.token(type) || type.size() != 1)
        return {{}, "missing message type"};
    if (type[0] == 'D' || type[0] == 'T') {
        std::uint64_t seq = 0;
        Side side = Side::Bid;
        std::int64_t price = 0, qty = 0;
        if (!r.number(seq))
            return {{}, "bad sequence number"};
        if (!r.side(side))
            return {{}, "bad side (expected b or a)"};
        if (!r.number(price) || price <= 0)
            return {{}, "bad price"};
        if (!r.number(qty) || qty < 0 || (type[0] == 'T' && qty == 0))
            return {{}, "bad quantity"};
        if (!r.atEnd())
            return {{}, "trailing data"};
        if (type[0] == 'D')
            return {SimDepth{seq, side, price, qty}, {}};
        return {SimTrade{seq, side, price, qty}, {}};
    }
    if (type[0] == 'S') {
        SimSnapshot s;
        std::size_t nb = 0, na = 0;
        if (!r.number(s.seq) || !r.number(nb) || !r.number(na) || nb > kMaxSnapshotLevels || na > kMaxSnapshotLevels)
            return {{}, "bad snapshot header"};
        for (std::size_t i = 0; i < nb + na; ++i) {
            std::int64_t p = 0, q = 0;
            if (!r.number(p) || !r.number(q) || p <= 0 || q <= 0)
                return {{}, "bad snapshot level"};
            (i < nb ? s.bids : s.asks).emplace_back(p, q);
        }
        if (!r.atEnd())
            return {{}, "trailing data"};
        return {std::move(s), {}};
    }
    return {{}, "unknown message type"};
}

} // namespace md
