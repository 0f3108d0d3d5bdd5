#pragma once

#include "binance/orderparser.h"
#include "binance/wsapiconnection.h"

#include "common/ordertracker.h"
#include "common/reconnectbackoff.h"
#include "common/streamstatus.h"
#include "engine/connector.h"

#include <QObject>

#include <atomic>
#include <map>
#include <memory>

class QTimer;

namespace md::binance {

/// Live figures of the order stream, read by the health inspector from any thread.
struct UserStreamStats {
    std::atomic<bool> up{false};
    std::atomic<std::int64_t> lastEventMs{0};
    std::atomic<std::uint64_t> events{0};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> subscriptions{0};
    std::atomic<std::uint64_t> terminations{0}; // eventStreamTerminated
    std::atomic<std::uint64_t> reconciliations{0};
    std::atomic<std::uint64_t> downs{0};
    std::atomic<std::int64_t> resubscribeAtMs{0};
};

/// The market's user data, subscribed on the WebSocket API session (user-data-stream.md; the
/// listenKey streams were retired on 2026-02-20): `userDataStream.subscribe` after session.logon
/// with an Ed25519 key, `userDataStream.subscribe.signature` with an HMAC key. Events arrive
/// wrapped (`{"subscriptionId": n, "event": {...}}`): execution reports go to the OrderTracker,
/// balances become BalanceUpdated. After every subscription — the first, and each one after a lost
/// connection or an `eventStreamTerminated` — open orders and balances are reconciled, because
/// whatever happened meanwhile was told to nobody: every order we track that the exchange no longer
/// lists is asked about, and one it answers -2013 ("does not exist") for although it once
/// acknowledged it is settled, never left open. While the stream is not subscribed the market is
/// Degraded ("order stream down"), which halts placements; once Binance refused the keys it stays
/// down, says so with Binance's words, and stops asking.
/// Thread: the market's producer thread (with the session it rides on).
class UserDataStream : public QObject {
    Q_OBJECT
public:
    UserDataStream(WsApiConnection& session, MarketSpec market, EventSink sink,
                   std::shared_ptr<venue::OrderTracker> tracker, std::shared_ptr<UserStreamStats> stats,
                   std::shared_ptr<KeyStatus> keys, venue::StreamStatus& status, const Settings& settings,
                   QObject* parent = nullptr);
    void start();

private:
    void subscribe();
    void onReady();
    void onLost(const QString& reason);
    void onEvent(const QByteArray& event, int subscriptionId);
    void reconcile();
    void reconcileOrder(ClientOrderId id);
    void finishReconciliation();
    void down(const std::string& why);
    void publishBalance(const AssetBalance& balance);

    WsApiConnection& m_session;
    MarketSpec m_market;
    EventSink m_sink;
    std::string m_log;
    OrderParser m_parser;
    std::shared_ptr<venue::OrderTracker> m_tracker;
    std::shared_ptr<UserStreamStats> m_stats;
    std::shared_ptr<KeyStatus> m_keys;
    venue::StreamStatus& m_status;
    QTimer* m_resubscribe;
    venue::ReconnectBackoff m_backoff;
    std::map<std::string, AssetBalance> m_balances;
    int m_subscriptionId = -1;
    int m_pendingQueries = 0;
    std::uint64_t m_generation = 0; // answers for an older subscription are dropped
};

} // namespace md::binance
