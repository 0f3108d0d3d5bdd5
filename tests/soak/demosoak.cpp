// The demo config itself, run for a long time: does it keep trading? Loads the configuration exactly as
// the application does (resources/config/demo.json by default), runs its markets and strategy with its
// risk limits, and every minute prints the fills, the simulated balances, the net position per market and
// the rejections. At the end it checks that every market kept filling orders in every slice of the run,
// that no placement was refused for want of balance and that no balance fell below half of what it started
// with; it prints the lowest balances and the widest positions seen beside the per-market limits (which
// bound how far a balance can ever fall).
// Usage: demosoak [--config FILE] [--minutes M] [--slice-minutes S]     exit code 0 when it kept trading
#include "config/configloader.h"
#include "config/strategysetups.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "sim/simconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QCoreApplication>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <map>

using namespace md;

namespace {

double detail(const MarketHealth& h, const std::string& key) {
    for (const auto& d : h.details)
        if (d.key == key)
            return d.value;
    return std::nan("");
}

double position(const MoneySnapshot& money, MarketId market) {
    for (const auto& m : money.markets)
        if (m.market == market)
            return m.position.toDouble();
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    logging::init({spdlog::level::err, true, {}});
    QString configPath = MD_SOURCE_DIR "/resources/config/demo.json";
    double minutes = 30;
    double sliceMinutes = 5;
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--config")
            configPath = args[i + 1];
        if (args[i] == "--minutes")
            minutes = args[i + 1].toDouble();
        if (args[i] == "--slice-minutes")
            sliceMinutes = args[i + 1].toDouble();
    }
    const SimConnectorFactory& sim = *new SimConnectorFactory; // lives as long as the process
    ConnectorRegistry registry;
    registry.add(&sim);
    auto loaded = ConfigLoader(registry).loadFile(configPath);
    if (auto* error = std::get_if<ConfigError>(&loaded)) {
        std::fprintf(stderr, "demosoak: %s: %s\n", qPrintable(configPath), error->toString().c_str());
        return 2;
    }
    AppConfig config = std::get<AppConfig>(std::move(loaded));
    std::vector<MarketSetup> setups;
    for (std::size_t i = 0; i < config.markets.size(); ++i)
        setups.push_back({config.markets[i], &sim, config.enabled[i]});
    EngineSettings settings;
    settings.graceSeconds = config.graceSeconds;
    settings.strategyTimeoutSeconds = config.strategyTimeoutSeconds;
    settings.risk = config.risk;
    Engine engine(settings, setups, makeStrategySetups(config));
    engine.start();

    const std::size_t n = config.markets.size();
    std::vector<std::int64_t> lastFillMs(n, 0);
    std::vector<std::uint64_t> fills(n, 0), sliceFills(n, 0), rejected(n, 0);
    std::map<std::string, std::uint64_t> reasons; // rejection reasons, by their first words
    std::vector<std::uint64_t> lastRejected(n, 0);
    int slices = 0, slicesFilledEverywhere = 0;
    std::vector<std::map<std::string, double>> firstBalance(n), lowestBalance(n);
    std::vector<double> widestPosition(n, 0);

    std::printf("demo soak: %s, %.0f min, slices of %.0f min\n", qPrintable(configPath), minutes, sliceMinutes);
    std::printf("%7s", "minute");
    for (const auto& m : config.markets)
        std::printf(" | %-10s fills %s %s pos rejected", m.name.c_str(), m.instrument.base.c_str(),
                    m.instrument.quote.c_str());
    std::printf("\n");

    auto count = [&] {
        for (std::size_t i = 0; i < n; ++i) {
            auto view = engine.marketView(static_cast<MarketId>(i));
            if (!view)
                continue;
            for (const auto& f : view->fills)
                if (f.timeMs > lastFillMs[i]) {
                    ++fills[i];
                    ++sliceFills[i];
                }
            if (!view->fills.empty())
                lastFillMs[i] = std::max(lastFillMs[i], view->fills.back().timeMs);
        }
        const auto health = engine.health();
        for (std::size_t i = 0; i < n; ++i) {
            if (health[i].ordersRejected > lastRejected[i]) {
                const std::string& r = health[i].lastRejection;
                reasons[r.substr(0, r.find(':'))] += health[i].ordersRejected - lastRejected[i];
                lastRejected[i] = health[i].ordersRejected;
            }
            rejected[i] = health[i].ordersRejected;
        }
    };
    QTimer counter;
    QObject::connect(&counter, &QTimer::timeout, count);
    counter.start(200); // views keep the last 1000 fills: sampled often enough not to miss any

    auto sample = [&](double minute) {
        const auto health = engine.health();
        std::printf("%7.1f", minute);
        for (std::size_t i = 0; i < n; ++i) {
            const auto& spec = config.markets[i];
            const double base = detail(health[i], "sim_balance_" + spec.instrument.base);
            const double quote = detail(health[i], "sim_balance_" + spec.instrument.quote);
            const double pos = position(*engine.money(), static_cast<MarketId>(i));
            if (firstBalance[i].empty())
                firstBalance[i] = lowestBalance[i] = {{"base", base}, {"quote", quote}};
            lowestBalance[i]["base"] = std::min(lowestBalance[i]["base"], base);
            lowestBalance[i]["quote"] = std::min(lowestBalance[i]["quote"], quote);
            widestPosition[i] = std::max(widestPosition[i], std::abs(pos));
            std::printf(" | %-10s %5llu %8.3f %11.2f %+6.3f %8llu", spec.name.c_str(),
                        static_cast<unsigned long long>(fills[i]), base, quote, pos,
                        static_cast<unsigned long long>(rejected[i]));
        }
        std::printf("\n");
        std::fflush(stdout);
    };
    QTimer sampler;
    double minute = 0;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        minute += 1;
        count();
        sample(minute);
        if (std::fmod(minute, sliceMinutes) < 1e-9) {
            ++slices;
            bool all = true;
            for (auto& s : sliceFills) {
                all = all && s > 0;
                s = 0;
            }
            slicesFilledEverywhere += all;
        }
    });
    sampler.start(60'000);
    QTimer::singleShot(3000, [&] { sample(0.05); });

    QTimer::singleShot(static_cast<int>(minutes * 60'000) + 500, [&] {
        count();
        std::printf("\nfills:");
        for (std::size_t i = 0; i < n; ++i)
            std::printf(" %s %llu (%.1f/min)", config.markets[i].name.c_str(),
                        static_cast<unsigned long long>(fills[i]), fills[i] / minutes);
        std::printf("\nrejections by reason:");
        if (reasons.empty())
            std::printf(" none");
        bool balanceRefused = false;
        for (const auto& [reason, c] : reasons) {
            std::printf(" \"%s\" %llu;", reason.c_str(), static_cast<unsigned long long>(c));
            balanceRefused = balanceRefused || reason.find("insufficient balance") != std::string::npos;
        }
        // A balance can only fall as far as the market's position limit lets its fills go.
        bool balancesHeld = true;
        std::printf("\n");
        for (std::size_t i = 0; i < n; ++i) {
            const auto& spec = config.markets[i];
            const auto limit = config.risk.maxMarketPosition.find(spec.id);
            std::string bound = "no per-market limit";
            if (limit != config.risk.maxMarketPosition.end())
                if (auto b = limit->second.find(spec.instrument.base); b != limit->second.end())
                    bound = "limit " + b->second.toTrimmedString() + " " + spec.instrument.base;
            std::printf(
                "%-10s lowest %s %.3f (start %.3f), lowest %s %.2f (start %.2f); widest position %.3f %s (%s)\n",
                spec.name.c_str(), spec.instrument.base.c_str(), lowestBalance[i]["base"], firstBalance[i]["base"],
                spec.instrument.quote.c_str(), lowestBalance[i]["quote"], firstBalance[i]["quote"], widestPosition[i],
                spec.instrument.base.c_str(), bound.c_str());
            for (const char* k : {"base", "quote"})
                balancesHeld = balancesHeld && lowestBalance[i][k] >= firstBalance[i][k] / 2;
        }
        std::printf("slices of %.0f min in which every market filled orders: %d of %d\n", sliceMinutes,
                    slicesFilledEverywhere, slices);
        const bool ok = slices > 0 && slicesFilledEverywhere == slices && !balanceRefused && balancesHeld;
        std::printf("%s\n", ok ? "KEPT TRADING" : "STALLED");
        std::fflush(stdout);
        logging::flushAll();
        std::_Exit(ok ? 0 : 1);
    });
    return app.exec();
}
