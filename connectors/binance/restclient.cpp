#include "binance/restclient.h"

#include "binance/binancesignature.h"
#include "binance/orderparser.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

#include <cstdlib>

namespace md::binance {

Credentials Credentials::resolve(const Settings& settings) {
    Credentials c;
    if (!settings.apiKey.empty()) {
        c.apiKey = QByteArray::fromStdString(settings.apiKey);
        c.apiSecret = QByteArray::fromStdString(settings.apiSecret);
        c.source = "config";
        return c;
    }
    const char* key = std::getenv(settings.apiKeyEnv.c_str());
    const char* secret = std::getenv(settings.apiSecretEnv.c_str());
    if (key && secret && *key && *secret) {
        c.apiKey = QByteArray(key).trimmed();
        c.apiSecret = QByteArray(secret).trimmed();
        c.source = "environment (" + settings.apiKeyEnv + ", " + settings.apiSecretEnv + ")";
    }
    return c;
}

std::string RestClient::Response::describe() const {
    if (notSent)
        return "not sent: " + error;
    if (status == 0)
        return "no answer: " + error;
    if (auto api = OrderParser::parseApiError(body))
        return "HTTP " + std::to_string(status) + ", Binance " + std::to_string(api->code) + ": " + api->message;
    return "HTTP " + std::to_string(status);
}

RestClient::RestClient(Settings settings, Credentials credentials, std::shared_ptr<RestGate> gate, std::string logName,
                       QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_credentials(std::move(credentials))
    , m_gate(std::move(gate))
    , m_logName(std::move(logName))
    , m_net(new QNetworkAccessManager(this)) {}

RestClient::~RestClient() = default;

void RestClient::sendAsync(const QByteArray& method, const QString& path, QByteArray params, Auth auth,
                           std::function<void(Response)> done) {
    const std::int64_t wait = m_gate->cooldownUntilMs.load() - wallNowMs();
    if (wait > 0) {
        // 429/418: the host said when to come back; nothing at all is sent before that.
        m_gate->requestsRefusedInCooldown.fetch_add(1);
        Response r;
        r.notSent = true;
        r.error = "rate-limit cooldown, " + std::to_string((wait + 999) / 1000) + " s left";
        done(std::move(r));
        return;
    }
    if (auth != Auth::None && !m_credentials.present()) {
        Response r;
        r.notSent = true;
        r.error = "no API key";
        done(std::move(r));
        return;
    }
    if (auth == Auth::Signed) {
        if (!params.isEmpty())
            params += '&';
        params += "recvWindow=" + QByteArray::number(m_settings.recvWindowMs) +
                  "&timestamp=" + QByteArray::number(static_cast<qint64>(wallNowMs() + m_gate->clockSkewMs.load()));
        // The signature covers exactly the bytes sent; it goes last so the server can strip it.
        params += "&signature=" + sign(m_credentials.apiSecret, params);
    }
    // A signed POST carries its parameters in the body (form-encoded), everything else in the query.
    const bool inBody = method == "POST" && auth == Auth::Signed;
    QUrl url(QString::fromStdString(m_settings.restUrl) + path);
    if (!inBody && !params.isEmpty())
        url.setQuery(QString::fromLatin1(params), QUrl::StrictMode);
    QNetworkRequest request(url);
    request.setTransferTimeout(m_settings.requestTimeoutMs);
    if (auth != Auth::None)
        request.setRawHeader("X-MBX-APIKEY", m_credentials.apiKey);
    if (inBody)
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
    m_gate->requests.fetch_add(1);
    QNetworkReply* reply = m_net->sendCustomRequest(request, method, inBody ? params : QByteArray());
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] { done(finish(reply)); });
}

RestClient::Response RestClient::finish(QNetworkReply* reply) {
    reply->deleteLater();
    Response r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    if (r.status == 0)
        r.error = reply->errorString().toStdString();
    const QByteArray weight = reply->rawHeader("X-MBX-USED-WEIGHT-1M");
    if (!weight.isEmpty())
        m_gate->usedWeight.store(weight.toInt());
    if (r.status == 429 || r.status == 418) {
        bool ok = false;
        int seconds = reply->rawHeader("Retry-After").toInt(&ok);
        if (!ok || seconds < 1)
            seconds = 60; // no usable Retry-After: wait a full weight window
        m_gate->cooldownUntilMs.store(wallNowMs() + seconds * 1000LL);
        m_gate->cooldowns.fetch_add(1);
        logging::get(m_logName)->warn("HTTP {} from Binance on {}: no request until Retry-After ({} s) has passed",
                                      r.status, reply->url().path().toStdString(), seconds);
    }
    return r;
}

RestClient::Response RestClient::send(const QByteArray& method, const QString& path, const QByteArray& params,
                                      Auth auth) {
    for (int attempt = 0;; ++attempt) {
        Response result;
        bool done = false;
        QEventLoop loop;
        sendAsync(method, path, params, auth, [&](Response r) {
            result = std::move(r);
            done = true;
            loop.quit();
        });
        if (!done)
            loop.exec();
        // -1021: our timestamp is outside recvWindow. The clock drifted: measure it again, once.
        if (attempt == 0 && auth == Auth::Signed && result.status == 400) {
            if (auto api = OrderParser::parseApiError(result.body); api && api->code == -1021) {
                logging::get(m_logName)->warn("Binance -1021 (timestamp outside recvWindow): resyncing the clock");
                if (syncClock())
                    continue;
            }
        }
        return result;
    }
}

bool RestClient::syncClock() {
    const std::int64_t before = wallNowMs();
    const Response r = send("GET", "/api/v3/time", {}, Auth::None);
    const std::int64_t after = wallNowMs();
    const auto server = r.ok() ? OrderParser::parseServerTime(r.body) : std::nullopt;
    if (!server) {
        logging::get(m_logName)->warn("server time not available ({})", r.describe());
        return false;
    }
    m_gate->clockSkewMs.store(*server - (before + after) / 2);
    m_gate->clockSynced.store(true);
    return true;
}

} // namespace md::binance
