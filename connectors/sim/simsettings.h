#pragma once

#include "domain/decimal.h"
#include "domain/instrument.h"

#include <QJsonObject>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace md {

enum class SimFault {
    None,
    HangProducer,
    HangExecutor,
    HangTerminator,
    ThrowProducer,
    ThrowExecutor,
    StallData,
    Garbage,
    HangInspector, // the health call hangs: whichever thread asks for health (the UI thread) is stuck
};

/// The `settings` of a `sim` market, validated.
struct SimSettings {
    std::uint64_t seed = 1;
    Price mid{10000, 2};          // starting mid price
    double eventsPerSecond = 200; // market data messages per second
    int latencyMs = 5;            // acks, fills and cancels reach us after this long
    int depth = 25;               // levels per side (at least 20)
    int spreadTicks = 2;          // distance between best bid and best ask, in ticks
    double volatility = 0.2;      // probability per message that the mid moves one tick
    // 0..1: how strongly each mid move leans back toward the starting mid (a fair value that venues of one
    // asset share); 0 is a pure random walk. A move goes toward it with probability (1 + r) / 2.
    double meanReversion = 0;
    SimFault fault = SimFault::None;
    int faultAfterMs = 0;
    int actionDelayMs = 0;                   // each action keeps the executor this long (a slow gateway)
    std::map<std::string, Decimal> balances; // asset -> free balance; missing assets start at 1,000,000
    Decimal makerFee;                        // fraction of the amount received, for fills of resting orders
    Decimal takerFee;                        // the same for the part of a placement that trades at once

    /// Reads and checks settings; on error returns nullopt and `error` names the field under `path`.
    static std::optional<SimSettings> parse(const QJsonObject& settings, const std::string& path, std::string& error);
    /// Checks that these settings can be simulated exactly on `instrument` (refused, never
    /// reinterpreted): the mid on the tick grid with room for the book below it, and prices and level
    /// quantities that 64-bit units hold with room to spare. `marketPath` names the market.
    std::optional<std::string> checkFor(const Instrument& instrument, const std::string& marketPath) const;
    /// The simulated book's quantity grain: a hundredth of a unit, or the step if that is coarser.
    static std::int64_t lotUnits(const Instrument& instrument);
    /// The largest level quantity the book generator makes, in lots.
    static constexpr std::int64_t kLargestLevelLots = 2000;
};

} // namespace md
