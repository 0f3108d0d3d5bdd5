#pragma once

#include "domain/decimal.h"
#include "domain/instrument.h"
#include "domain/types.h"

#include <map>
#include <optional>
#include <string>

namespace md {

/// One market's position and P&L in its quote currency, by the AVERAGE-COST rule:
/// - The position is signed base quantity (long > 0, short < 0); the cost basis is the signed quote
///   amount paid for it (long: what was paid, short: minus what was received).
/// - A fill in the position's direction (or from flat) adds its quantity and price * quantity.
/// - A fill against it first closes: the closed part releases cost basis in proportion
///   (cost * closed / |position|, computed in 128 bits and rounded half away from zero to a fixed
///   scale: the price scale + 8, finer than any quantity or fee a venue reports; fixed so that the
///   same fills give the same figures however their numbers were written); realized += closed's proceeds - released
///   cost. A close of the whole position releases the rest exactly, so once flat the realized P&L is exactly the cash
///   the trades made. What is left of a fill larger than the position opens the other way at the fill's price (flipping
///   through zero).
/// - Fees: a fee in the quote asset is a cost in quote as charged. A fee in the base asset leaves the
///   position (that quantity is gone) as if disposed of at the fill's price, and that value counts
///   as the fee in quote. A fee in any other asset (e.g. BNB) is kept per asset and never converted.
/// - Unrealized = position * mid - cost basis, with mid = (best bid + best ask) / 2 (exact); zero
///   with no two-sided book. Realized and unrealized are gross of fees; net = realized + unrealized
///   - fees in quote.
/// Every figure is an exact Decimal; only the released cost on a partial close and the displayed
/// average entry are rounded, as stated above.
/// Thread: a value type; used by one thread at a time (the PositionKeeper's).
class PnlLedger {
public:
    explicit PnlLedger(Instrument instrument = {});

    void onFill(Side side, Price price, Quantity quantity, Decimal fee = {}, const std::string& feeAsset = {});
    /// Marks the position to the book's mid; nullopt (one-sided or empty book) keeps the last mark.
    void mark(std::optional<Price> bestBid, std::optional<Price> bestAsk);
    /// Adds realized P&L and fees of earlier runs (the journal's fills of the day), kept apart from
    /// this run's position.
    void addCarried(Decimal realized, Decimal feesInQuote, const std::map<std::string, Decimal>& otherFees);

    const Instrument& instrument() const { return m_instrument; }
    Decimal position() const { return m_position; }
    Decimal costBasis() const { return m_cost; }
    /// cost / position at the price scale + 4, rounded half away from zero; zero when flat.
    Decimal averageEntry() const;
    Decimal realized() const { return m_realized; }
    Decimal unrealized() const;
    Decimal feesInQuote() const { return m_feesInQuote; }
    /// Every fee as charged, by asset (quote, base and others).
    const std::map<std::string, Decimal>& fees() const { return m_fees; }
    Decimal net() const { return m_realized + unrealized() - m_feesInQuote; }
    std::optional<Decimal> mid() const { return m_mid; }
    std::uint64_t fillCount() const { return m_fills; }
    /// Base quantity bought and sold (volume).
    Decimal bought() const { return m_bought; }
    Decimal sold() const { return m_sold; }

    /// a / b rounded half away from zero at `scale` (zero when b is zero). Exact decimals, no double.
    static Decimal divided(Decimal a, Decimal b, int scale);
    /// a * b / c the same way, the product kept in 128 bits (a cost times a quantity overflows 64).
    static Decimal mulDiv(Decimal a, Decimal b, Decimal c, int scale);

private:
    /// Applies a signed base quantity at `price` by the average-cost rule.
    void trade(Decimal signedQuantity, Price price);

    Instrument m_instrument;
    int m_roundScale;
    Decimal m_position;
    Decimal m_cost;
    Decimal m_realized;
    Decimal m_feesInQuote;
    std::map<std::string, Decimal> m_fees;
    std::optional<Decimal> m_mid;
    Decimal m_bought;
    Decimal m_sold;
    std::uint64_t m_fills = 0;
};

} // namespace md
