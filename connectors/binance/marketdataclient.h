#pragma once

#include "binance/binanceparser.h"
#include "binance/depthsync.h"
#include "binance/restclient.h"

#include "common/reconnectbackoff.h"
#include "common/streamstatus.h"
#include "engine/connector.h"

#include <QObject>

#include <atomic>
#include <memory>

class QTimer;
class QWebSocket;

namespace md::venue {
class StaleConnectionWatch;
}

namespace md::binance {

/// Live figures of the market-data side, read by the connector's inspector from any thread.
struct MarketDataStats {
    std::atomic<std::uint64_t> frames{0};
    std::atomic<std::uint64_t> parseErrors{0};
    std::atomic<std::uint64_t> resyncs{0};
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<std::uint64_t> snapshots{0};
    std::atomic<std::int64_t> lastFrameMs{0};
    std::atomic<std::int64_t> reconnectAtMs{0};    // 0: connected
    std::atomic<std::uint64_t> ageReconnects{0};   // planned reconnects before Binance's 24-hour cut
    std::atomic<std::uint64_t> serverShutdowns{0}; // reconnects on Binance's serverShutdown
    std::atomic<std::uint64_t> silentDrops{0};     // connections declared dead after silence
    // When the last applied depth frame came out of the socket, before its parse (steady clock, ns):
    // issue 13 part 9's benchmark splits the frame's way in with it.
    std::atomic<std::int64_t> lastDepthInNs{0};
};

/// The producer side of a Binance market: the combined WebSocket stream (depth diffs, bookTicker,
/// trades), the documented local-book procedure with REST snapshots (from the host's shared rate
/// budget), resync on a gap or a malformed frame (market Degraded meanwhile), reconnection with
/// exponential backoff and jitter, at once on `serverShutdown`, when the connection has been silent
/// for longer than Binance's 20-second pings allow, and before Binance's 24-hour limit. The book is
/// kept at the exchange's own precision (`bookPriceScale`, `bookQuantityScale`).
/// Thread: the market's producer thread (created there, with its sockets).
class MarketDataClient : public QObject {
    Q_OBJECT
public:
    MarketDataClient(Settings settings, MarketSpec market, EventSink sink, std::shared_ptr<MarketDataStats> stats,
                     RestClient& rest, venue::StreamStatus& status, int bookPriceScale, int bookQuantityScale,
                     QObject* parent = nullptr);
    ~MarketDataClient() override;
    void start();

private:
    void connectStream();
    void onConnected();
    void onDisconnected();
    void onFrame(const QString& frame);
    void requestSnapshot();
    void onSnapshot(const Response& response);
    void reconnectNow(const std::string& why);
    void resync(const std::string& why);
    void degrade(const std::string& why);
    void publishWholeBook();

    Settings m_settings;
    MarketSpec m_market;
    EventSink m_sink;
    std::shared_ptr<MarketDataStats> m_stats;
    RestClient& m_rest;
    venue::StreamStatus& m_status;
    Parser m_parser;
    DepthSync m_sync;
    int m_priceScale;
    int m_quantityScale;
    QWebSocket* m_socket;
    QTimer* m_reconnect;
    QTimer* m_maxAge; // reconnects before Binance's 24-hour cut
    QTimer* m_pinger;
    venue::StaleConnectionWatch* m_watch;
    venue::ReconnectBackoff m_backoff;
    std::uint64_t m_connection = 0; // snapshots of an older connection are dropped
    bool m_snapshotPending = false;
    bool m_degraded = true;
};

/// The weight of GET /api/v3/depth for `limit` levels (rest-api.md "Order book").
int depthWeight(int limit);

} // namespace md::binance
