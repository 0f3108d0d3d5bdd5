#pragma once

#include <QObject>

#include <functional>
#include <memory>
#include <string>

class QHttpServer;

namespace md {

/// Serves GET /metrics (Prometheus text) on 127.0.0.1 only: never on another interface.
/// Thread: the main thread; `render` is called there on each scrape.
class MetricsServer : public QObject {
    Q_OBJECT
public:
    MetricsServer(std::function<std::string()> render, QObject* parent = nullptr);
    ~MetricsServer() override;
    /// Listens on 127.0.0.1:port (0: any free port); returns the port, or 0 on failure.
    quint16 listen(quint16 port);

private:
    std::unique_ptr<QHttpServer> m_server;
    std::function<std::string()> m_render;
};

} // namespace md
