// TLS certificate errors are never ignored for real endpoints: an HTTPS server on loopback that
// presents a self-signed certificate is refused by the Binance connector's REST client — the
// request never reaches it — and the same server is accepted once its certificate is trusted, so
// the refusal is the certificate's doing and nothing else's.
#include "binance/binancesettings.h"
#include "binance/restclient.h"
#include "logging/logging.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTest>

using namespace md;

namespace {

/// Answers every request that gets through the handshake with Binance's server time.
class TinyHttpsServer : public QSslServer {
public:
    int requests = 0;
    int handshakeErrors = 0;

    TinyHttpsServer() {
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        QFile cert(MD_TLS_DIR "/selfsigned.crt"), key(MD_TLS_DIR "/selfsigned.key");
        if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly))
            qFatal("test certificate missing");
        certificate = QSslCertificate(cert.readAll(), QSsl::Pem);
        config.setLocalCertificate(certificate);
        config.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa, QSsl::Pem));
        setSslConfiguration(config);
        connect(this, &QSslServer::errorOccurred, this,
                [this](QSslSocket*, QAbstractSocket::SocketError) { ++handshakeErrors; });
        connect(this, &QSslServer::handshakeInterruptedOnError, this,
                [this](QSslSocket*, const QSslError&) { ++handshakeErrors; });
        connect(this, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (auto* socket = nextPendingConnection()) {
                connect(socket, &QIODevice::readyRead, socket, [this, socket] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return;
                    ++requests;
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 29\r\n"
                                  "Connection: close\r\n\r\n{\"serverTime\":1499827319559}");
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QSslCertificate certificate;
};

binance::SessionShared shared() {
    binance::SessionShared s;
    s.limits = std::make_shared<binance::RateLimits>(std::make_shared<venue::RateBudget>("127.0.0.1"));
    return s;
}

binance::Settings settingsFor(quint16 port) {
    std::string error;
    auto s = binance::Settings::parse(QJsonObject{{"rest_url", QString("https://127.0.0.1:%1").arg(port)},
                                                  {"stream_url", QString("wss://127.0.0.1:%1").arg(port)},
                                                  {"request_timeout_ms", 3000}},
                                      "settings", error);
    if (!s)
        qFatal("%s", error.c_str());
    return *s;
}

} // namespace

class TestTls : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        logging::init({spdlog::level::warn, true, {}});
        if (!QSslSocket::supportsSsl())
            QFAIL("no TLS backend: the connector could not reach real Binance either");
    }

    void selfSignedCertificateIsRefused() {
        TinyHttpsServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        binance::RestClient rest(settingsFor(server.serverPort()), {}, shared(), "tls-test");
        const auto r = rest.send({"GET", "/api/v3/time", {}, binance::RestClient::Auth::None, 1});
        QCOMPARE(r.status, 0);
        QVERIFY2(QString::fromStdString(r.transportError).contains("SSL", Qt::CaseInsensitive) ||
                     QString::fromStdString(r.transportError).contains("certificate", Qt::CaseInsensitive),
                 r.transportError.c_str());
        QCOMPARE(server.requests, 0); // nothing was sent over the untrusted connection
    }

    void sameServerIsAcceptedOnceItsCertificateIsTrusted() {
        TinyHttpsServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QSslConfiguration trusted = QSslConfiguration::defaultConfiguration();
        const QSslConfiguration original = trusted;
        trusted.addCaCertificate(server.certificate);
        QSslConfiguration::setDefaultConfiguration(trusted);
        binance::RestClient rest(settingsFor(server.serverPort()), {}, shared(), "tls-test");
        const auto r = rest.send({"GET", "/api/v3/time", {}, binance::RestClient::Auth::None, 1});
        QSslConfiguration::setDefaultConfiguration(original);
        QVERIFY2(r.ok(), r.describe().c_str());
        QCOMPARE(r.body, QByteArray("{\"serverTime\":1499827319559}"));
        QCOMPARE(server.requests, 1);
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
