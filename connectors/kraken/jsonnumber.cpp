#include "kraken/jsonnumber.h"

#include <limits>

namespace md::kraken {

namespace {

struct Parts {
    bool negative = false;
    std::string_view integer;
    std::string_view fraction;
    int exponent = 0;
};

std::optional<Parts> split(std::string_view t) {
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r' || t.back() == '\t'))
        t.remove_suffix(1);
    if (t.size() >= 2 && t.front() == '"' && t.back() == '"')
        t = t.substr(1, t.size() - 2);
    Parts p;
    std::size_t i = 0;
    if (i < t.size() && t[i] == '-') {
        p.negative = true;
        ++i;
    }
    const std::size_t intStart = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9')
        ++i;
    p.integer = t.substr(intStart, i - intStart);
    if (i < t.size() && t[i] == '.') {
        const std::size_t fracStart = ++i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9')
            ++i;
        p.fraction = t.substr(fracStart, i - fracStart);
        if (p.fraction.empty())
            return std::nullopt;
    }
    if (p.integer.empty())
        return std::nullopt;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < t.size() && (t[i] == '+' || t[i] == '-'))
            expNegative = t[i++] == '-';
        const std::size_t expStart = i;
        int e = 0;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
            e = e * 10 + (t[i++] - '0');
            if (e > 400)
                return std::nullopt;
        }
        if (i == expStart)
            return std::nullopt;
        p.exponent = expNegative ? -e : e;
    }
    if (i != t.size())
        return std::nullopt;
    return p;
}

} // namespace

std::optional<std::int64_t> unitsAt(std::string_view text, int scale) {
    const auto p = split(text);
    if (!p || scale < 0 || scale > Decimal::kMaxScale)
        return std::nullopt;
    // The digit string integer+fraction has its decimal point at integer.size() + exponent; we want
    // every digit up to position (point + scale) as the integer value, and zeros after it.
    const long point = static_cast<long>(p->integer.size()) + p->exponent;
    const long keep = point + scale; // number of leading digits that form the units
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t units = 0;
    const long total = static_cast<long>(p->integer.size() + p->fraction.size());
    auto digit = [&](long index) -> int {
        const long n = static_cast<long>(p->integer.size());
        return index < n ? p->integer[index] - '0' : p->fraction[index - n] - '0';
    };
    for (long i = 0; i < std::max(keep, total); ++i) {
        const int d = i < total ? digit(i) : 0;
        if (i < keep) {
            if (units > (kMax - d) / 10)
                return std::nullopt;
            units = units * 10 + d;
        } else if (d != 0) {
            return std::nullopt; // a digit the scale cannot hold
        }
    }
    return p->negative ? -units : units;
}

std::optional<Decimal> exactDecimal(std::string_view text) {
    const auto p = split(text);
    if (!p)
        return std::nullopt;
    // Fractional digits the value needs: fraction digits minus exponent, trailing zeros dropped.
    std::string_view fraction = p->fraction;
    while (!fraction.empty() && fraction.back() == '0')
        fraction.remove_suffix(1);
    int scale = static_cast<int>(fraction.size()) - p->exponent;
    if (scale < 0)
        scale = 0;
    if (scale > Decimal::kMaxScale)
        return std::nullopt;
    const auto units = unitsAt(text, scale);
    if (!units)
        return std::nullopt;
    return Decimal(*units, scale);
}

} // namespace md::kraken
