#pragma once

#include "binance/connectionstatus.h"
#include "binance/orderparser.h"
#include "binance/ordertracker.h"
#include "binance/reconnectbackoff.h"
#include "binance/restclient.h"

#include "engine/connector.h"

#include <QObject>

#include <atomic>
#include <map>
#include <memory>
#include <random>

class QTimer;
class QWebSocket;

namespace md::binance {

/// Live figures of the order stream, read by the health inspector from any thread.
struct UserStreamStats {
    std::atomic<bool> up{false};
    std::atomic<std::int64_t> lastEventMs{0};
    std::atomic<std::uint64_t> events{0};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<std::uint64_t> keepalives{0};
    std::atomic<std::uint64_t> listenKeys{0}; // created
    std::atomic<std::uint64_t> reconciliations{0};
    std::atomic<std::int64_t> reconnectAtMs{0};
};

/// The user data stream of a Binance market: creates a listenKey, keeps it alive (PUT about every
/// 30 minutes), connects `<user stream>/ws/<listenKey>`, turns execution reports into order events
/// through the OrderTracker and account events into BalanceUpdated. On every (re)connect it
/// reconciles over REST — open orders, the state of each order it tracks that is no longer open,
/// and the balances — because reports sent while it was away are lost. While the stream is down
/// the market is Degraded ("order stream down"), which halts placements.
/// Thread: the market's producer thread (created there, with its sockets and timers).
class UserDataClient : public QObject {
    Q_OBJECT
public:
    UserDataClient(Settings settings, MarketSpec market, EventSink sink, Credentials credentials,
                   std::shared_ptr<RestGate> gate, std::shared_ptr<OrderTracker> tracker,
                   std::shared_ptr<UserStreamStats> stats, ConnectionStatus& status, QObject* parent = nullptr);
    ~UserDataClient() override;
    void start();

private:
    void createListenKey();
    void onConnected();
    void onDisconnected();
    void onFrame(const QString& frame);
    void keepAlive();
    void reconcile();
    void scheduleReconnect(const std::string& why);
    void publishBalance(const AssetBalance& balance);

    Settings m_settings;
    MarketSpec m_market;
    EventSink m_sink;
    std::string m_log;
    RestClient* m_rest;
    OrderParser m_parser;
    std::shared_ptr<OrderTracker> m_tracker;
    std::shared_ptr<UserStreamStats> m_stats;
    ConnectionStatus& m_status;
    QWebSocket* m_socket;
    QTimer* m_reconnect;
    QTimer* m_keepalive;
    QTimer* m_maxAge;
    std::string m_listenKey;
    std::map<std::string, AssetBalance> m_balances;
    ReconnectBackoff m_backoff;
    std::int64_t m_connectedAtMs = 0; // when the current connection opened; 0 while down
};

} // namespace md::binance
