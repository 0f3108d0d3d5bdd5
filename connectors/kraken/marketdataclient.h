#pragma once

#include "kraken/krakenbook.h"
#include "kraken/krakenparser.h"
#include "kraken/krakensettings.h"
#include "kraken/krakenstats.h"

#include "common/reconnectbackoff.h"
#include "common/streamstatus.h"

#include "engine/connector.h"

#include <QObject>

#include <memory>
#include <string>

class QTimer;
class QWebSocket;

namespace md::venue {
class StaleConnectionWatch;
}

namespace md::kraken {

/// The public side of a Kraken market over WebSocket v2 (https://docs.kraken.com/exchange/api-reference/
/// spot-websocket-v2/book, .../instrument, .../trade, .../status): `instrument` first — the pair's
/// precision and increments, checked against the configured instrument (a mismatch fails the market) —
/// then `book` at the configured depth and `trade`. Every book message is applied, the book truncated
/// to the depth, and its CRC32 checksum verified; a mismatch marks the market Degraded, is counted, and
/// the book is resubscribed for a fresh snapshot. Ping, silence detection, reconnect with backoff and
/// jitter; the `status` channel's trading state reaches health and halts placements.
/// Thread: the market's producer thread (created there, with its socket).
class MarketDataClient : public QObject {
    Q_OBJECT
public:
    MarketDataClient(Settings settings, MarketSpec market, EventSink sink, std::shared_ptr<MarketDataStats> stats,
                     std::shared_ptr<TradingState> trading, venue::StreamStatus& status, QObject* parent = nullptr);
    ~MarketDataClient() override;
    void start();
    /// Set when the instrument cannot be traded as configured (the producer fails the market with it).
    const std::string& fatal() const { return m_fatal; }
    bool instrumentChecked() const { return m_instrumentChecked; }

signals:
    void instrumentReady();
    void instrumentRefused();

private:
    void connectSocket();
    void onConnected();
    void onDisconnected();
    void onFrame(const QString& frame);
    void onInstrument(const InstrumentMessage& m);
    void onBook(const BookMessage& m);
    void onStatus(const StatusMessage& m);
    void onAnswer(const MethodAnswer& a);
    void subscribeBook();
    void resync(const std::string& why);
    void publish(const BookMessage& m);
    void sendJson(const QByteArray& json);

    Settings m_settings;
    MarketSpec m_market;
    std::string m_log;
    std::string m_symbol; // Kraken's spelling, "BTC/USD"
    EventSink m_sink;
    std::shared_ptr<MarketDataStats> m_stats;
    std::shared_ptr<TradingState> m_trading;
    venue::StreamStatus& m_status;
    Parser m_parser;
    KrakenBook m_book;
    QWebSocket* m_socket;
    QTimer* m_reconnect;
    QTimer* m_ping;
    venue::StaleConnectionWatch* m_watch;
    venue::ReconnectBackoff m_backoff;
    std::uint64_t m_reqId = 0;
    bool m_bookLive = false; // a verified snapshot is in the book
    bool m_instrumentChecked = false;
    std::string m_fatal;
    std::uint64_t m_updateId = 0;
};

} // namespace md::kraken
