#pragma once

#include "domain/decimal.h"
#include "domain/instrument.h"
#include "domain/types.h"

#include <optional>
#include <string>

namespace md {

/// Config "manual.fat_finger_band_percent" / "manual.fat_finger_max_notional".
struct FatFingerLimits {
    double bandPercent = 5;             // a price farther than this from the mid asks first
    std::optional<Decimal> maxNotional; // a notional (quote) above this asks first; none: no size check
};

/// What the trader is asked to confirm: how far the price is from the mid and what the order is worth.
struct FatFingerWarning {
    std::optional<double> distancePercent; // |price - mid| / mid in %; nullopt without a two-sided book
    Decimal notional;                      // price × quantity, in the quote asset
    bool outsideBand = false;
    bool overNotional = false;
    std::string text; // "price 70000 is 9.09 % from the mid 64166.5; notional 700 USDT"
};

/// The fat-finger guard (issue 15 part 5): a manual order that is far from the market or large asks
/// for confirmation. It sits in front of the risk gate, never instead of it: a confirmed order still
/// meets every hard limit. Without a mid (an empty or one-sided book) the distance cannot be told,
/// so the order asks. Thread: any (pure).
class FatFingerGuard {
public:
    explicit FatFingerGuard(FatFingerLimits limits = {})
        : m_limits(std::move(limits)) {}
    const FatFingerLimits& limits() const { return m_limits; }
    /// nullopt: the order may go without asking.
    std::optional<FatFingerWarning> check(const Instrument& instrument, Price price, Quantity quantity,
                                          std::optional<Price> mid) const;

private:
    FatFingerLimits m_limits;
};

} // namespace md
