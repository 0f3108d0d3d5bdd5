#pragma once

#include "kraken/credentials.h"
#include "kraken/executionledger.h"
#include "kraken/krakenparser.h"
#include "kraken/krakensettings.h"
#include "kraken/krakenstats.h"
#include "kraken/requestchannel.h"

#include "common/ordertracker.h"
#include "common/reconnectbackoff.h"
#include "common/streamstatus.h"

#include "engine/connector.h"

#include <QObject>

#include <memory>
#include <set>

class QTimer;
class QWebSocket;

namespace md::venue {
class StaleConnectionWatch;
}

namespace md::kraken {

class TokenClient;

/// The authenticated side of a Kraken market (wss://ws-auth.kraken.com/v2): a fresh token from REST for
/// every connection, `executions` (its snapshot of open orders and recent fills reconciles what we
/// track; its updates drive Placed → Filled → Cancelled/Done through the order tracker), `balances`,
/// the requests the executor sends through the RequestChannel (answers matched by req_id), and the dead
/// man's switch: while we have orders open, `cancel_all_orders_after` is pushed back every
/// `dead_man_refresh_seconds` with `dead_man_timeout_seconds`, and disabled (timeout 0) once none are
/// (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/cancel_after). Reconnects with
/// backoff and jitter; while it is down the market is Degraded (the breaker halts placements).
/// Thread: the market's producer thread (created there, with its sockets).
class PrivateClient : public QObject {
    Q_OBJECT
public:
    PrivateClient(Settings settings, MarketSpec market, EventSink sink, Credentials credentials,
                  std::shared_ptr<venue::OrderTracker> tracker, std::shared_ptr<RequestChannel> channel,
                  std::shared_ptr<ExecutionLedger> ledger, std::shared_ptr<PrivateStats> stats,
                  venue::StreamStatus& status, QObject* parent = nullptr);
    ~PrivateClient() override;
    void start();

private:
    void fetchToken();
    void onToken(const QString& token);
    void onConnected();
    void onDisconnected();
    void onFrame(const QString& frame);
    void onExecutions(const ExecutionsMessage& m);
    void onBalances(const BalancesMessage& m);
    void onAnswer(const MethodAnswer& a);
    void send(const RequestChannel::Request& request);
    void deadManTick();
    void sendDeadMan(int timeoutSeconds);
    void retryLater(const std::string& why);
    void sendJson(const QByteArray& json);

    Settings m_settings;
    MarketSpec m_market;
    std::string m_log;
    EventSink m_sink;
    std::shared_ptr<venue::OrderTracker> m_tracker;
    std::shared_ptr<RequestChannel> m_channel;
    std::shared_ptr<ExecutionLedger> m_ledger;
    std::shared_ptr<PrivateStats> m_stats;
    venue::StreamStatus& m_status;
    Parser m_parser;
    TokenClient* m_tokens;
    QWebSocket* m_socket;
    QTimer* m_reconnect;
    QTimer* m_ping;
    QTimer* m_deadMan;
    venue::StaleConnectionWatch* m_watch;
    venue::ReconnectBackoff m_backoff;
    QByteArray m_token;
    std::uint64_t m_reqId = 0;
    std::set<std::uint64_t> m_deadManRequests;
    std::int64_t m_lastDeadManMs = 0;
    bool m_subscribed = false;
};

} // namespace md::kraken
