#include "simsettings.h"

#include <QJsonValue>

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace md {
namespace {

const std::pair<const char*, SimFault> kFaults[] = {
    {"none", SimFault::None},
    {"hang_producer", SimFault::HangProducer},
    {"hang_executor", SimFault::HangExecutor},
    {"hang_terminator", SimFault::HangTerminator},
    {"throw_producer", SimFault::ThrowProducer},
    {"throw_executor", SimFault::ThrowExecutor},
    {"stall_data", SimFault::StallData},
    {"garbage", SimFault::Garbage},
    {"hang_inspector", SimFault::HangInspector},
};

bool integer(const QJsonValue& v, double min, double max, std::int64_t& out) {
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (d != std::floor(d) || d < min || d > max)
        return false;
    out = static_cast<std::int64_t>(d);
    return true;
}

// Prices and level quantities stay below this many units, so that sums and walks of the book cannot
// reach the 64-bit limit (products are computed in 128 bits).
constexpr double kMaxUnits = static_cast<double>(std::numeric_limits<std::int64_t>::max() / 16);

std::int64_t pow10(int n) {
    std::int64_t r = 1;
    while (n-- > 0)
        r *= 10;
    return r;
}

} // namespace

std::int64_t SimSettings::lotUnits(const Instrument& i) {
    const std::int64_t hundredth = i.quantityScale() >= 2 ? pow10(i.quantityScale() - 2) : 1;
    const std::int64_t step = std::max<std::int64_t>(1, i.step.units());
    return std::max(step, (hundredth / step) * step);
}

std::optional<std::string> SimSettings::checkFor(const Instrument& instrument, const std::string& marketPath) const {
    const std::string midField = marketPath + ".settings.mid";
    const std::string midText = "\"" + mid.toTrimmedString() + "\"";
    const int priceScale = instrument.priceScale();
    const std::int64_t tick = instrument.tick.units();
    const std::int64_t bookTicks = static_cast<std::int64_t>(depth) + spreadTicks + 1;
    // The highest price the book shows at the start, in units of the tick's scale (as a double: it
    // may be beyond what 64 bits hold, which is the point of asking).
    const double highest =
        (mid.toDouble() / instrument.tick.toDouble() + spreadTicks + depth) * static_cast<double>(tick);
    if (mid.scale() > priceScale && !mid.rescaled(priceScale))
        if (mid.rounded(priceScale, Rounding::Down) != mid)
            return midField + ": " + midText + " has more decimals than the price tick " +
                   instrument.tick.toTrimmedString();
    if (!(highest <= kMaxUnits) || !mid.rescaled(priceScale))
        return midField + fmt::format(": the simulated prices would reach {:.3g} units of the price tick's scale "
                                      "(tick {}); at most {:.3g} fit",
                                      highest, instrument.tick.toTrimmedString(), kMaxUnits);
    const std::int64_t midUnits = mid.rescaled(priceScale)->units();
    if (midUnits < tick)
        return midField + ": " + midText + " is below the price tick " + instrument.tick.toTrimmedString();
    if (midUnits % tick != 0)
        return midField + ": " + midText + " is not a multiple of the price tick " + instrument.tick.toTrimmedString();
    if (midUnits / tick < bookTicks)
        return midField + fmt::format(": {} is {} price ticks; the simulated book needs at least {} (depth {} + "
                                      "spread_ticks {} + 1) below it",
                                      midText, midUnits / tick, bookTicks, depth, spreadTicks);
    const double largestLevel = static_cast<double>(lotUnits(instrument)) * kLargestLevelLots;
    if (!(largestLevel <= kMaxUnits))
        return marketPath + ".instrument.quantity_step" +
               fmt::format(": the simulated quantities would reach {:.3g} units of the step's scale ({} lots of {}); "
                           "at most {:.3g} fit",
                           largestLevel, kLargestLevelLots,
                           Quantity(lotUnits(instrument), instrument.quantityScale()).toTrimmedString(), kMaxUnits);
    return std::nullopt;
}

std::optional<SimSettings> SimSettings::parse(const QJsonObject& o, const std::string& path, std::string& error) {
    SimSettings s;
    auto field = [&](const QString& key) { return path + "." + key.toStdString(); };
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        const QJsonValue v = it.value();
        std::int64_t n = 0;
        if (key == "seed") {
            if (!integer(v, 0, 9007199254740991.0, n)) {
                error = field(key) + ": expected a non-negative integer";
                return std::nullopt;
            }
            s.seed = static_cast<std::uint64_t>(n);
        } else if (key == "mid") {
            auto p = v.isString() ? Price::parse(v.toString().toStdString()) : std::nullopt;
            if (!p || !p->isPositive()) {
                error = field(key) + ": expected a positive decimal string such as \"100.00\"";
                return std::nullopt;
            }
            s.mid = *p;
        } else if (key == "events_per_second") {
            if (!v.isDouble() || v.toDouble() <= 0 || v.toDouble() > 1e6) {
                error = field(key) + ": expected a number between 0 (excluded) and 1000000";
                return std::nullopt;
            }
            s.eventsPerSecond = v.toDouble();
        } else if (key == "latency_ms") {
            if (!integer(v, 0, 60000, n)) {
                error = field(key) + ": expected an integer between 0 and 60000";
                return std::nullopt;
            }
            s.latencyMs = static_cast<int>(n);
        } else if (key == "depth") {
            if (!integer(v, 20, 5000, n)) {
                error = field(key) + ": expected an integer between 20 and 5000";
                return std::nullopt;
            }
            s.depth = static_cast<int>(n);
        } else if (key == "spread_ticks") {
            if (!integer(v, 1, 1000, n)) {
                error = field(key) + ": expected an integer between 1 and 1000";
                return std::nullopt;
            }
            s.spreadTicks = static_cast<int>(n);
        } else if (key == "volatility") {
            if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1) {
                error = field(key) + ": expected a probability between 0 and 1";
                return std::nullopt;
            }
            s.volatility = v.toDouble();
        } else if (key == "mean_reversion") {
            if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() >= 1) {
                error = field(key) + ": expected a number from 0 up to (not including) 1";
                return std::nullopt;
            }
            s.meanReversion = v.toDouble();
        } else if (key == "fault") {
            bool found = false;
            std::string names;
            for (const auto& [name, fault] : kFaults) {
                names += (names.empty() ? "" : ", ") + std::string(name);
                if (v.isString() && v.toString() == QLatin1String(name)) {
                    s.fault = fault;
                    found = true;
                }
            }
            if (!found) {
                error = field(key) + ": expected one of " + names;
                return std::nullopt;
            }
        } else if (key == "fault_after_ms") {
            if (!integer(v, 0, 86400000, n)) {
                error = field(key) + ": expected a non-negative integer";
                return std::nullopt;
            }
            s.faultAfterMs = static_cast<int>(n);
        } else if (key == "action_delay_ms") {
            if (!integer(v, 0, 60000, n)) {
                error = field(key) + ": expected an integer between 0 and 60000";
                return std::nullopt;
            }
            s.actionDelayMs = static_cast<int>(n);
        } else if (key == "balances") {
            if (!v.isObject()) {
                error = field(key) + ": expected an object of asset: decimal string";
                return std::nullopt;
            }
            const QJsonObject balances = v.toObject();
            for (auto b = balances.begin(); b != balances.end(); ++b) {
                auto d = b.value().isString() ? Decimal::parse(b.value().toString().toStdString()) : std::nullopt;
                if (!d || d->isNegative()) {
                    error = field(key) + "." + b.key().toStdString() + ": expected a non-negative decimal string";
                    return std::nullopt;
                }
                s.balances[b.key().toStdString()] = *d;
            }
        } else if (key == "maker_fee" || key == "taker_fee") {
            // A string, like every exact number in the config: a JSON number would pass through a double.
            auto d = v.isString() ? Decimal::parse(v.toString().toStdString()) : std::nullopt;
            if (!d || d->isNegative() || Decimal(1, 1) < *d || d->scale() > 8) {
                error = field(key) + ": expected a fee rate between \"0\" and \"0.1\" as a decimal string with at "
                                     "most 8 decimals, such as \"0.001\" (0.1 %)";
                return std::nullopt;
            }
            (key == "maker_fee" ? s.makerFee : s.takerFee) = *d;
        } else {
            error = field(key) +
                    ": unknown key (expected one of: seed, mid, events_per_second, latency_ms, depth, spread_ticks, "
                    "volatility, mean_reversion, fault, fault_after_ms, action_delay_ms, balances, maker_fee, "
                    "taker_fee)";
            return std::nullopt;
        }
    }
    return s;
}

} // namespace md
