#include "metricsserver.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerResponse>

namespace md {

MetricsServer::MetricsServer(std::function<std::string()> render, QObject* parent)
    : QObject(parent)
    , m_server(std::make_unique<QHttpServer>())
    , m_render(std::move(render)) {
    m_server->route("/metrics", [this] {
        const std::string text = m_render();
        return QHttpServerResponse("text/plain; version=0.0.4; charset=utf-8",
                                   QByteArray(text.data(), static_cast<qsizetype>(text.size())));
    });
}

MetricsServer::~MetricsServer() = default;

quint16 MetricsServer::listen(quint16 port) {
    return m_server->listen(QHostAddress::LocalHost, port);
}

} // namespace md
