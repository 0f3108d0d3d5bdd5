#pragma once

#include "binance/liverules.h"
#include "binance/orderparser.h"
#include "binance/restclient.h"
#include "binance/wsapigateway.h"

#include "common/ordertracker.h"
#include "common/outcomeresolver.h"
#include "domain/action.h"
#include "engine/connector.h"

#include <memory>
#include <optional>
#include <vector>

namespace md::binance {

/// Counters of the order side, read by the health inspector from any thread.
struct OrderEntryStats {
    std::atomic<std::uint64_t> placements{0};
    std::atomic<std::uint64_t> rejections{0};
    std::atomic<std::uint64_t> filterRejections{0}; // refused before sending, no weight spent
    std::atomic<std::uint64_t> cancels{0};
    std::atomic<std::uint64_t> unknownOutcomes{0}; // placements whose outcome had to be asked for
    std::atomic<std::uint64_t> notPlaced{0};       // ... and that were proven not placed
    std::atomic<std::uint64_t> wsApiRequests{0};
    std::atomic<std::uint64_t> restRequests{0};
    std::atomic<std::uint64_t> restFallbacks{0}; // sent over REST because the session was down
    // The last placement's way through (steady clock, ns): the event that caused it reached the
    // connector, the executor took the placement up, the request was checked, built and handed to
    // its transport. Health shows the two stages; the tick-to-trade benchmark reads them.
    std::atomic<std::int64_t> lastCauseNs{0};
    std::atomic<std::int64_t> lastExecuteNs{0};
    std::atomic<std::int64_t> lastSendNs{0};
    // Over the WebSocket API: the session's thread took it up, and wrote its frame (0 over REST).
    std::atomic<std::int64_t> lastTakenUpNs{0};
    std::atomic<std::int64_t> lastWrittenNs{0};
};

/// The executor side of a Binance market: one action at a time, over the WebSocket API session
/// (order.place / order.cancel / order.status / openOrders.status) or, while it is down, over
/// signed REST. A placement is checked against the symbol's filters before anything is sent. One
/// whose outcome is unknown (a 5xx, -1006/-1007 whatever the status, a timeout, no answer before
/// the connection dropped) is never placed again: it is asked about by its client id, with growing
/// pauses, until Binance either shows it or says "does not exist" to a question asked after the
/// request could no longer have reached the matching engine (its timestamp plus recvWindow, plus a
/// margin) — only then is it "not placed". A connection refused before anything was sent is "not
/// placed" at once.
/// Thread: the market's executor thread (created there by the first action).
class OrderEntry {
public:
    OrderEntry(const Settings& settings, const MarketSpec& market, Credentials credentials, SessionShared shared,
               std::shared_ptr<WsApiGateway> gateway, std::shared_ptr<venue::OrderTracker> tracker,
               std::shared_ptr<OrderEntryStats> stats, std::shared_ptr<LiveRules> rules);

    void execute(const Action& action);

    /// Open orders of the symbol over REST; nullopt when the exchange cannot be asked.
    static std::optional<std::vector<OrderReport>> openOrders(RestClient& rest, const OrderParser& parser,
                                                              const std::string& symbol);

private:
    /// Over the session when it is up, else over REST; waits for the rate budget up to `maxWaitMs`.
    Response send(const WsRequest& ws, const RestClient::Request& rest, int maxWaitMs,
                  WsApiGateway::Stamps* stamps = nullptr);
    void place(const PlaceLimit& place, std::int64_t causeNs);
    void resolve(const PlaceLimit& place, const std::string& clientId, const Response& first);
    void cancel(ClientOrderId id, bool logUnknown);
    void cancelAll(CancelAll::Scope scope);
    venue::OutcomeResolver::Answer query(const std::string& clientOrderId);
    std::optional<std::vector<OrderReport>> openOrders();

    Settings m_settings;
    const MarketSpec m_market;
    std::string m_log;
    SessionShared m_shared;
    RestClient m_rest;
    std::shared_ptr<WsApiGateway> m_gateway;
    OrderParser m_parser;
    std::shared_ptr<venue::OrderTracker> m_tracker;
    std::shared_ptr<OrderEntryStats> m_stats;
    std::shared_ptr<LiveRules> m_rules;
    QByteArray m_symbol;
    bool m_clockChecked = false;
};

} // namespace md::binance
