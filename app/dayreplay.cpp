#include "dayreplay.h"

namespace md {

std::int64_t startOfUtcDayMs(std::int64_t nowMs) {
    constexpr std::int64_t kDayMs = 86'400'000;
    return nowMs - nowMs % kDayMs;
}

std::map<std::string, ReplayedMarket> replayFills(const std::vector<JournalFill>& fills,
                                                  const std::vector<MarketSpec>& markets,
                                                  const std::string& excludeRun) {
    std::map<std::string, ReplayedMarket> out;
    for (const auto& spec : markets)
        out.emplace(spec.name, ReplayedMarket{PnlLedger(spec.instrument), 0});
    for (const auto& f : fills) {
        auto it = out.find(f.market);
        if (it == out.end() || (!excludeRun.empty() && f.run == excludeRun))
            continue;
        const auto price = Price::parse(f.price);
        const auto quantity = Quantity::parse(f.quantity);
        const auto fee = f.fee.empty() ? std::optional<Decimal>(Decimal()) : Decimal::parse(f.fee);
        if (!price || !quantity || !fee || (f.side != "bid" && f.side != "ask")) {
            ++it->second.skipped;
            continue;
        }
        it->second.ledger.onFill(f.side == "bid" ? Side::Bid : Side::Ask, *price, *quantity, *fee, f.feeAsset);
    }
    return out;
}

} // namespace md
