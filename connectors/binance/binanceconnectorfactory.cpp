#include "binance/binanceconnectorfactory.h"

#include "binance/binancesettings.h"
#include "binance/marketdataclient.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

namespace md {

std::optional<std::string> BinanceConnectorFactory::validate(const QJsonObject& settings,
                                                             const std::string& path) const {
    std::string error;
    if (!binance::Settings::parse(settings, path, error))
        return error;
    return std::nullopt;
}

ConnectorParts BinanceConnectorFactory::initialize(const MarketSpec& market, EventSink sink) const {
    std::string error;
    auto settings = binance::Settings::parse(market.settings, "settings", error);
    if (!settings)
        throw std::invalid_argument(error);
    auto stats = std::make_shared<binance::MarketDataStats>();
    auto log = logging::get("market." + market.name);
    log->info("Binance {}: market data only (order entry is not built yet)", market.instrument.symbol);

    ConnectorParts parts;
    parts.producer = [settings = *settings, market, sink, stats](ProducerControl& control) {
        binance::MarketDataClient client(settings, market, sink, stats);
        client.start();
        control.runEventLoop();
    };
    parts.executor = [sink, log](const Action& action) {
        if (const auto* place = std::get_if<PlaceLimit>(&action.kind)) {
            sink.fire(OrderRejected{place->id, "binance connector: market data only, order entry is not built yet"});
            return;
        }
        log->info("{} ignored: no order of ours can exist on this market", describe(action.kind));
    };
    parts.terminator = [] {};
    parts.inspector = [stats] {
        const std::int64_t last = stats->lastFrameMs.load();
        const double age = last > 0 ? (wallNowMs() - last) / 1000.0 : -1;
        const std::int64_t at = stats->reconnectAtMs.load();
        const double backoff = at > 0 ? std::max<std::int64_t>(0, at - wallNowMs()) / 1000.0 : 0;
        auto n = [](std::uint64_t v) { return static_cast<double>(v); };
        return std::vector<ConnectorDetail>{
            {"stream_age_seconds", age, age < 0 ? "no frame yet" : std::to_string(age) + " s"},
            {"resyncs", n(stats->resyncs.load()), std::to_string(stats->resyncs.load())},
            {"reconnects", n(stats->reconnects.load()), std::to_string(stats->reconnects.load())},
            {"backoff_seconds", backoff,
             backoff > 0 ? "reconnecting in " + std::to_string(backoff) + " s" : "connected"},
            {"snapshots", n(stats->snapshots.load()), std::to_string(stats->snapshots.load())},
            {"cooldown_seconds", std::max<std::int64_t>(0, stats->cooldownUntilMs.load() - wallNowMs()) / 1000.0,
             "rate-limit cooldown"},
            {"frames", n(stats->frames.load()), std::to_string(stats->frames.load())}};
    };
    return parts;
}

} // namespace md
