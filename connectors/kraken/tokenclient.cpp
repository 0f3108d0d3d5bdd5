#include "kraken/tokenclient.h"

#include "kraken/krakensignature.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

#include <atomic>

namespace md::kraken {

namespace {
// Kraken wants the nonce to grow per API key; several markets of one process share a key.
std::uint64_t nextNonce() {
    static std::atomic<std::uint64_t> last{0};
    std::uint64_t now = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch()) * 1000;
    std::uint64_t prev = last.load();
    while (!last.compare_exchange_weak(prev, std::max(now, prev + 1))) {
    }
    return std::max(now, prev + 1);
}
} // namespace

TokenClient::TokenClient(Settings settings, Credentials credentials, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_credentials(std::move(credentials))
    , m_net(new QNetworkAccessManager(this)) {}

void TokenClient::fetch() {
    const QByteArray path = "/0/private/GetWebSocketsToken";
    const QByteArray nonce = QByteArray::number(static_cast<qulonglong>(nextNonce()));
    const QByteArray body = "nonce=" + nonce;
    const QByteArray signature = sign(m_credentials.apiSecret, path, nonce, body);
    if (signature.isEmpty()) {
        emit failed("the API secret is not base64 (Kraken's secrets are)");
        return;
    }
    QNetworkRequest request(QUrl(QString::fromStdString(m_settings.restUrl) + QString::fromLatin1(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
    request.setRawHeader("API-Key", m_credentials.apiKey);
    request.setRawHeader("API-Sign", signature);
    request.setTransferTimeout(m_settings.requestTimeoutMs);
    QNetworkReply* reply = m_net->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            emit failed("GetWebSocketsToken: " + reply->errorString());
            return;
        }
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        const QJsonArray errors = o.value("error").toArray();
        const QString token = o.value("result").toObject().value("token").toString();
        if (!errors.isEmpty() || token.isEmpty()) {
            emit failed("GetWebSocketsToken: " +
                        (errors.isEmpty() ? QString("no token in the answer") : errors.at(0).toString()));
            return;
        }
        emit tokenReady(token);
    });
}

} // namespace md::kraken
