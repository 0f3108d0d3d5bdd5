#include "binance/binanceconnectorfactory.h"

#include "binance/binancesettings.h"
#include "binance/connectorhealth.h"
#include "binance/liverules.h"
#include "binance/marketdataclient.h"
#include "binance/orderentry.h"
#include "binance/userdatastream.h"
#include "binance/wsapiconnection.h"
#include "binance/wsapigateway.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QTimer>

#include <stdexcept>

namespace md {

namespace {

// Binance prints prices and quantities with 8 decimals (rest-api.md, user-data-stream.md examples);
// the local book keeps what it is told at that precision, or the instrument's if finer.
constexpr int kWireScale = 8;

/// Exchange info for the symbol, fetched until it comes or the market stops.
/// Errors: throws (the market goes Failed with the reason) on an unknown symbol or a bad answer.
std::optional<binance::SymbolRules> loadRules(binance::RestClient& rest, const MarketSpec& market,
                                              const binance::Settings& settings, ProducerControl& control) {
    const binance::OrderParser parser(market.instrument.priceScale(), market.instrument.quantityScale());
    auto log = logging::get("market." + market.name);
    for (int attempt = 0;; ++attempt) {
        const auto r = rest.send({"GET",
                                  "/api/v3/exchangeInfo",
                                  {{"symbol", QByteArray::fromStdString(market.instrument.symbol)}},
                                  binance::RestClient::Auth::None,
                                  20});
        if (r.ok()) {
            auto parsed = parser.parseExchangeInfo(r.body, market.instrument.symbol);
            if (auto* rules = std::get_if<binance::SymbolRules>(&parsed))
                return *rules;
            throw std::runtime_error("exchange info: " + std::get<binance::ParseError>(parsed).message);
        }
        if (r.code() == -1121)
            throw std::runtime_error("Binance does not list " + market.instrument.symbol + " (" + r.error->message +
                                     ")");
        const int delay = static_cast<int>(std::max<std::int64_t>(
            r.retryInMs, std::min(settings.backoffMaxMs, settings.backoffInitialMs << std::min(attempt, 10))));
        log->warn("exchange info not available ({}): retrying in {} ms", r.describe(), delay);
        if (control.waitForStop(std::chrono::milliseconds(delay)))
            return std::nullopt;
    }
}

} // namespace

std::optional<std::string> BinanceConnectorFactory::mismatch(const binance::SymbolRules& rules, const Instrument& in) {
    const auto& f = rules.filters;
    // Equal, not merely "a multiple": a coarser configured tick makes the book's levels unparseable
    // at the configured scale and hides prices the strategy could use.
    if (in.tick.decimal() != f.tickSize)
        return "instrument.price_tick " + in.tick.toTrimmedString() + " differs from Binance's PRICE_FILTER tickSize " +
               f.tickSize.toTrimmedString() + " for " + in.symbol + ": set price_tick to \"" +
               f.tickSize.toTrimmedString() + "\"";
    if (in.step.decimal() != f.stepSize)
        return "instrument.quantity_step " + in.step.toTrimmedString() + " differs from Binance's LOT_SIZE stepSize " +
               f.stepSize.toTrimmedString() + " for " + in.symbol + ": set quantity_step to \"" +
               f.stepSize.toTrimmedString() + "\"";
    if ((!in.base.empty() && in.base != rules.baseAsset) || (!in.quote.empty() && in.quote != rules.quoteAsset))
        return "instrument.base/quote " + in.base + "/" + in.quote + " differ from Binance's " + rules.baseAsset + "/" +
               rules.quoteAsset + " for " + in.symbol;
    return std::nullopt;
}

BinanceConnectorFactory::BinanceConnectorFactory()
    : BinanceConnectorFactory(std::make_shared<venue::RateBudgetRegistry>()) {}

BinanceConnectorFactory::BinanceConnectorFactory(std::shared_ptr<venue::RateBudgetRegistry> budgets)
    : m_budgets(std::move(budgets)) {}

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
    const std::string logName = "market." + market.name;
    auto log = logging::get(logName);
    // Throws (the market fails, saying why) on a key file others can read or that is not Ed25519.
    const binance::Credentials credentials = binance::Credentials::resolve(settings, market.name, m_keychain);
    binance::SessionShared shared;
    shared.limits = std::make_shared<binance::RateLimits>(m_budgets->budget(settings.restHost()));
    auto health = std::make_shared<binance::ConnectorHealth>();
    auto rules = std::make_shared<binance::LiveRules>();
    auto gateway = std::make_shared<binance::WsApiGateway>();
    auto tracker = std::make_shared<venue::OrderTracker>(
        [sink](TradingEventPayload event, std::int64_t exchangeTimeMs) { sink.fire(std::move(event), exchangeTimeMs); },
        market.instrument.priceScale(), venue::ClientIdCodec(market.orderTag), logName);
    if (credentials.present())
        log->info("Binance {}: order entry enabled, API key from {}", market.instrument.symbol, credentials.source());
    else
        log->warn("Binance {}: no API key ({} with {} or {} not set, nothing in the keychain): market data only, "
                  "placements will be rejected",
                  market.instrument.symbol, settings.apiKeyEnv, settings.apiSecretEnv, settings.privateKeyFileEnv);

    ConnectorParts parts;
    parts.producer = [=](ProducerControl& control) {
        binance::RestClient rest(settings, credentials, shared, logName);
        const auto symbolRules = loadRules(rest, market, settings, control);
        if (!symbolRules)
            return; // stopped before the exchange answered
        if (auto why = mismatch(*symbolRules, market.instrument))
            throw std::runtime_error(*why);
        rules->setFilters(symbolRules->filters);
        if (!symbolRules->rateLimits.empty()) {
            std::vector<binance::RateLimits::Limit> limits;
            for (const auto& l : symbolRules->rateLimits)
                limits.push_back({l.type, l.interval, l.intervalNum, l.limit});
            shared.limits->configure(limits);
        }
        rest.syncClock();
        venue::StreamStatus status(sink); // producer thread: every part that reports lives here
        // Keys refused anywhere (a placement's -1022 on the executor, the session's -2015): the market
        // is Degraded with Binance's words — health, the breaker's refusals and the close-out say it.
        QObject keysContext;
        shared.keys->setListener([&keysContext, &status](const std::string& refusal) {
            QMetaObject::invokeMethod(
                &keysContext, [&status, refusal] { status.set("credentials", refusal); }, Qt::QueuedConnection);
        });
        struct ClearListener {
            binance::KeyStatus& keys;
            ~ClearListener() { keys.setListener({}); }
        } clearListener{*shared.keys};
        if (symbolRules->status != "TRADING")
            status.set("symbol", market.instrument.symbol + " is " + symbolRules->status + " on Binance");
        const int bookPriceScale = std::max(market.instrument.priceScale(), kWireScale);
        const int bookQuantityScale = std::max(market.instrument.quantityScale(), kWireScale);
        binance::MarketDataClient data(settings, market, sink, health->marketData, rest, status, bookPriceScale,
                                       bookQuantityScale);
        std::unique_ptr<binance::WsApiConnection> session;
        std::unique_ptr<binance::UserDataStream> user;
        // The session carries the user data subscription whatever transport the orders take.
        if (credentials.present()) {
            session = std::make_unique<binance::WsApiConnection>(settings, credentials, shared, health->session,
                                                                 gateway, logName);
            user = std::make_unique<binance::UserDataStream>(*session, market, sink, tracker, health->userStream,
                                                             shared.keys, status, settings);
            user->start();
            session->start();
        }
        // The percent-price filters are judged against the symbol's average price.
        QTimer averagePrice;
        auto refreshAveragePrice = [&] {
            rest.sendAsync({"GET",
                            "/api/v3/avgPrice",
                            {{"symbol", QByteArray::fromStdString(market.instrument.symbol)}},
                            binance::RestClient::Auth::None,
                            2},
                           [rules](binance::Response r) {
                               if (auto price = r.ok() ? binance::OrderParser::parseAvgPrice(r.body) : std::nullopt)
                                   rules->setAveragePrice(*price);
                           });
        };
        if (symbolRules->filters.hasPercentPriceBySide || symbolRules->filters.hasPercentPrice) {
            QObject::connect(&averagePrice, &QTimer::timeout, refreshAveragePrice);
            averagePrice.start(settings.avgPriceRefreshMs);
            refreshAveragePrice();
        }
        data.start();
        control.runEventLoop();
    };
    // The order entry lives on the executor thread: created by its first action, freed by the terminator.
    auto entry = std::make_shared<std::unique_ptr<binance::OrderEntry>>();
    parts.executor = [=](const Action& action) {
        if (!*entry)
            *entry = std::make_unique<binance::OrderEntry>(settings, market, credentials, shared, gateway, tracker,
                                                           health->orders, rules);
        (*entry)->execute(action);
    };
    parts.terminator = [entry] { entry->reset(); };
    if (credentials.present()) {
        parts.openOrdersQuery = [=]() -> std::optional<std::vector<OpenOrderInfo>> {
            binance::RestClient rest(settings, credentials, shared, logName);
            const binance::OrderParser parser(market.instrument.priceScale(), market.instrument.quantityScale());
            auto open = binance::OrderEntry::openOrders(rest, parser, market.instrument.symbol);
            if (!open)
                return std::nullopt;
            std::vector<OpenOrderInfo> out;
            for (const auto& report : *open) {
                const auto ours = venue::ClientIdCodec::parse(report.clientOrderId);
                out.push_back({ours ? ours->id : 0, std::to_string(report.orderId), report.side, report.price,
                               report.quantity, report.executed, ours ? ours->runTag : std::string()});
            }
            return out;
        };
    }
    parts.inspector = [health, shared, tracker, keys = credentials.present(), transport = settings.orderTransport] {
        return health->details(shared, *tracker, keys, transport == binance::Settings::OrderTransport::WsApi);
    };
    return parts;
}

} // namespace md
