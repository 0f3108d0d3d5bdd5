#pragma once

#include <QHostAddress>
#include <QObject>

#include <map>
#include <memory>
#include <random>
#include <set>

class QHttpServer;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace md::test {

/// A local stand-in for Binance Spot on loopback, speaking its wire protocol: REST
/// `GET /api/v3/depth` and `GET /api/v3/time`, and the combined WebSocket stream
/// (`/stream?streams=<sym>@depth@100ms/<sym>@bookTicker/<sym>@trade`) from a book it moves itself.
/// Faults for tests: a dropped diff (gap), a stale snapshot, malformed frames, dropped connections,
/// refused connections for a while.
/// Thread: the thread that creates it (its timers and sockets live there).
class FakeBinanceExchange : public QObject {
    Q_OBJECT
public:
    explicit FakeBinanceExchange(QString symbol = "BTCUSDT", std::uint64_t seed = 1, QObject* parent = nullptr);
    ~FakeBinanceExchange() override;

    /// Listens on 127.0.0.1 (REST and WebSocket on two ports); false when it cannot.
    bool listen(quint16 restPort = 0, quint16 streamPort = 0);
    QString restUrl() const;
    QString streamUrl() const;

    void setUpdateIntervalMs(int ms);
    void pauseUpdates(bool paused);
    /// The next diff's update ids are skipped on the stream (the book moves on): a gap.
    void dropNextDiff() { m_dropNext = true; }
    /// The next snapshot served is this many update ids old.
    void serveStaleSnapshot(std::uint64_t age) { m_staleBy = age; }
    void sendMalformedFrame();
    void dropConnections();
    void refuseConnectionsFor(int ms);
    /// REST answers `status` (429 or 418) with `Retry-After: seconds` until that time has passed.
    void rateLimit(int status, int retryAfterSeconds);
    /// REST requests that arrived while the client had been told to wait (a well-behaved client: 0).
    int requestsDuringCooldown() const { return m_requestsDuringCooldown; }

    std::pair<QString, QString> bestBidAsk() const; // exact texts, 8 decimals
    std::uint64_t lastUpdateId() const { return m_lastUpdateId; }
    int connectionsAccepted() const { return m_accepted; }
    int connectionsRefused() const { return m_refused; }
    int snapshotsServed() const { return m_snapshots; }

private:
    void tick();
    void broadcast(const QByteArray& frame);
    QByteArray snapshotBody(std::uint64_t age) const;
    static QString text(std::int64_t units);

    QString m_symbol;
    QString m_lower;
    std::mt19937_64 m_rng;
    std::map<std::int64_t, std::int64_t, std::greater<>> m_bids; // 8-decimal units
    std::map<std::int64_t, std::int64_t> m_asks;
    std::uint64_t m_lastUpdateId = 1000;
    std::unique_ptr<QHttpServer> m_http;
    QWebSocketServer* m_ws;
    std::set<QWebSocket*> m_clients;
    QTimer* m_timer;
    quint16 m_restPort = 0;
    quint16 m_streamPort = 0;
    bool m_dropNext = false;
    std::uint64_t m_staleBy = 0;
    qint64 m_refuseUntilMs = 0;
    int m_accepted = 0;
    int m_refused = 0;
    int m_snapshots = 0;
    int m_limitStatus = 0;
    qint64 m_limitedUntilMs = 0;
    bool m_limitAnnounced = false;
    int m_requestsDuringCooldown = 0;
};

} // namespace md::test
