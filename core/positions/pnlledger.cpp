#include "positions/pnlledger.h"

#include <algorithm>
#include <limits>

namespace md {
namespace {

using Wide = __int128;

Wide pow10(int n) {
    Wide p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

std::int64_t saturate(Wide v) {
    constexpr Wide kMax = std::numeric_limits<std::int64_t>::max();
    return v > kMax ? std::numeric_limits<std::int64_t>::max()
                    : (v < -kMax ? -std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(v));
}

bool fitsInt64(Wide v) {
    return v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max();
}

int signOf(Decimal d) {
    return d.isPositive() ? 1 : (d.isNegative() ? -1 : 0);
}

} // namespace

Decimal PnlLedger::divided(Decimal a, Decimal b, int scale) {
    return mulDiv(a, Decimal(1, 0), b, scale);
}

Decimal PnlLedger::mulDiv(Decimal a, Decimal b, Decimal c, int scale) {
    if (c.isZero())
        return Decimal(0, scale);
    // A result that does not fit 64 bits at `scale` is given at the finest coarser scale that fits
    // (a cost of 922 USDT already overflows at scale 16, a coin's tick of 1e-8 plus 8): never the
    // saturated limit.
    for (scale = std::clamp(scale, 0, Decimal::kMaxScale);; --scale) {
        // a.units * b.units * 10^-(sa+sb) / (c.units * 10^-sc) = result.units * 10^-scale
        Wide num = static_cast<Wide>(a.units()) * b.units();
        Wide den = c.units();
        const int exponent = scale - a.scale() - b.scale() + c.scale();
        if (exponent >= 0)
            num *= pow10(exponent);
        else
            den *= pow10(-exponent);
        if (den < 0) {
            num = -num;
            den = -den;
        }
        const Wide q = num / den;
        const Wide r = num % den;
        Wide rounded = q;
        if (2 * (r < 0 ? -r : r) >= den)
            rounded += num < 0 ? -1 : 1;
        if (fitsInt64(rounded) || scale == 0)
            return Decimal(saturate(rounded), scale);
    }
}

PnlLedger::PnlLedger(Instrument instrument)
    : m_instrument(std::move(instrument))
    , m_roundScale(
          std::min(m_instrument.priceScale() + std::max(m_instrument.quantityScale(), 8), Decimal::kMaxScale)) {}

Decimal PnlLedger::averageEntry() const {
    if (m_position.isZero())
        return Decimal();
    return divided(m_cost, m_position, m_instrument.priceScale() + 4);
}

Decimal PnlLedger::unrealized() const {
    if (!m_mid || m_position.isZero())
        return Decimal();
    return m_position * *m_mid - m_cost;
}

void PnlLedger::trade(Decimal signedQuantity, Price price) {
    const Decimal p = price.decimal();
    const int dir = signOf(signedQuantity);
    if (dir == 0)
        return;
    if (signOf(m_position) == -dir) { // against the position: close first
        const Decimal held = m_position.isNegative() ? -m_position : m_position;
        const Decimal want = signedQuantity.isNegative() ? -signedQuantity : signedQuantity;
        const Decimal closed = want < held ? want : held;
        const Decimal released = closed == held ? m_cost : mulDiv(m_cost, closed, held, m_roundScale);
        // Long: sells `closed` at p; short: buys it back at p.
        const Decimal proceeds = m_position.isPositive() ? closed * p : -(closed * p);
        m_realized += proceeds - released;
        m_cost -= released;
        m_position += dir > 0 ? closed : -closed;
        signedQuantity += dir > 0 ? -closed : closed;
        if (m_position.isZero())
            m_cost = Decimal(); // exactly flat: nothing carried into the other side
    }
    if (!signedQuantity.isZero()) { // in the position's direction, or what is left after a flip
        m_position += signedQuantity;
        m_cost += signedQuantity * p;
    }
}

void PnlLedger::onFill(Side side, Price price, Quantity quantity, Decimal fee, const std::string& feeAsset) {
    ++m_fills;
    const Decimal q = quantity.decimal();
    (side == Side::Bid ? m_bought : m_sold) += q;
    trade(side == Side::Bid ? q : -q, price);
    if (fee.isZero() || feeAsset.empty())
        return;
    m_fees[feeAsset] += fee;
    if (feeAsset == m_instrument.quote) {
        m_feesInQuote += fee;
    } else if (feeAsset == m_instrument.base) {
        // The fee's quantity leaves the position as if sold (long) or shorted further (short) at the
        // fill's price: realized keeps only that price's difference to the average entry, and the
        // quantity's value at the fill's price is the fee, counted once, in quote.
        trade(-fee, price);
        const Decimal value = fee * price.decimal();
        m_feesInQuote += value;
    }
}

void PnlLedger::mark(std::optional<Price> bestBid, std::optional<Price> bestAsk) {
    if (!bestBid || !bestAsk)
        return;
    m_mid = (bestBid->decimal() + bestAsk->decimal()) * Decimal(5, 1);
}

void PnlLedger::addCarried(Decimal realized, Decimal feesInQuote, const std::map<std::string, Decimal>& otherFees) {
    m_realized += realized;
    m_feesInQuote += feesInQuote;
    for (const auto& [asset, amount] : otherFees)
        m_fees[asset] += amount;
}

} // namespace md
