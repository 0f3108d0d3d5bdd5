#include "decimal.h"

#include <cmath>
#include <limits>

namespace md {
namespace {

using Wide = __int128;

constexpr std::int64_t kPow10[] = {1,
                                   10,
                                   100,
                                   1000,
                                   10000,
                                   100000,
                                   1000000,
                                   10000000,
                                   100000000,
                                   1000000000,
                                   10000000000,
                                   100000000000,
                                   1000000000000,
                                   10000000000000,
                                   100000000000000,
                                   1000000000000000,
                                   10000000000000000,
                                   100000000000000000,
                                   1000000000000000000};

Wide pow10Wide(int n) {
    Wide r = 1;
    for (int i = 0; i < n; ++i)
        r *= 10;
    return r;
}

bool fitsInt64(Wide v) {
    return v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max();
}

std::int64_t saturate(Wide v) {
    if (v > std::numeric_limits<std::int64_t>::max())
        return std::numeric_limits<std::int64_t>::max();
    if (v < std::numeric_limits<std::int64_t>::min())
        return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(v);
}

// Divides with the requested rounding; divisor > 0.
Wide divideRounded(Wide value, Wide divisor, Rounding mode) {
    Wide q = value / divisor; // truncates toward zero
    Wide r = value % divisor;
    if (r == 0)
        return q;
    switch (mode) {
    case Rounding::TowardZero:
        return q;
    case Rounding::Down:
        return value < 0 ? q - 1 : q;
    case Rounding::Up:
        return value > 0 ? q + 1 : q;
    case Rounding::Nearest: {
        Wide twice = (r < 0 ? -r : r) * 2;
        if (twice >= divisor)
            return value < 0 ? q - 1 : q + 1;
        return q;
    }
    }
    return q;
}

// A 128-bit result that does not fit 64 bits at `scale`: exact at a coarser scale when its trailing
// digits are zeros, else rounded half away from zero at the finest scale that fits. Saturating here
// turned a day's P&L into the int64 limit (-92.23372036854775808 at scale 17).
Decimal fittedDecimal(Wide v, int scale) {
    while (!fitsInt64(v) && scale > 0 && v % 10 == 0) {
        v /= 10;
        --scale;
    }
    if (fitsInt64(v))
        return Decimal(static_cast<std::int64_t>(v), scale);
    for (int drop = 1; drop <= scale; ++drop) {
        const Wide rounded = divideRounded(v, pow10Wide(drop), Rounding::Nearest);
        if (fitsInt64(rounded))
            return Decimal(static_cast<std::int64_t>(rounded), scale - drop);
    }
    return Decimal(saturate(divideRounded(v, pow10Wide(scale), Rounding::Nearest)), 0);
}

} // namespace

std::string Decimal::parseFailure(std::string_view text) {
    std::size_t i = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
    bool digit = false, dot = false;
    int decimals = 0;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !dot) {
            dot = true;
        } else if (c >= '0' && c <= '9') {
            digit = true;
            decimals += dot ? 1 : 0;
        } else {
            return "is not a decimal";
        }
    }
    if (!digit)
        return "is not a decimal";
    if (decimals > kMaxScale)
        return "has " + std::to_string(decimals) + " decimal places; at most " + std::to_string(kMaxScale) +
               " are supported";
    return "is too large";
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
    auto dot = text.find('.');
    int scale = dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
    if (scale > kMaxScale)
        return std::nullopt;
    return parse(text, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view text, int scale) {
    if (scale < 0 || scale > kMaxScale || text.empty())
        return std::nullopt;
    std::size_t i = 0;
    bool negative = false;
    if (text[0] == '-' || text[0] == '+') {
        negative = text[0] == '-';
        i = 1;
    }
    Wide units = 0;
    int fractionDigits = 0;
    bool seenDot = false;
    bool seenDigit = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c == '.') {
            if (seenDot)
                return std::nullopt;
            seenDot = true;
            continue;
        }
        if (c < '0' || c > '9')
            return std::nullopt;
        seenDigit = true;
        if (seenDot) {
            if (fractionDigits >= scale) {
                if (c != '0')
                    return std::nullopt; // would lose a digit
                continue;
            }
            ++fractionDigits;
        }
        units = units * 10 + (c - '0');
        if (units > std::numeric_limits<std::int64_t>::max())
            return std::nullopt;
    }
    if (!seenDigit)
        return std::nullopt;
    units *= pow10Wide(scale - fractionDigits);
    if (negative)
        units = -units;
    if (!fitsInt64(units))
        return std::nullopt;
    return Decimal(static_cast<std::int64_t>(units), scale);
}

std::optional<Decimal> Decimal::rescaled(int scale) const {
    if (scale < 0 || scale > kMaxScale)
        return std::nullopt;
    if (scale >= m_scale) {
        Wide v = static_cast<Wide>(m_units) * kPow10[scale - m_scale];
        if (!fitsInt64(v))
            return std::nullopt;
        return Decimal(static_cast<std::int64_t>(v), scale);
    }
    std::int64_t divisor = kPow10[m_scale - scale];
    if (m_units % divisor != 0)
        return std::nullopt;
    return Decimal(m_units / divisor, scale);
}

Decimal Decimal::rounded(int scale, Rounding mode) const {
    if (scale < 0)
        scale = 0;
    if (scale > kMaxScale)
        scale = kMaxScale;
    if (scale >= m_scale)
        return Decimal(saturate(static_cast<Wide>(m_units) * kPow10[scale - m_scale]), scale);
    return Decimal(saturate(divideRounded(m_units, kPow10[m_scale - scale], mode)), scale);
}

Decimal Decimal::roundedToStep(Decimal step, Rounding mode) const {
    if (step.m_units <= 0)
        return *this;
    int scale = m_scale > step.m_scale ? m_scale : step.m_scale;
    Wide value = static_cast<Wide>(m_units) * kPow10[scale - m_scale];
    Wide unit = static_cast<Wide>(step.m_units) * kPow10[scale - step.m_scale];
    Wide steps = divideRounded(value, unit, mode);
    Decimal result(saturate(steps * unit), scale);
    // Keep the coarser of the two scales when exact, so results print like the step does.
    if (auto coarse = result.rescaled(step.m_scale))
        return *coarse;
    return result;
}

bool Decimal::isMultipleOf(Decimal step) const {
    if (step.m_units == 0)
        return false;
    int scale = m_scale > step.m_scale ? m_scale : step.m_scale;
    Wide value = static_cast<Wide>(m_units) * kPow10[scale - m_scale];
    Wide unit = static_cast<Wide>(step.m_units) * kPow10[scale - step.m_scale];
    return value % unit == 0;
}

std::string Decimal::toString() const {
    Wide v = m_units;
    bool negative = v < 0;
    if (negative)
        v = -v;
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
        v /= 10;
    } while (v != 0);
    if (m_scale > 0) {
        while (static_cast<int>(digits.size()) <= m_scale)
            digits.insert(digits.begin(), '0');
        digits.insert(digits.end() - m_scale, '.');
    }
    if (negative)
        digits.insert(digits.begin(), '-');
    return digits;
}

std::string Decimal::toTrimmedString() const {
    std::string s = toString();
    if (m_scale == 0)
        return s;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    return s;
}

double Decimal::toDouble() const {
    return static_cast<double>(m_units) / static_cast<double>(kPow10[m_scale]);
}

Decimal operator+(Decimal a, Decimal b) {
    int scale = a.m_scale > b.m_scale ? a.m_scale : b.m_scale;
    Wide v = static_cast<Wide>(a.m_units) * kPow10[scale - a.m_scale] +
             static_cast<Wide>(b.m_units) * kPow10[scale - b.m_scale];
    if (fitsInt64(v))
        return Decimal(static_cast<std::int64_t>(v), scale);
    return fittedDecimal(v, scale);
}

Decimal operator-(Decimal a, Decimal b) {
    return a + (-b);
}

Decimal operator*(Decimal a, Decimal b) {
    Wide v = static_cast<Wide>(a.m_units) * b.m_units;
    int scale = a.m_scale + b.m_scale;
    if (scale > Decimal::kMaxScale) {
        v = divideRounded(v, pow10Wide(scale - Decimal::kMaxScale), Rounding::Nearest);
        scale = Decimal::kMaxScale;
    }
    if (fitsInt64(v))
        return Decimal(static_cast<std::int64_t>(v), scale);
    return fittedDecimal(v, scale);
}

std::strong_ordering operator<=>(Decimal a, Decimal b) {
    if (a.m_scale == b.m_scale)
        return a.m_units <=> b.m_units;
    int scale = a.m_scale > b.m_scale ? a.m_scale : b.m_scale;
    Wide va = static_cast<Wide>(a.m_units) * kPow10[scale - a.m_scale];
    Wide vb = static_cast<Wide>(b.m_units) * kPow10[scale - b.m_scale];
    return va < vb ? std::strong_ordering::less
                   : (va > vb ? std::strong_ordering::greater : std::strong_ordering::equal);
}

} // namespace md
