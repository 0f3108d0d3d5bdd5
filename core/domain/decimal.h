#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace md {

enum class Rounding { Down, Up, Nearest, TowardZero };

/// Exact fixed-point decimal: value = units * 10^-scale, scale in [0, 18].
/// Never a double: prices and quantities are parsed from and printed to exact strings.
/// Thread: value type, any thread.
/// Errors: parse/rescale give nullopt rather than lose digits; + and * round at a coarser scale when too big.
class Decimal {
public:
    static constexpr int kMaxScale = 18;

    constexpr Decimal() = default;
    constexpr Decimal(std::int64_t units, int scale)
        : m_units(units)
        , m_scale(static_cast<std::int8_t>(scale)) {}

    /// Parses "123", "-0.0042", "1e-8" is refused. The scale is the number of fractional digits written.
    static std::optional<Decimal> parse(std::string_view text);
    /// Parses exactly at `scale`; refuses text with non-zero digits beyond it.
    static std::optional<Decimal> parse(std::string_view text, int scale);
    static Decimal fromInt(std::int64_t value) { return Decimal(value, 0); }
    /// Why parse(text) refused it, to follow the quoted text in a message: "is not a decimal",
    /// "has 19 decimal places; at most 18 are supported" or "is too large".
    static std::string parseFailure(std::string_view text);

    constexpr std::int64_t units() const { return m_units; }
    constexpr int scale() const { return m_scale; }
    constexpr bool isZero() const { return m_units == 0; }
    constexpr bool isNegative() const { return m_units < 0; }
    constexpr bool isPositive() const { return m_units > 0; }

    /// Exact change of scale; nullopt when digits would be lost or the value overflows.
    std::optional<Decimal> rescaled(int scale) const;
    /// Change of scale with rounding (never fails for scale >= current unless overflow, which saturates).
    Decimal rounded(int scale, Rounding mode) const;
    /// Nearest multiple of a positive step, at the step's scale or ours, whichever is finer.
    Decimal roundedToStep(Decimal step, Rounding mode) const;
    bool isMultipleOf(Decimal step) const;

    /// Exact text with exactly scale() fractional digits ("0.35210000").
    std::string toString() const;
    /// Text without trailing fractional zeros ("0.3521").
    std::string toTrimmedString() const;
    /// For display and statistics only; never for arithmetic that must be exact.
    double toDouble() const;

    Decimal operator-() const { return Decimal(-m_units, m_scale); }
    friend Decimal operator+(Decimal a, Decimal b);
    friend Decimal operator-(Decimal a, Decimal b);
    /// Exact product at scale a.scale()+b.scale() (clamped to kMaxScale, coarser when too big: decimal.cpp).
    friend Decimal operator*(Decimal a, Decimal b);
    Decimal& operator+=(Decimal other) { return *this = *this + other; }
    Decimal& operator-=(Decimal other) { return *this = *this - other; }
    /// Product with an integer; exact.
    Decimal times(std::int64_t factor) const { return Decimal(m_units * factor, m_scale); }

    friend std::strong_ordering operator<=>(Decimal a, Decimal b);
    friend bool operator==(Decimal a, Decimal b) { return (a <=> b) == std::strong_ordering::equal; }

private:
    std::int64_t m_units = 0;
    std::int8_t m_scale = 0;
};

/// A Decimal that means one thing only, so a price can never be passed as a quantity.
template <class Tag> class FixedPoint {
public:
    constexpr FixedPoint() = default;
    constexpr FixedPoint(std::int64_t units, int scale)
        : m_value(units, scale) {}
    constexpr explicit FixedPoint(Decimal value)
        : m_value(value) {}

    static std::optional<FixedPoint> parse(std::string_view text) {
        auto d = Decimal::parse(text);
        return d ? std::optional<FixedPoint>(FixedPoint(*d)) : std::nullopt;
    }
    static std::optional<FixedPoint> parse(std::string_view text, int scale) {
        auto d = Decimal::parse(text, scale);
        return d ? std::optional<FixedPoint>(FixedPoint(*d)) : std::nullopt;
    }

    constexpr Decimal decimal() const { return m_value; }
    constexpr std::int64_t units() const { return m_value.units(); }
    constexpr int scale() const { return m_value.scale(); }
    constexpr bool isZero() const { return m_value.isZero(); }
    constexpr bool isPositive() const { return m_value.isPositive(); }
    constexpr bool isNegative() const { return m_value.isNegative(); }
    std::optional<FixedPoint> rescaled(int scale) const {
        auto d = m_value.rescaled(scale);
        return d ? std::optional<FixedPoint>(FixedPoint(*d)) : std::nullopt;
    }
    FixedPoint rounded(int scale, Rounding mode) const { return FixedPoint(m_value.rounded(scale, mode)); }
    FixedPoint roundedTo(FixedPoint step, Rounding mode) const {
        return FixedPoint(m_value.roundedToStep(step.m_value, mode));
    }
    bool isMultipleOf(FixedPoint step) const { return m_value.isMultipleOf(step.m_value); }
    std::string toString() const { return m_value.toString(); }
    std::string toTrimmedString() const { return m_value.toTrimmedString(); }
    double toDouble() const { return m_value.toDouble(); }

    FixedPoint operator-() const { return FixedPoint(-m_value); }
    friend FixedPoint operator+(FixedPoint a, FixedPoint b) { return FixedPoint(a.m_value + b.m_value); }
    friend FixedPoint operator-(FixedPoint a, FixedPoint b) { return FixedPoint(a.m_value - b.m_value); }
    FixedPoint& operator+=(FixedPoint o) { return *this = *this + o; }
    FixedPoint& operator-=(FixedPoint o) { return *this = *this - o; }
    FixedPoint times(std::int64_t factor) const { return FixedPoint(m_value.times(factor)); }
    friend std::strong_ordering operator<=>(FixedPoint a, FixedPoint b) { return a.m_value <=> b.m_value; }
    friend bool operator==(FixedPoint a, FixedPoint b) { return a.m_value == b.m_value; }

private:
    Decimal m_value;
};

using Price = FixedPoint<struct PriceTag>;
using Quantity = FixedPoint<struct QuantityTag>;
using Notional = FixedPoint<struct NotionalTag>;

inline Notional operator*(Price p, Quantity q) {
    return Notional(p.decimal() * q.decimal());
}
inline Notional operator*(Quantity q, Price p) {
    return p * q;
}

template <class T> T minOf(T a, T b) {
    return b < a ? b : a;
}
template <class T> T maxOf(T a, T b) {
    return a < b ? b : a;
}

} // namespace md
