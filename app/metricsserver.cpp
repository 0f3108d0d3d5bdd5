#include "metricsserver.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace md {
namespace {
// Per-connection state, kept on the socket itself.
constexpr const char* kBuffer = "md_request";
constexpr const char* kAnswered = "md_answered";
constexpr const char* kAcceptedAt = "md_accepted"; // the connection's number: lower is older
} // namespace

MetricsServer::MetricsServer(std::function<std::string()> render, Limits limits, QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_render(std::move(render))
    , m_limits(limits) {
    connect(m_server, &QTcpServer::newConnection, this, &MetricsServer::onNewConnection);
    // Out of descriptors (EMFILE): Qt pauses accepting; try again shortly instead of giving up.
    connect(m_server, &QTcpServer::acceptError, this,
            [this] { QTimer::singleShot(200, this, [this] { m_server->resumeAccepting(); }); });
}

MetricsServer::~MetricsServer() = default;

quint16 MetricsServer::listen(quint16 port, QString* error) {
    if (m_server->listen(QHostAddress::LocalHost, port))
        return m_server->serverPort();
    if (error)
        *error = m_server->errorString();
    return 0;
}

int MetricsServer::openConnections() const {
    return static_cast<int>(m_server->findChildren<QTcpSocket*>(QString(), Qt::FindDirectChildrenOnly).size());
}

void MetricsServer::onNewConnection() {
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        ++m_accepted;
        // At the cap the oldest connection makes room: descriptors stay bounded and a new scrape,
        // which sends its request at once, is served.
        auto open = m_server->findChildren<QTcpSocket*>(QString(), Qt::FindDirectChildrenOnly);
        open.removeOne(socket);
        while (open.size() >= m_limits.maxConnections) {
            QTcpSocket* oldest = open.front();
            for (QTcpSocket* s : open)
                if (s->property(kAcceptedAt).toLongLong() < oldest->property(kAcceptedAt).toLongLong())
                    oldest = s;
            open.removeOne(oldest);
            ++m_evicted;
            oldest->abort();
            oldest->deleteLater();
            oldest->setParent(nullptr);
        }
        socket->setParent(m_server);
        socket->setProperty(kAcceptedAt, m_accepted);
        socket->setReadBufferSize(m_limits.maxRequestBytes + 1);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, [socket] {
            socket->setParent(nullptr);
            socket->deleteLater();
        });
        // One deadline for the whole exchange: the request must arrive and the answer be taken in time.
        QTimer::singleShot(m_limits.idleTimeoutMs, socket, [this, socket] {
            ++m_timedOut;
            socket->abort();
            socket->setParent(nullptr);
            socket->deleteLater();
        });
    }
}

void MetricsServer::onReadyRead(QTcpSocket* socket) {
    if (socket->property(kAnswered).toBool()) {
        socket->read(socket->bytesAvailable()); // a request body, or more: not read into memory
        return;
    }
    QByteArray request = socket->property(kBuffer).toByteArray();
    request += socket->read(m_limits.maxRequestBytes + 1 - request.size());
    const qsizetype end = request.indexOf("\r\n\r\n");
    if (end < 0 && request.size() > m_limits.maxRequestBytes) {
        ++m_oversized;
        socket->setProperty(kAnswered, true);
        respond(socket, 431, "Request Header Fields Too Large", "request too large\n", true);
        return;
    }
    if (end < 0) {
        socket->setProperty(kBuffer, request);
        return;
    }
    socket->setProperty(kBuffer, QVariant());
    socket->setProperty(kAnswered, true);
    answer(socket, request.left(end), request.left(request.indexOf("\r\n")));
}

void MetricsServer::answer(QTcpSocket* socket, const QByteArray&, const QByteArray& requestLine) {
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || !parts[2].startsWith("HTTP/1.")) {
        respond(socket, 400, "Bad Request", "bad request\n", true);
        return;
    }
    const QByteArray& method = parts[0];
    const QByteArray path = parts[1].left(parts[1].indexOf('?') < 0 ? parts[1].size() : parts[1].indexOf('?'));
    if (method != "GET" && method != "HEAD") {
        respond(socket, 405, "Method Not Allowed", "only GET and HEAD\n", true, "Allow: GET, HEAD\r\n");
        return;
    }
    if (path != "/metrics") {
        respond(socket, 404, "Not Found", "not found: try /metrics\n", method == "GET");
        return;
    }
    const std::string text = m_render ? m_render() : std::string();
    respond(socket, 200, "OK", QByteArray(text.data(), static_cast<qsizetype>(text.size())), method == "GET");
}

void MetricsServer::respond(QTcpSocket* socket, int status, const char* reason, const QByteArray& body, bool withBody,
                            const QByteArray& extraHeaders) {
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + " " + reason + "\r\n";
    response += status == 200 ? "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                              : "Content-Type: text/plain; charset=utf-8\r\n";
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    response += extraHeaders;
    response += "Connection: close\r\n\r\n";
    if (withBody)
        response += body;
    socket->write(response);
    socket->disconnectFromHost(); // after the answer is written; the deadline still bounds a slow reader
}

} // namespace md
