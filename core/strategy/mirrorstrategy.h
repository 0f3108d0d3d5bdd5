#pragma once

#include "strategy/quoteslot.h"
#include "strategy/strategy.h"
#include "strategy/strategyfactory.h"

#include <array>
#include <map>
#include <optional>

namespace md {

struct MirrorParams {
    MarketId source = 0;
    MarketId destination = 1;
    int level = 0;                         // which level of the source book to copy (0 = best)
    Quantity maxExposure;                  // per side, in the base asset
    std::optional<Quantity> orderQuantity; // per quote; default: the copied level's size
    bool bids = true;
    bool asks = true;
};

/// The original system's strategy: copies one level of a liquid source market's book onto an
/// illiquid destination market, and recoups every fill there with the opposite trade on the source.
///
/// Exposure, per side s of the destination: open requested volume (what our quote on s still asks
/// for) plus realized exposure (volume filled on s not yet recouped on the source) never exceeds
/// `max_exposure`. A quote's size is capped by what is left of the limit when it is placed; fills
/// only move volume from "requested" to "realized", and recoup fills reduce it, so the sum cannot
/// grow. assertInvariant() checks it after every event (tests call it).
///
/// Order discipline: a quote whose price no longer matches the source is cancelled exactly once and
/// re-placed only after the cancel is confirmed; after a fill, the side is not quoted again until
/// the recoup has been seen to finish on the source.
/// Thread: the event-network thread.
class MirrorStrategy : public Strategy {
public:
    explicit MirrorStrategy(MirrorParams params);

    std::string_view name() const override { return "mirror"; }
    StrategyAdvice onEvent(const TradingEvent& event, const StrategyContext& context) override;
    StrategyAdvice onControl(const ControlEvent& event, const StrategyContext& context) override;
    /// Live (issue 17): which level, how much per quote, the exposure limit and the sides; the markets
    /// are not. Applied at its next event: a side no longer quoted, or over a lowered limit, has its
    /// quote cancelled; live quotes keep their size until they are re-placed.
    std::vector<std::string> liveKeys() const override { return {"level", "order_quantity", "max_exposure", "sides"}; }
    void retune(const QJsonObject& params) override;

    /// Open requested volume + realized (unrecouped) exposure on a side of the destination.
    Quantity exposure(Side side) const;
    Quantity unrecouped(Side side) const { return m_sides[index(side)].unrecouped; }
    const QuoteSlot& quote(Side side) const { return m_sides[index(side)].quote; }
    /// Throws std::logic_error when the exposure limit is broken (never, by construction). After the
    /// limit is lowered live below a side's exposure, that side's limit is its exposure until it falls
    /// under the new one (exposure over the limit never grows: nothing is placed, its quote is cancelled).
    void assertInvariant() const;

private:
    struct Recoup {
        Side destinationSide; // the side whose fill it recoups
        Quantity remaining;
        Price limit;             // marketable when sent: at or through the level covering its volume
        bool cancelling = false; // asked to cancel (it rested): once, then sent again when it ends
    };
    struct SideState {
        QuoteSlot quote;
        Quantity unrecouped;                 // filled on the destination, not yet recouped on the source
        Quantity recoupInFlight;             // requested on the source by recoup orders still open
        std::int64_t retryAfterNs = 0;       // after a rejection, the side rests a moment before trying again
        int rejectionsInARow = 0;            // the rest doubles with each (reset when a quote is acknowledged)
        std::int64_t recoupRetryAfterNs = 0; // the same for the recoup on the source, after a rejection
        int recoupRejectionsInARow = 0;      // (reset when a recoup fills)
    };

    static std::size_t index(Side s) { return s == Side::Bid ? 0 : 1; }
    void requote(const StrategyContext& context, StrategyAdvice& advice);
    void recoup(Side side, const StrategyContext& context, StrategyAdvice& advice);
    /// Cancels every recoup the source's book no longer reaches (it rests at its limit), so that what
    /// it still owes is sent again at the market when it ends.
    void cancelRestingRecoups(const StrategyContext& context, StrategyAdvice& advice);
    std::optional<Price> wantedPrice(Side side, const StrategyContext& context) const;
    void note(StrategyAdvice& advice, const std::string& text);
    void answerShutdownIfDone(StrategyAdvice& advice);

    /// Applies a retune at the start of an event; narrows each side's ceiling after every event.
    void applyPending();
    void narrowCeilings();

    MirrorParams m_params;
    std::optional<MirrorParams> m_pending; // retuned, applied at the next event
    std::array<Quantity, 2> m_ceiling;     // per side: what assertInvariant checks (max_exposure but after a lowering)
    std::array<SideState, 2> m_sides;
    std::map<ClientOrderId, Recoup> m_recoups; // source orders
    ClientOrderId m_nextDestinationId = 1;
    ClientOrderId m_nextSourceId = 1;
    bool m_shuttingDown = false;
    bool m_shutdownAnswered = false;
    bool m_destinationUp = true;
    bool m_sourceUp = true;
};

/// Reads and checks the `strategy` object of a `mirror` configuration; error names the field.
std::optional<MirrorParams> readMirrorParams(const QJsonObject& params, const std::vector<MarketSpec>& markets,
                                             const std::string& path, std::string& error);

class MirrorStrategyFactory : public ParamsStrategyFactory<MirrorStrategy, MirrorParams, &readMirrorParams> {
public:
    MirrorStrategyFactory()
        : ParamsStrategyFactory("mirror") {}
};

} // namespace md
