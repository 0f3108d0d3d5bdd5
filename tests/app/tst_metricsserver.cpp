// The metrics endpoint under hostile clients: huge requests, half-sent requests, too many
// connections, methods other than GET and HEAD. Raw sockets on loopback, the real server class.
#include "metricsserver.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace md;

namespace {

/// Sends `request` on a fresh connection and returns everything the server sent before closing.
QByteArray exchange(quint16 port, const QByteArray& request, int timeoutMs = 5000) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return "no connection";
    socket.write(request);
    QByteArray answer;
    QElapsedTimer t;
    t.start();
    while (socket.state() == QAbstractSocket::ConnectedState && t.elapsed() < timeoutMs) {
        QTest::qWait(5);
        answer += socket.readAll();
    }
    return answer + socket.readAll();
}

const QByteArray kBody = "marketdesk_uptime_seconds 1.000\n";

} // namespace

class TestMetricsServer : public QObject {
    Q_OBJECT

    std::unique_ptr<MetricsServer> serve(MetricsServer::Limits limits = {}) {
        auto server = std::make_unique<MetricsServer>([] { return kBody.toStdString(); }, limits);
        m_port = server->listen(0);
        return server;
    }
    quint16 m_port = 0;

private slots:
    void getAndHeadAreAnswered() {
        auto server = serve();
        QVERIFY(m_port != 0);
        const QByteArray get = exchange(m_port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY2(get.startsWith("HTTP/1.1 200 OK\r\n"), get.constData());
        QVERIFY(get.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
        QVERIFY(get.endsWith("\r\n\r\n" + kBody));
        const QByteArray head = exchange(m_port, "HEAD /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY2(head.startsWith("HTTP/1.1 200 OK\r\n"), head.constData());
        QVERIFY(head.contains(QByteArray("Content-Length: ") + QByteArray::number(kBody.size())));
        QVERIFY(head.endsWith("\r\n\r\n"));
        const QByteArray query = exchange(m_port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n");
        QVERIFY2(query.startsWith("HTTP/1.1 200 OK\r\n"), query.constData());
        QVERIFY(exchange(m_port, "GET /other HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404"));
    }

    void otherMethodsAreAnswered405_data() {
        QTest::addColumn<QByteArray>("method");
        for (const char* m : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "BREW"})
            QTest::newRow(m) << QByteArray(m);
    }
    void otherMethodsAreAnswered405() {
        QFETCH(QByteArray, method);
        auto server = serve();
        const QByteArray answer =
            exchange(m_port, method + " /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi");
        QVERIFY2(answer.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), answer.constData());
        QVERIFY(answer.contains("Allow: GET, HEAD\r\n"));
        QVERIFY(!answer.contains(kBody));
    }

    // A request line that never ends: the server stops reading at its limit, answers and closes,
    // instead of buffering it all (a 200 MB line once took the process from 33 MB to 438 MB).
    void oversizedRequestIsCutOffAtTheLimit() {
        MetricsServer::Limits limits;
        limits.maxRequestBytes = 8192;
        auto server = serve(limits);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray chunk(64 * 1024, 'a');
        socket.write("GET /");
        qint64 sent = 0;
        QByteArray answer;
        QElapsedTimer t;
        t.start();
        // Keep sending until the server has closed (or 16 MiB went through, which is the failure).
        while (socket.state() == QAbstractSocket::ConnectedState && sent < 16 * 1024 * 1024 && t.elapsed() < 10000) {
            if (socket.bytesToWrite() < 4 * chunk.size())
                sent += socket.write(chunk);
            QTest::qWait(1);
            answer += socket.readAll();
        }
        answer += socket.readAll();
        QVERIFY2(socket.state() != QAbstractSocket::ConnectedState,
                 qPrintable(QString("still connected after %1 bytes").arg(sent)));
        QVERIFY2(answer.isEmpty() || answer.startsWith("HTTP/1.1 431"), answer.left(200).constData());
        QTRY_COMPARE(server->openConnections(), 0);
        QVERIFY(server->refusedOversized() >= 1);
    }

    // Half a request, then silence: closed after the idle timeout.
    void halfSentRequestTimesOut() {
        MetricsServer::Limits limits;
        limits.idleTimeoutMs = 200;
        auto server = serve(limits);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /metr");
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 5000);
        QCOMPARE(server->openConnections(), 0);
        QVERIFY(server->timedOut() >= 1);
    }

    // Hundreds of idle connections never take more than the cap (no descriptor exhaustion), and a
    // scrape still gets its answer: the oldest idle connection makes room for a new one.
    void connectionsAreCappedAndAScrapeStillGetsThrough() {
        MetricsServer::Limits limits;
        limits.maxConnections = 8;
        auto server = serve(limits);
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        // In batches the listen backlog takes (a burst beyond it waits for SYN retransmissions).
        for (int batch = 1; batch <= 8; ++batch) {
            for (int i = 0; i < 25; ++i) {
                idle.push_back(std::make_unique<QTcpSocket>());
                idle.back()->connectToHost(QHostAddress::LocalHost, m_port);
            }
            QTRY_VERIFY_WITH_TIMEOUT(server->acceptedConnections() >= 25 * batch, 10000);
            QVERIFY2(server->openConnections() <= 8, qPrintable(QString::number(server->openConnections())));
        }
        const QByteArray get = exchange(m_port, "GET /metrics HTTP/1.1\r\n\r\n");
        QVERIFY2(get.startsWith("HTTP/1.1 200 OK\r\n"), get.constData());
        QVERIFY(server->openConnections() <= 8);
    }
};

QTEST_GUILESS_MAIN(TestMetricsServer)
#include "tst_metricsserver.moc"
