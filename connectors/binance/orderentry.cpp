#include "binance/orderentry.h"

#include "binance/filtercheck.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QThread>

namespace md::binance {

namespace {
QByteArray q(const std::string& s) {
    return QByteArray::fromStdString(s);
}
// The outcome of a request is settled once it can no longer reach the matching engine: Binance
// forwards it only while serverTime - timestamp <= recvWindow (web-socket-api.md / rest-api.md
// "Timing security"); the margin covers the clock estimate and the hop to the engine.
constexpr std::int64_t kLastChanceMarginMs = 1000;
} // namespace

OrderEntry::OrderEntry(const Settings& settings, const MarketSpec& market, Credentials credentials,
                       SessionShared shared, std::shared_ptr<WsApiGateway> gateway,
                       std::shared_ptr<venue::OrderTracker> tracker, std::shared_ptr<OrderEntryStats> stats,
                       std::shared_ptr<LiveRules> rules)
    : m_settings(settings)
    , m_market(market)
    , m_log("market." + market.name)
    , m_shared(shared)
    , m_rest(settings, std::move(credentials), shared, m_log)
    , m_gateway(std::move(gateway))
    , m_parser(market.instrument.priceScale(), market.instrument.quantityScale())
    , m_tracker(std::move(tracker))
    , m_stats(std::move(stats))
    , m_rules(std::move(rules))
    , m_symbol(q(market.instrument.symbol)) {}

void OrderEntry::execute(const Action& action) {
    if (!m_clockChecked && m_rest.hasCredentials()) {
        // Signed requests carry our timestamp: know the offset to the server before the first one.
        m_clockChecked = m_shared.clock->synced.load() || m_rest.syncClock();
    }
    std::visit(Overloaded{[&](const PlaceLimit& p) { place(p, action.causeReceivedNs); },
                          [&](const CancelOrder& c) { cancel(c.id, true); },
                          [&](const CancelAll& c) { cancelAll(c.scope); }},
               action.kind);
}

Response OrderEntry::send(const WsRequest& ws, const RestClient::Request& rest, int maxWaitMs,
                          WsApiGateway::Stamps* stamps) {
    int waited = 0;
    bool clockRetried = false;
    for (;;) {
        std::optional<Response> answer;
        if (m_settings.orderTransport == Settings::OrderTransport::WsApi) {
            answer = m_gateway->call(ws, m_settings.requestTimeoutMs + 1000, stamps);
            if (answer && answer->notSent && answer->retryInMs == 0 && !m_shared.keys->refused())
                answer.reset(); // the session could not take it: REST below
            if (answer)
                m_stats->wsApiRequests.fetch_add(1, std::memory_order_relaxed);
            else
                m_stats->restFallbacks.fetch_add(1, std::memory_order_relaxed);
        }
        if (!answer) {
            m_stats->restRequests.fetch_add(1, std::memory_order_relaxed);
            answer = m_rest.send(rest); // measures the clock and retries once itself on -1021
            clockRetried = true;
        }
        Response& r = *answer;
        // The host's shared budget says "not yet": wait for it, within what this request may wait.
        if (r.notSent && r.retryInMs > 0 && waited + r.retryInMs <= maxWaitMs) {
            QThread::msleep(static_cast<unsigned long>(r.retryInMs));
            waited += static_cast<int>(r.retryInMs);
            continue;
        }
        // -1021: our timestamp is outside recvWindow — the clock drifted. Measure it, try once more.
        if (!clockRetried && r.code() == -1021) {
            clockRetried = true;
            logging::get(m_log)->warn("Binance -1021 (timestamp outside recvWindow): measuring the clock again");
            if (m_rest.syncClock())
                continue;
        }
        return r;
    }
}

void OrderEntry::place(const PlaceLimit& p, std::int64_t causeNs) {
    m_stats->placements.fetch_add(1, std::memory_order_relaxed);
    // Stages of the first placement an event caused (a requote places two: the first is the one that counts).
    const bool firstOfItsCause = causeNs > 0 && causeNs != m_stats->lastCauseNs.load(std::memory_order_relaxed);
    if (firstOfItsCause) {
        m_stats->lastSendNs.store(0, std::memory_order_relaxed);
        m_stats->lastExecuteNs.store(steadyNowNs(), std::memory_order_relaxed);
        m_stats->lastCauseNs.store(causeNs, std::memory_order_relaxed);
    }
    auto refuse = [&](const std::string& reason, bool filter) {
        m_stats->rejections.fetch_add(1);
        if (filter)
            m_stats->filterRejections.fetch_add(1);
        m_tracker->expect(p);
        m_tracker->reject(p.id, reason);
    };
    if (!m_rest.hasCredentials())
        return refuse("binance: no API key, market data only (set the environment variables named by "
                      "api_key_env and api_secret_env or private_key_file_env, or use the Connect dialog)",
                      false);
    if (m_shared.keys->refused())
        return refuse("binance: " + m_shared.keys->refusal(), false);
    if (const auto filters = m_rules->filters()) {
        const int open = static_cast<int>(m_tracker->tracked().size());
        if (auto failure = checkFilters(*filters, p.side, p.price, p.quantity, m_rules->averagePrice(), open))
            return refuse("binance: " + *failure + "; not sent", true);
    }
    m_tracker->expect(p);
    const std::string clientId = m_tracker->exchangeClientId(p.id);
    // At the tick's and step's scale: a strategy's price may carry the book's finer scale.
    auto text = [](auto value, int scale) {
        const auto exact = value.rescaled(scale);
        return q((exact ? *exact : value).toString());
    };
    // Post-only is the LIMIT_MAKER type ("LIMIT orders that will be rejected if they would immediately
    // match and trade as a taker"; it takes no timeInForce); otherwise LIMIT with GTC or IOC
    // (binance-spot-api-docs web-socket-api.md "Place new order", enums.md "Time in force").
    Params params{{"symbol", m_symbol},
                  {"side", p.side == Side::Bid ? "BUY" : "SELL"},
                  {"type", p.postOnly ? "LIMIT_MAKER" : "LIMIT"},
                  {"quantity", text(p.quantity, m_market.instrument.quantityScale())},
                  {"price", text(p.price, m_market.instrument.priceScale())},
                  {"newClientOrderId", q(clientId)},
                  {"newOrderRespType", "RESULT"}};
    if (!p.postOnly)
        params.insert(params.begin() + 3, {"timeInForce", p.timeInForce == TimeInForce::Ioc ? "IOC" : "GTC"});
    if (firstOfItsCause)
        m_stats->lastSendNs.store(steadyNowNs(), std::memory_order_relaxed);
    WsApiGateway::Stamps stamps;
    const Response r =
        send({"order.place", params, WsRequest::Security::Signed, 1, 1, true},
             {"POST", "/api/v3/order", params, RestClient::Auth::Signed, 1, 1, true}, m_settings.rateWaitMs, &stamps);
    if (firstOfItsCause) {
        m_stats->lastTakenUpNs.store(stamps.takenUpNs, std::memory_order_relaxed);
        m_stats->lastWrittenNs.store(stamps.writtenNs, std::memory_order_relaxed);
    }
    if (r.ok()) {
        auto parsed = m_parser.parseOrder(r.body);
        if (auto* report = std::get_if<OrderReport>(&parsed)) {
            m_tracker->apply(OrderParser::toUpdate(*report));
            return;
        }
        logging::get(m_log)->error("placement {}: unreadable answer ({}): querying it", clientId,
                                   std::get<ParseError>(parsed).message);
    } else if (!r.outcomeUnknown()) {
        // Refused before or by the exchange (4xx, 429/418, budget, connection refused): not placed,
        // and said so when nothing left (a trader must not read "not sent" as "maybe placed").
        m_stats->rejections.fetch_add(1);
        m_tracker->reject(p.id, "binance: " + r.describe() + (r.notSent ? "; not placed" : ""));
        return;
    }
    resolve(p, clientId, r);
}

void OrderEntry::resolve(const PlaceLimit& p, const std::string& clientId, const Response& first) {
    m_stats->unknownOutcomes.fetch_add(1);
    m_tracker->markUnknown(p.id);
    const std::int64_t sentAt = first.timestampMs > 0 ? first.timestampMs - m_shared.clock->skewMs.load() : wallNowMs();
    venue::OutcomeResolver::Policy policy;
    policy.lastChanceMs = sentAt + m_settings.recvWindowMs + kLastChanceMarginMs;
    policy.giveUpAtMs = policy.lastChanceMs + 2LL * m_settings.requestTimeoutMs;
    policy.firstDelayMs = 100;
    policy.maxDelayMs = 2000;
    logging::get(m_log)->warn("placement {}: outcome unknown ({}): asking Binance until {} ms from now", clientId,
                              first.describe(), std::max<std::int64_t>(0, policy.lastChanceMs - wallNowMs()));
    const auto result = venue::OutcomeResolver::resolve(
        policy, [&] { return query(clientId); }, *venue::Clock::system(),
        [](int ms) {
            QThread::msleep(static_cast<unsigned long>(ms));
            return true;
        });
    switch (result.verdict) {
    case venue::OutcomeResolver::Verdict::Found:
        logging::get(m_log)->info("placement {}: found on Binance after {} question(s)", clientId, result.queries);
        return;
    case venue::OutcomeResolver::Verdict::NotPlaced:
        m_stats->notPlaced.fetch_add(1);
        m_tracker->concludeNotPlaced(p.id, "binance: placement outcome unknown (" + first.describe() +
                                               "); Binance still had no such order " +
                                               "after the request could no longer reach its matching engine (" +
                                               std::to_string(result.queries) + " questions): not placed");
        return;
    case venue::OutcomeResolver::Verdict::StillUnknown:
        logging::get(m_log)->error("placement {}: outcome still unknown after {} question(s); the order stream or "
                                   "the next reconciliation will settle it",
                                   clientId, result.queries);
        return;
    }
}

venue::OutcomeResolver::Answer OrderEntry::query(const std::string& clientOrderId) {
    const Params params{{"symbol", m_symbol}, {"origClientOrderId", q(clientOrderId)}};
    const Response r = send({"order.status", params, WsRequest::Security::Signed, 4},
                            {"GET", "/api/v3/order", params, RestClient::Auth::Signed, 4}, 5000);
    if (r.ok()) {
        auto parsed = m_parser.parseOrder(r.body);
        if (auto* report = std::get_if<OrderReport>(&parsed)) {
            m_tracker->apply(OrderParser::toUpdate(*report));
            return venue::OutcomeResolver::Answer::Found;
        }
        return venue::OutcomeResolver::Answer::Failed;
    }
    if (r.code() == -2013)
        return venue::OutcomeResolver::Answer::NotFound;
    logging::get(m_log)->warn("query of {} failed: {}", clientOrderId, r.describe());
    return venue::OutcomeResolver::Answer::Failed;
}

void OrderEntry::cancel(ClientOrderId id, bool logUnknown) {
    if (!m_tracker->isTracked(id)) {
        if (logUnknown)
            logging::get(m_log)->info("cancel of order {} ignored: not open on this market", id);
        return;
    }
    m_stats->cancels.fetch_add(1, std::memory_order_relaxed);
    const std::string clientId = m_tracker->exchangeClientId(id);
    const Params params{{"symbol", m_symbol}, {"origClientOrderId", q(clientId)}};
    const Response r = send({"order.cancel", params, WsRequest::Security::Signed, 1, 0, true},
                            {"DELETE", "/api/v3/order", params, RestClient::Auth::Signed, 1, 0, true},
                            std::max(m_settings.rateWaitMs, 5000));
    if (r.ok()) {
        auto parsed = m_parser.parseOrder(r.body);
        if (auto* report = std::get_if<OrderReport>(&parsed)) {
            m_tracker->apply(OrderParser::toUpdate(*report));
            return;
        }
    }
    if (r.notSent) {
        logging::get(m_log)->warn("cancel of {} {}", clientId, r.describe());
        return;
    }
    // -2011 "Unknown order sent": it filled or was cancelled meanwhile. 5xx: it may have gone through.
    // Either way the exchange knows; the answer to a query is the truth.
    logging::get(m_log)->info("cancel of {}: {}; querying it", clientId, r.describe());
    if (query(clientId) == venue::OutcomeResolver::Answer::NotFound && m_tracker->isPlaced(id))
        m_tracker->settle(id,
                          "cancel answered " + r.describe() + " and Binance has no such order: settled as cancelled");
}

std::optional<std::vector<OrderReport>> OrderEntry::openOrders() {
    const Params params{{"symbol", m_symbol}};
    const Response r = send({"openOrders.status", params, WsRequest::Security::Signed, 6},
                            {"GET", "/api/v3/openOrders", params, RestClient::Auth::Signed, 6}, 5000);
    if (!r.ok())
        return std::nullopt;
    auto parsed = m_parser.parseOrderList(r.body);
    if (auto* list = std::get_if<std::vector<OrderReport>>(&parsed))
        return std::move(*list);
    return std::nullopt;
}

void OrderEntry::cancelAll(CancelAll::Scope scope) {
    const bool earlierRunsOnly = scope == CancelAll::Scope::EarlierRuns;
    // Ours only (the client id prefix): a person's manual orders on the same account are not touched.
    std::vector<ClientOrderId> ids = earlierRunsOnly ? std::vector<ClientOrderId>{} : m_tracker->tracked();
    if (scope == CancelAll::Scope::ThisRun) {
        for (ClientOrderId id : ids)
            cancel(id, false);
        return;
    }
    auto open = openOrders();
    ids = earlierRunsOnly ? std::vector<ClientOrderId>{} : m_tracker->tracked();
    if (open) {
        for (const auto& report : *open) {
            const auto parsed = venue::ClientIdCodec::parse(report.clientOrderId);
            if (!parsed)
                continue;
            if (parsed->runTag == m_tracker->ids().runTag() && (earlierRunsOnly || m_tracker->isTracked(parsed->id)))
                continue; // this run's: cancelled below with the tracked ones (or not at all)
            const Params params{{"symbol", m_symbol}, {"origClientOrderId", q(report.clientOrderId)}};
            const Response r = send({"order.cancel", params, WsRequest::Security::Signed, 1, 0, true},
                                    {"DELETE", "/api/v3/order", params, RestClient::Auth::Signed, 1, 0, true}, 5000);
            logging::get(m_log)->info("cancel of {} (left by an earlier run): {}", report.clientOrderId,
                                      r.ok() ? "cancelled" : r.describe());
        }
    } else {
        logging::get(m_log)->warn("cancel all: open orders not available; cancelling the ones this run placed");
    }
    for (ClientOrderId id : ids)
        cancel(id, false);
}

std::optional<std::vector<OrderReport>> OrderEntry::openOrders(RestClient& rest, const OrderParser& parser,
                                                               const std::string& symbol) {
    const Response r = rest.send({"GET", "/api/v3/openOrders", {{"symbol", q(symbol)}}, RestClient::Auth::Signed, 6});
    if (!r.ok())
        return std::nullopt;
    auto parsed = parser.parseOrderList(r.body);
    if (auto* list = std::get_if<std::vector<OrderReport>>(&parsed))
        return std::move(*list);
    return std::nullopt;
}

} // namespace md::binance
