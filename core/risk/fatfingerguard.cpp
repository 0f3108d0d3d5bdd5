#include "risk/fatfingerguard.h"

#include <fmt/format.h>

#include <cmath>

namespace md {

std::optional<FatFingerWarning> FatFingerGuard::check(const Instrument& instrument, Price price, Quantity quantity,
                                                      std::optional<Price> mid) const {
    FatFingerWarning w;
    w.notional = (price * quantity).decimal();
    std::string where;
    if (mid && mid->isPositive()) {
        // The distance is for the eye and a band in percent: a double is exact enough here; the
        // order's price and notional stay exact.
        const double distance = std::abs(price.toDouble() - mid->toDouble()) / mid->toDouble() * 100.0;
        w.distancePercent = distance;
        w.outsideBand = distance > m_limits.bandPercent;
        where = fmt::format("price {} is {:.2f} % from the mid {}", price.toTrimmedString(), distance,
                            mid->toTrimmedString());
    } else {
        w.outsideBand = true;
        where = fmt::format("price {}: no two-sided book, distance from the mid unknown", price.toTrimmedString());
    }
    w.overNotional = m_limits.maxNotional && w.notional > *m_limits.maxNotional;
    if (!w.outsideBand && !w.overNotional)
        return std::nullopt;
    w.text = fmt::format(
        "{}{}; notional {} {}{}", where,
        w.outsideBand && w.distancePercent ? fmt::format(" (band {} %)", m_limits.bandPercent) : "",
        w.notional.toTrimmedString(), instrument.quote,
        w.overNotional ? fmt::format(" (above {} {})", m_limits.maxNotional->toTrimmedString(), instrument.quote) : "");
    return w;
}

} // namespace md
