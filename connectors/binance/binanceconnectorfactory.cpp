#include "binance/binanceconnectorfactory.h"

#include "binance/binancesettings.h"
#include "binance/marketdataclient.h"
#include "binance/orderentry.h"
#include "binance/userdataclient.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <mutex>
#include <stdexcept>

namespace md {

namespace {

/// What the producer learns from exchange info and the executor needs for its checks.
/// Thread: any (mutex).
class ExchangeRules {
public:
    void setMinNotional(std::optional<Notional> value) {
        std::lock_guard lock(m_mutex);
        m_minNotional = value;
    }
    std::optional<Notional> minNotional() const {
        std::lock_guard lock(m_mutex);
        return m_minNotional;
    }

private:
    mutable std::mutex m_mutex;
    std::optional<Notional> m_minNotional;
};

/// Exchange info for the symbol, fetched until it comes or the market stops; checked against the
/// configured instrument: a tick or step finer than the exchange's would have every order refused.
/// Errors: throws (the market goes Failed with the reason) on a mismatch or an unknown symbol.
std::optional<binance::SymbolRules> loadRules(binance::RestClient& rest, const MarketSpec& market,
                                              const binance::Settings& settings, ProducerControl& control) {
    const binance::OrderParser parser(market.instrument.priceScale(), market.instrument.quantityScale());
    auto log = logging::get("market." + market.name);
    for (int attempt = 0;; ++attempt) {
        const auto r =
            rest.send("GET", "/api/v3/exchangeInfo", "symbol=" + QByteArray::fromStdString(market.instrument.symbol),
                      binance::RestClient::Auth::None);
        if (r.ok()) {
            auto parsed = parser.parseExchangeInfo(r.body, market.instrument.symbol);
            if (auto* rules = std::get_if<binance::SymbolRules>(&parsed))
                return *rules;
            throw std::runtime_error("exchange info: " + std::get<binance::ParseError>(parsed).message);
        }
        if (auto api = binance::OrderParser::parseApiError(r.body); api && api->code == -1121)
            throw std::runtime_error("Binance does not list " + market.instrument.symbol + " (" + api->message + ")");
        const int delay = std::min(settings.backoffMaxMs, settings.backoffInitialMs << std::min(attempt, 10));
        log->warn("exchange info not available ({}): retrying in {} ms", r.describe(), delay);
        if (control.waitForStop(std::chrono::milliseconds(delay)))
            return std::nullopt;
    }
}

void checkRules(const binance::SymbolRules& rules, const MarketSpec& market) {
    const Instrument& in = market.instrument;
    if (!in.tick.decimal().isMultipleOf(rules.tickSize))
        throw std::runtime_error("instrument.price_tick " + in.tick.toTrimmedString() + " does not fit Binance's " +
                                 "tickSize " + rules.tickSize.toTrimmedString() + " for " + in.symbol);
    if (!in.step.decimal().isMultipleOf(rules.stepSize))
        throw std::runtime_error("instrument.quantity_step " + in.step.toTrimmedString() + " does not fit Binance's " +
                                 "stepSize " + rules.stepSize.toTrimmedString() + " for " + in.symbol);
    if ((!in.base.empty() && in.base != rules.baseAsset) || (!in.quote.empty() && in.quote != rules.quoteAsset))
        throw std::runtime_error("instrument.base/quote " + in.base + "/" + in.quote + " differ from Binance's " +
                                 rules.baseAsset + "/" + rules.quoteAsset + " for " + in.symbol);
}

} // namespace

std::optional<std::string> BinanceConnectorFactory::validate(const QJsonObject& settings,
                                                             const std::string& path) const {
    std::string error;
    if (!binance::Settings::parse(settings, path, error))
        return error;
    return std::nullopt;
}

ConnectorParts BinanceConnectorFactory::initialize(const MarketSpec& market, EventSink sink) const {
    std::string error;
    auto parsed = binance::Settings::parse(market.settings, "settings", error);
    if (!parsed)
        throw std::invalid_argument(error);
    const binance::Settings settings = *parsed;
    const binance::Credentials credentials = binance::Credentials::resolve(settings);
    auto mdStats = std::make_shared<binance::MarketDataStats>();
    auto userStats = std::make_shared<binance::UserStreamStats>();
    auto orderStats = std::make_shared<binance::OrderEntryStats>();
    auto gate = std::make_shared<binance::RestGate>();
    auto rules = std::make_shared<ExchangeRules>();
    auto tracker = std::make_shared<binance::OrderTracker>(
        [sink](TradingEventPayload event, std::int64_t exchangeTimeMs) { sink.fire(std::move(event), exchangeTimeMs); },
        market.instrument.priceScale(), market.orderTag, "market." + market.name);
    auto log = logging::get("market." + market.name);
    if (credentials.present())
        log->info("Binance {}: order entry enabled, API key from {}", market.instrument.symbol, credentials.source);
    else
        log->warn("Binance {}: no API key ({} / {} not set): market data only, placements will be rejected",
                  market.instrument.symbol, settings.apiKeyEnv, settings.apiSecretEnv);

    ConnectorParts parts;
    parts.producer = [=](ProducerControl& control) {
        binance::RestClient rest(settings, credentials, gate, "market." + market.name);
        const auto symbolRules = loadRules(rest, market, settings, control);
        if (!symbolRules)
            return; // stopped before the exchange answered
        checkRules(*symbolRules, market);
        if (symbolRules->minNotional.isPositive())
            rules->setMinNotional(Notional(symbolRules->minNotional));
        if (symbolRules->requestWeightPerMinute > 0)
            gate->weightLimit.store(symbolRules->requestWeightPerMinute);
        rest.syncClock();
        binance::ConnectionStatus status(sink);
        if (symbolRules->status != "TRADING")
            status.set("symbol", market.instrument.symbol + " is " + symbolRules->status + " on Binance");
        binance::MarketDataClient client(settings, market, sink, mdStats, gate, status);
        std::unique_ptr<binance::UserDataClient> user;
        if (credentials.present())
            user = std::make_unique<binance::UserDataClient>(settings, market, sink, credentials, gate, tracker,
                                                             userStats, status);
        client.start();
        if (user)
            user->start();
        control.runEventLoop();
    };
    // The order entry lives on the executor thread: created by its first action, freed by the terminator.
    auto entry = std::make_shared<std::unique_ptr<binance::OrderEntry>>();
    parts.executor = [=](const Action& action) {
        if (!*entry)
            *entry = std::make_unique<binance::OrderEntry>(settings, market, credentials, gate, tracker, orderStats,
                                                           std::nullopt);
        (*entry)->setMinNotional(rules->minNotional());
        (*entry)->execute(action);
    };
    parts.terminator = [entry] { entry->reset(); };
    if (credentials.present()) {
        parts.openOrdersQuery = [=]() -> std::optional<std::vector<OpenOrderInfo>> {
            binance::RestClient rest(settings, credentials, gate, "market." + market.name);
            const binance::OrderParser parser(market.instrument.priceScale(), market.instrument.quantityScale());
            auto open = binance::OrderEntry::openOrders(rest, parser, market.instrument.symbol);
            if (!open)
                return std::nullopt;
            std::vector<OpenOrderInfo> out;
            for (const auto& report : *open) {
                const auto ours = binance::OrderTracker::parseClientId(report.clientOrderId);
                out.push_back({ours ? ours->id : 0, std::to_string(report.orderId), report.side, report.price,
                               report.quantity, report.executed, ours ? ours->runTag : std::string()});
            }
            return out;
        };
    }
    const bool keys = credentials.present();
    parts.inspector = [=] {
        const std::int64_t now = wallNowMs();
        auto seconds = [&](std::int64_t ms) { return ms > 0 ? (now - ms) / 1000.0 : -1.0; };
        auto until = [&](std::int64_t ms) { return ms > 0 ? std::max<std::int64_t>(0, ms - now) / 1000.0 : 0.0; };
        auto n = [](std::uint64_t v) { return static_cast<double>(v); };
        auto fmt1 = [](double v) {
            char b[32];
            std::snprintf(b, sizeof b, "%.1f", v);
            return std::string(b);
        };
        const double age = seconds(mdStats->lastFrameMs.load());
        const double backoff = until(mdStats->reconnectAtMs.load());
        const double cooldown = until(gate->cooldownUntilMs.load());
        const int used = gate->usedWeight.load();
        const int limit = gate->weightLimit.load();
        const double headroom = used < 0 ? limit : limit - used;
        const double skew = static_cast<double>(gate->clockSkewMs.load());
        std::vector<ConnectorDetail> d{
            {"stream_age_seconds", age, age < 0 ? "no frame yet" : fmt1(age) + " s"},
            {"resyncs", n(mdStats->resyncs.load()), std::to_string(mdStats->resyncs.load())},
            {"reconnects", n(mdStats->reconnects.load()), std::to_string(mdStats->reconnects.load())},
            {"backoff_seconds", backoff, backoff > 0 ? "reconnecting in " + fmt1(backoff) + " s" : "connected"},
            {"snapshots", n(mdStats->snapshots.load()), std::to_string(mdStats->snapshots.load())},
            {"cooldown_seconds", cooldown, cooldown > 0 ? "rate limited: " + fmt1(cooldown) + " s left" : "none"},
            {"weight_headroom", headroom,
             used < 0 ? "no request yet" : std::to_string(used) + " of " + std::to_string(limit) + " used"},
            {"clock_skew_ms", skew,
             gate->clockSynced.load() ? std::to_string(gate->clockSkewMs.load()) + " ms" : "not measured"},
            {"frames", n(mdStats->frames.load()), std::to_string(mdStats->frames.load())},
            {"age_reconnects", n(mdStats->ageReconnects.load()), std::to_string(mdStats->ageReconnects.load())}};
        if (!keys) {
            d.push_back({"order_stream_up", 0, "no API key: market data only"});
            return d;
        }
        const double orderAge = seconds(userStats->lastEventMs.load());
        const double orderBackoff = until(userStats->reconnectAtMs.load());
        d.push_back({"order_stream_up", userStats->up.load() ? 1.0 : 0.0,
                     userStats->up.load()
                         ? "up"
                         : (orderBackoff > 0 ? "down, reconnecting in " + fmt1(orderBackoff) + " s" : "down")});
        d.push_back({"order_stream_age_seconds", orderAge, orderAge < 0 ? "no event yet" : fmt1(orderAge) + " s"});
        d.push_back(
            {"order_stream_reconnects", n(userStats->reconnects.load()), std::to_string(userStats->reconnects.load())});
        d.push_back({"unknown_outcomes", n(orderStats->unknownOutcomes.load()),
                     std::to_string(orderStats->unknownOutcomes.load()) + " placements queried after 5xx/timeout"});
        const std::size_t inconsistent = tracker->inconsistentReports();
        d.push_back({"inconsistent_reports", n(inconsistent),
                     std::to_string(inconsistent) + " order reports claiming more than ordered (capped)"});
        return d;
    };
    return parts;
}

} // namespace md
