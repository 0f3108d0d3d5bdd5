#include "kraken/krakenconnectorfactory.h"

#include "kraken/credentials.h"
#include "kraken/executionledger.h"
#include "kraken/krakensettings.h"
#include "kraken/krakenstats.h"
#include "kraken/marketdataclient.h"
#include "kraken/openordersprobe.h"
#include "kraken/orderentry.h"
#include "kraken/privateclient.h"
#include "kraken/requestchannel.h"

#include "common/clientidcodec.h"
#include "common/decayingcounter.h"
#include "common/ordertracker.h"
#include "common/streamstatus.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QTimer>

#include <stdexcept>

namespace md {

std::optional<std::string> KrakenConnectorFactory::validate(const QJsonObject& settings,
                                                            const std::string& path) const {
    std::string error;
    if (!kraken::Settings::parse(settings, path, error))
        return error;
    return std::nullopt;
}

std::shared_ptr<venue::DecayingCounter> KrakenConnectorFactory::rateCounter(const std::string& key, double threshold,
                                                                            double decay, double headroom) const {
    std::lock_guard lock(m_mutex);
    auto& counter = m_counters[key];
    if (!counter)
        counter = std::make_shared<venue::DecayingCounter>(threshold, decay, headroom);
    return counter;
}

namespace {

std::string fmt1(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

} // namespace

ConnectorParts KrakenConnectorFactory::initialize(const MarketSpec& market, EventSink sink) const {
    std::string error;
    auto parsed = kraken::Settings::parse(market.settings, "settings", error);
    if (!parsed)
        throw std::invalid_argument(error);
    const kraken::Settings settings = *parsed;
    const kraken::Credentials credentials = kraken::Credentials::resolve(settings);
    const bool keys = credentials.present();
    auto mdStats = std::make_shared<kraken::MarketDataStats>();
    auto privStats = std::make_shared<kraken::PrivateStats>();
    auto orderStats = std::make_shared<kraken::OrderEntryStats>();
    auto trading = std::make_shared<kraken::TradingState>();
    auto ledger = std::make_shared<kraken::ExecutionLedger>();
    auto channel = std::make_shared<kraken::RequestChannel>();
    auto tracker = std::make_shared<venue::OrderTracker>(
        [sink](TradingEventPayload event, std::int64_t exchangeTimeMs) { sink.fire(std::move(event), exchangeTimeMs); },
        market.instrument.priceScale(), venue::ClientIdCodec(market.orderTag), "market." + market.name);
    const std::string keyId =
        QCryptographicHash::hash(credentials.apiKey, QCryptographicHash::Sha256).toHex().left(16).toStdString();
    auto rate = rateCounter(market.instrument.symbol + "|" + keyId, settings.rateTier.threshold,
                            settings.rateTier.decayPerSecond, settings.rateHeadroom);
    auto log = logging::get("market." + market.name);
    if (keys)
        log->info("Kraken {}: order entry enabled, API key from {}", market.instrument.symbol, credentials.source);
    else
        log->warn("Kraken {}: no API key ({} / {} not set): market data only, placements will be rejected",
                  market.instrument.symbol, settings.apiKeyEnv, settings.apiSecretEnv);

    ConnectorParts parts;
    parts.producer = [=](ProducerControl& control) {
        venue::StreamStatus status(sink);
        kraken::MarketDataClient data(settings, market, sink, mdStats, trading, status);
        // The instrument is checked before anything else runs: a mismatch fails the market, naming both.
        {
            QEventLoop wait;
            QObject::connect(&data, &kraken::MarketDataClient::instrumentReady, &wait, &QEventLoop::quit);
            QObject::connect(&data, &kraken::MarketDataClient::instrumentRefused, &wait, &QEventLoop::quit);
            QTimer poll;
            QObject::connect(&poll, &QTimer::timeout, &wait, [&] {
                if (control.stopRequested())
                    wait.quit();
            });
            poll.start(50);
            data.start();
            wait.exec();
        }
        if (!data.fatal().empty())
            throw std::runtime_error(data.fatal());
        if (!data.instrumentChecked())
            return; // stopped before Kraken answered
        std::unique_ptr<kraken::PrivateClient> orders;
        if (keys) {
            orders = std::make_unique<kraken::PrivateClient>(settings, market, sink, credentials, tracker, channel,
                                                             ledger, privStats, status);
            orders->start();
        }
        control.runEventLoop();
    };
    // The order entry lives on the executor thread: created by its first action, freed by the terminator.
    auto entry = std::make_shared<std::unique_ptr<kraken::OrderEntry>>();
    auto make = [=] {
        if (!*entry)
            *entry = std::make_unique<kraken::OrderEntry>(settings, market, keys, channel, tracker, ledger, trading,
                                                          rate, orderStats);
        return entry->get();
    };
    parts.executor = [=](const Action& action) { make()->execute(action); };
    parts.terminator = [=] {
        make()->finish();
        entry->reset();
    };
    if (keys) {
        parts.openOrdersQuery = [=]() -> std::optional<std::vector<OpenOrderInfo>> {
            const auto open =
                kraken::queryOpenOrders(settings, credentials, market.instrument.symbol, settings.requestTimeoutMs);
            if (!open)
                return std::nullopt;
            std::vector<OpenOrderInfo> out;
            const int ps = market.instrument.priceScale();
            const int qs = market.instrument.quantityScale();
            for (const auto& o : *open) {
                const auto ours = venue::ClientIdCodec::parse(o.clOrdId);
                out.push_back({ours ? ours->id : 0, o.orderId, o.side == "sell" ? Side::Ask : Side::Bid,
                               Price(o.price.rounded(ps, Rounding::Nearest)),
                               Quantity(o.quantity.rounded(qs, Rounding::Nearest)),
                               Quantity(o.filled.rounded(qs, Rounding::Nearest)), ours ? ours->runTag : std::string()});
            }
            return out;
        };
    }
    parts.inspector = [=] {
        const std::int64_t now = wallNowMs();
        auto age = [&](std::int64_t ms) { return ms > 0 ? (now - ms) / 1000.0 : -1.0; };
        auto until = [&](std::int64_t ms) { return ms > 0 ? std::max<std::int64_t>(0, ms - now) / 1000.0 : 0.0; };
        auto n = [](std::uint64_t v) { return static_cast<double>(v); };
        const double bookAge = age(mdStats->lastBookMs.load());
        const double frameAge = age(mdStats->lastFrameMs.load());
        const double backoff = until(mdStats->reconnectAtMs.load());
        const std::string system = trading->system();
        std::vector<ConnectorDetail> d{
            {"stream_age_seconds", frameAge, frameAge < 0 ? "no frame yet" : fmt1(frameAge) + " s"},
            {"book_age_seconds", bookAge, bookAge < 0 ? "no book yet" : fmt1(bookAge) + " s"},
            {"checksum_failures", n(mdStats->checksumFailures.load()),
             std::to_string(mdStats->checksumFailures.load()) + " book checksum mismatches"},
            {"resyncs", n(mdStats->resyncs.load()), std::to_string(mdStats->resyncs.load())},
            {"reconnects", n(mdStats->reconnects.load()), std::to_string(mdStats->reconnects.load())},
            {"backoff_seconds", backoff, backoff > 0 ? "reconnecting in " + fmt1(backoff) + " s" : "connected"},
            {"snapshots", n(mdStats->snapshots.load()), std::to_string(mdStats->snapshots.load())},
            {"parse_errors", n(mdStats->parseErrors.load()), std::to_string(mdStats->parseErrors.load())},
            {"system_online", system == "online" ? 1.0 : 0.0, system.empty() ? "no status yet" : system},
            {"rate_counter", rate->value(), fmt1(rate->value()) + " of " + fmt1(rate->threshold())},
            {"rate_headroom", rate->headroomLeft(), fmt1(rate->headroomLeft()) + " before we wait"}};
        if (!keys) {
            d.push_back({"order_stream_up", 0, "no API key: market data only"});
            return d;
        }
        const double orderAge = age(privStats->lastEventMs.load());
        const double orderBackoff = until(privStats->reconnectAtMs.load());
        const std::int64_t trigger = privStats->deadManTriggerMs.load();
        const bool armed = privStats->deadManArmed.load() && trigger > now;
        const double left = armed ? (trigger - now) / 1000.0 : 0.0;
        d.push_back({"order_stream_up", privStats->up.load() ? 1.0 : 0.0,
                     privStats->up.load()
                         ? "up"
                         : (orderBackoff > 0 ? "down, reconnecting in " + fmt1(orderBackoff) + " s" : "down")});
        d.push_back({"order_stream_age_seconds", orderAge, orderAge < 0 ? "no event yet" : fmt1(orderAge) + " s"});
        d.push_back(
            {"order_stream_reconnects", n(privStats->reconnects.load()), std::to_string(privStats->reconnects.load())});
        d.push_back({"dead_man_armed", armed ? 1.0 : 0.0, armed ? "armed" : "disarmed"});
        d.push_back({"dead_man_seconds_left", left, armed ? fmt1(left) + " s until Kraken cancels our orders" : "-"});
        d.push_back({"unknown_outcomes", n(orderStats->unknownOutcomes.load()),
                     std::to_string(orderStats->unknownOutcomes.load()) + " unanswered placements (" +
                         std::to_string(orderStats->resolvedPlaced.load()) + " found placed, " +
                         std::to_string(orderStats->resolvedAbsent.load()) + " not placed)"});
        d.push_back({"rate_waits", n(orderStats->rateWaits.load()),
                     std::to_string(orderStats->rateWaits.load()) + " placements slowed down, " +
                         std::to_string(orderStats->rateHeld.load()) + " refused locally"});
        d.push_back(
            {"rate_refusals", n(orderStats->rateRefusals.load()), std::to_string(orderStats->rateRefusals.load())});
        d.push_back(
            {"tokens_fetched", n(privStats->tokensFetched.load()), std::to_string(privStats->tokensFetched.load())});
        return d;
    };
    return parts;
}

} // namespace md
