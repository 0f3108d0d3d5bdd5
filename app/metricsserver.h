#pragma once

#include <QObject>

#include <functional>
#include <string>

class QTcpServer;
class QTcpSocket;

namespace md {

/// Serves GET and HEAD /metrics (Prometheus text) on 127.0.0.1 only, over a minimal HTTP/1.1 of its
/// own with limits, so that a client cannot exhaust the process: a request (line and headers) larger
/// than maxRequestBytes is answered 431 and closed without reading the rest; a connection without a
/// complete request, or that does not take its answer, within idleTimeoutMs is closed; at most
/// maxConnections are open (the oldest makes room for a new one, so a scrape still gets through);
/// methods other than GET and HEAD get 405. One request per connection ("Connection: close").
/// Thread: the main thread; `render` is called there on each GET.
class MetricsServer : public QObject {
    Q_OBJECT
public:
    struct Limits {
        int maxRequestBytes = 8192;
        int idleTimeoutMs = 5000;
        int maxConnections = 32;
    };

    explicit MetricsServer(std::function<std::string()> render, QObject* parent = nullptr)
        : MetricsServer(std::move(render), Limits{}, parent) {}
    MetricsServer(std::function<std::string()> render, Limits limits, QObject* parent = nullptr);
    ~MetricsServer() override;

    /// Listens on 127.0.0.1:port (0: any free port); returns the port, or 0 on failure (`error` says why).
    quint16 listen(quint16 port, QString* error = nullptr);
    void setRenderer(std::function<std::string()> render) { m_render = std::move(render); }

    int openConnections() const;
    qint64 acceptedConnections() const { return m_accepted; }
    qint64 refusedOversized() const { return m_oversized; }
    qint64 timedOut() const { return m_timedOut; }
    qint64 evicted() const { return m_evicted; }

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket* socket);
    void answer(QTcpSocket* socket, const QByteArray& head, const QByteArray& requestLine);
    void respond(QTcpSocket* socket, int status, const char* reason, const QByteArray& body, bool withBody,
                 const QByteArray& extraHeaders = {});

    QTcpServer* m_server;
    std::function<std::string()> m_render;
    Limits m_limits;
    qint64 m_accepted = 0;
    qint64 m_oversized = 0;
    qint64 m_timedOut = 0;
    qint64 m_evicted = 0;
};

} // namespace md
