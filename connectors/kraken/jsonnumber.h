#pragma once

#include "domain/decimal.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace md::kraken {

/// Kraken v2 writes prices and quantities as JSON numbers ("price": 45283.5, "qty": 0.10000000), so
/// they are read from the number's own text, never through a double (docs.kraken.com, "Book checksum
/// (WebSocket v2)": "parse price and qty fields using a decimal or string decoder to preserve full
/// precision"). Accepts [-]digits[.digits][(e|E)[+-]digits]; a quoted string is accepted too.
/// Thread: any. Pure.

/// Integer units at `scale`; nullopt when the text is not a number or has non-zero digits beyond
/// `scale` or overflows.
std::optional<std::int64_t> unitsAt(std::string_view text, int scale);
/// The exact value at the scale its text needs (at most Decimal::kMaxScale), trailing zeros dropped.
std::optional<Decimal> exactDecimal(std::string_view text);

} // namespace md::kraken
