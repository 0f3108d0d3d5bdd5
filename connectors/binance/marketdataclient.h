#pragma once

#include "binance/binanceparser.h"
#include "binance/binancesettings.h"
#include "binance/connectionstatus.h"
#include "binance/depthsync.h"
#include "binance/reconnectbackoff.h"
#include "binance/restclient.h"

#include "engine/connector.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <random>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;
class QWebSocket;

namespace md::binance {

/// Live figures of the market-data side, read by the connector's inspector from any thread.
struct MarketDataStats {
    std::atomic<std::uint64_t> frames{0};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> resyncs{0};
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<std::uint64_t> snapshots{0};
    std::atomic<std::int64_t> lastFrameMs{0};
    std::atomic<std::int64_t> reconnectAtMs{0};  // 0: connected
    std::atomic<std::uint64_t> ageReconnects{0}; // planned reconnects before Binance's 24-hour cut
};

/// The producer side of a Binance market: the combined WebSocket stream (depth diffs, bookTicker,
/// trades), the documented local-book procedure with REST snapshots, resync on a gap or a malformed
/// frame (market Degraded meanwhile), reconnection with exponential backoff and jitter, and a
/// planned reconnect before the connection reaches Binance's 24-hour limit.
/// Thread: the market's producer thread (created there, with its sockets).
class MarketDataClient : public QObject {
    Q_OBJECT
public:
    MarketDataClient(Settings settings, MarketSpec market, EventSink sink, std::shared_ptr<MarketDataStats> stats,
                     std::shared_ptr<RestGate> gate, ConnectionStatus& status, QObject* parent = nullptr);
    ~MarketDataClient() override;
    void start();

private:
    void connectStream();
    void onConnected();
    void onDisconnected();
    void onFrame(const QString& frame);
    void requestSnapshot();
    void onSnapshot(QNetworkReply* reply);
    void resync(const std::string& why);
    void degrade(const std::string& why);
    void publishWholeBook();

    Settings m_settings;
    MarketSpec m_market;
    EventSink m_sink;
    std::shared_ptr<MarketDataStats> m_stats;
    std::shared_ptr<RestGate> m_gate;
    ConnectionStatus& m_status;
    Parser m_parser;
    DepthSync m_sync;
    QWebSocket* m_socket;
    QNetworkAccessManager* m_net;
    QTimer* m_reconnect;
    QTimer* m_maxAge; // reconnects before Binance's 24-hour cut
    ReconnectBackoff m_backoff;
    bool m_snapshotPending = false;
    bool m_degraded = true;
};

} // namespace md::binance
