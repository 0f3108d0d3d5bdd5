#include "binance/orderentry.h"

#include "logging/logging.h"

#include <QThread>

namespace md::binance {

namespace {
QByteArray q(const std::string& s) {
    return QByteArray::fromStdString(s);
}
} // namespace

OrderEntry::OrderEntry(const Settings& settings, const MarketSpec& market, Credentials credentials,
                       std::shared_ptr<RestGate> gate, std::shared_ptr<OrderTracker> tracker,
                       std::shared_ptr<OrderEntryStats> stats, std::optional<Notional> minNotional)
    : m_market(market)
    , m_log("market." + market.name)
    , m_rest(settings, std::move(credentials), std::move(gate), m_log)
    , m_parser(market.instrument.priceScale(), market.instrument.quantityScale())
    , m_tracker(std::move(tracker))
    , m_stats(std::move(stats))
    , m_minNotional(minNotional) {}

void OrderEntry::execute(const Action& action) {
    if (!m_clockChecked && m_rest.hasCredentials()) {
        // Signed requests carry our timestamp: know the offset to the server before the first one.
        m_clockChecked = m_rest.syncClock();
    }
    std::visit(Overloaded{[&](const PlaceLimit& p) { place(p); }, [&](const CancelOrder& c) { cancel(c.id, true); },
                          [&](const CancelAll& c) { cancelAll(c.scope); }},
               action.kind);
}

void OrderEntry::place(const PlaceLimit& p) {
    m_stats->placements.fetch_add(1);
    if (!m_rest.hasCredentials()) {
        m_stats->rejections.fetch_add(1);
        m_tracker->expect(p);
        m_tracker->reject(p.id, "binance: no API key, market data only (set the environment variables named by "
                                "api_key_env/api_secret_env)");
        return;
    }
    if (m_minNotional && p.price * p.quantity < *m_minNotional) {
        m_tracker->expect(p);
        m_tracker->reject(p.id, "binance: notional " + (p.price * p.quantity).toTrimmedString() +
                                    " below the exchange's minimum " + m_minNotional->toTrimmedString());
        m_stats->rejections.fetch_add(1);
        return;
    }
    m_tracker->expect(p);
    const std::string clientId = m_tracker->exchangeClientId(p.id);
    const QByteArray params =
        "symbol=" + q(m_market.instrument.symbol) + "&side=" + (p.side == Side::Bid ? "BUY" : "SELL") +
        "&type=LIMIT&timeInForce=GTC&quantity=" + q(p.quantity.toString()) + "&price=" + q(p.price.toString()) +
        "&newClientOrderId=" + q(clientId) + "&newOrderRespType=RESULT";
    const RestClient::Response r = m_rest.send("POST", "/api/v3/order", params, RestClient::Auth::Signed);
    if (r.ok()) {
        auto parsed = m_parser.parseOrder(r.body);
        if (auto* report = std::get_if<OrderReport>(&parsed)) {
            m_tracker->apply(*report);
            return;
        }
        logging::get(m_log)->error("placement {}: unreadable answer ({}): querying it", clientId,
                                   std::get<ParseError>(parsed).message);
    } else if (!r.outcomeUnknown()) {
        // Refused before or by the exchange (4xx, 429/418, cooldown): certainly not placed.
        m_stats->rejections.fetch_add(1);
        m_tracker->reject(p.id, "binance: " + r.describe());
        return;
    }
    // 5xx, timeout or garbage: it may be on the book. Ask; never place it again.
    m_stats->unknownOutcomes.fetch_add(1);
    logging::get(m_log)->warn("placement {}: outcome unknown ({}): querying the order", clientId, r.describe());
    for (int attempt = 0; attempt < 4; ++attempt) {
        switch (query(clientId)) {
        case QueryOutcome::Applied:
            return;
        case QueryOutcome::NoSuchOrder:
            // Asked twice with a pause between: a request still in flight at the exchange has landed.
            if (attempt >= 1) {
                m_stats->rejections.fetch_add(1);
                m_tracker->reject(p.id, "binance: placement failed (" + r.describe() +
                                            ") and the exchange has no such order: not placed");
                return;
            }
            break;
        case QueryOutcome::Failed:
            break;
        }
        QThread::msleep(200u << attempt);
    }
    m_tracker->markUnknown(p.id);
    logging::get(m_log)->error("placement {}: outcome still unknown; the order stream or the next reconciliation "
                               "will settle it",
                               clientId);
}

OrderEntry::QueryOutcome OrderEntry::query(const std::string& clientOrderId) {
    const RestClient::Response r = m_rest.send(
        "GET", "/api/v3/order", "symbol=" + q(m_market.instrument.symbol) + "&origClientOrderId=" + q(clientOrderId),
        RestClient::Auth::Signed);
    if (r.ok()) {
        auto parsed = m_parser.parseOrder(r.body);
        if (auto* report = std::get_if<OrderReport>(&parsed)) {
            m_tracker->apply(*report);
            return QueryOutcome::Applied;
        }
        return QueryOutcome::Failed;
    }
    if (auto api = OrderParser::parseApiError(r.body); api && api->code == -2013)
        return QueryOutcome::NoSuchOrder;
    logging::get(m_log)->warn("query of {} failed: {}", clientOrderId, r.describe());
    return QueryOutcome::Failed;
}

void OrderEntry::cancel(ClientOrderId id, bool logUnknown) {
    if (!m_tracker->isTracked(id)) {
        if (logUnknown)
            logging::get(m_log)->info("cancel of order {} ignored: not open on this market", id);
        return;
    }
    m_stats->cancels.fetch_add(1);
    const std::string clientId = m_tracker->exchangeClientId(id);
    const RestClient::Response r = m_rest.send(
        "DELETE", "/api/v3/order", "symbol=" + q(m_market.instrument.symbol) + "&origClientOrderId=" + q(clientId),
        RestClient::Auth::Signed);
    if (r.ok()) {
        auto parsed = m_parser.parseOrder(r.body);
        if (auto* report = std::get_if<OrderReport>(&parsed)) {
            m_tracker->apply(*report);
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
    query(clientId);
}

void OrderEntry::cancelAll(CancelAll::Scope scope) {
    const bool earlierRunsOnly = scope == CancelAll::Scope::EarlierRuns;
    // Ours only (the client id prefix): a person's manual orders on the same account are not touched.
    // The list includes orders an earlier run left open.
    std::vector<ClientOrderId> ids = earlierRunsOnly ? std::vector<ClientOrderId>{} : m_tracker->tracked();
    if (scope == CancelAll::Scope::ThisRun) {
        for (ClientOrderId id : ids)
            cancel(id, false);
        return;
    }
    auto open = openOrders(m_rest, m_parser, m_market.instrument.symbol);
    ids = earlierRunsOnly ? std::vector<ClientOrderId>{} : m_tracker->tracked();
    if (open) {
        for (const auto& report : *open) {
            const auto parsed = OrderTracker::parseClientId(report.clientOrderId);
            if (!parsed)
                continue;
            if (parsed->runTag == m_tracker->runTag() && (earlierRunsOnly || m_tracker->isTracked(parsed->id)))
                continue; // this run's: cancelled below with the tracked ones (or not at all)
            const RestClient::Response r =
                m_rest.send("DELETE", "/api/v3/order",
                            "symbol=" + q(m_market.instrument.symbol) + "&origClientOrderId=" + q(report.clientOrderId),
                            RestClient::Auth::Signed);
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
    const RestClient::Response r =
        rest.send("GET", "/api/v3/openOrders", "symbol=" + q(symbol), RestClient::Auth::Signed);
    if (!r.ok())
        return std::nullopt;
    auto parsed = parser.parseOrderList(r.body);
    if (auto* list = std::get_if<std::vector<OrderReport>>(&parsed))
        return std::move(*list);
    return std::nullopt;
}

} // namespace md::binance
