#include "binance/restclient.h"

#include "binance/orderparser.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

namespace md::binance {

bool Response::outcomeUnknown() const {
    if (notSent)
        return false;
    // errors.md: -1006 "Execution status unknown", -1007 "Send status unknown; execution status
    // unknown" — whatever HTTP status carries them.
    if (error && (error->code == -1006 || error->code == -1007))
        return true;
    return status == 0 || status >= 500;
}

std::string Response::describe() const {
    if (notSent)
        return "not sent: " + transportError;
    if (status == 0)
        return "no answer: " + transportError;
    if (error)
        return "HTTP " + std::to_string(status) + ", Binance " + std::to_string(error->code) + ": " + error->message;
    return "HTTP " + std::to_string(status);
}

std::optional<Response> preflight(bool needsKeys, bool haveKeys, const SessionShared& shared,
                                  const std::vector<venue::RateCost>& costs) {
    Response r;
    r.notSent = true;
    if (needsKeys && !haveKeys) {
        r.transportError = "no API key";
        return r;
    }
    if (needsKeys && shared.keys->refused()) {
        r.transportError = shared.keys->refusal();
        return r;
    }
    const auto grant = shared.limits->budget().tryAcquire(costs);
    if (grant.granted)
        return std::nullopt;
    r.transportError = "rate budget of " + shared.limits->budget().name() + ": " + grant.reason + ", next in " +
                       std::to_string(grant.waitMs) + " ms";
    r.retryInMs = grant.waitMs;
    return r;
}

RestClient::RestClient(Settings settings, Credentials credentials, SessionShared shared, std::string logName,
                       QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_credentials(std::move(credentials))
    , m_shared(std::move(shared))
    , m_logName(std::move(logName))
    , m_net(new QNetworkAccessManager(this)) {}

RestClient::~RestClient() = default;

void RestClient::sendAsync(Request request, std::function<void(Response)> done, QObject* context) {
    const auto costs = m_shared.limits->costs(request.weight, request.orders);
    if (auto refused = preflight(request.auth != Auth::None, m_credentials.present(), m_shared, costs))
        return done(std::move(*refused));
    QByteArray query;
    std::int64_t timestamp = 0;
    if (request.auth == Auth::Signed) {
        timestamp = m_shared.clock->nowMs();
        request.params.push_back({"recvWindow", QByteArray::number(m_settings.recvWindowMs)});
        request.params.push_back({"timestamp", QByteArray::number(static_cast<qint64>(timestamp))});
        query = restQuery(request.params);
        // The signature covers exactly the (percent-encoded) bytes sent; it goes last.
        query += "&signature=" + QUrl::toPercentEncoding(QString::fromLatin1(m_credentials.sign(query)));
    } else {
        query = restQuery(request.params);
    }
    // A signed POST carries its parameters in the body (form-encoded), everything else in the query.
    const bool inBody = request.method == "POST" && request.auth == Auth::Signed;
    QUrl url(QString::fromStdString(m_settings.restUrl) + request.path);
    if (!inBody && !query.isEmpty())
        url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    QNetworkRequest http(url);
    http.setTransferTimeout(m_settings.requestTimeoutMs);
    if (request.auth != Auth::None)
        http.setRawHeader("X-MBX-APIKEY", m_credentials.apiKey());
    if (inBody)
        http.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
    QNetworkReply* reply = m_net->sendCustomRequest(http, request.method, inBody ? query : QByteArray());
    connect(reply, &QNetworkReply::finished, context ? context : this,
            [this, reply, request = std::move(request), costs, timestamp, done = std::move(done)] {
                Response r = finish(reply, request, costs);
                r.timestampMs = timestamp;
                done(std::move(r));
            });
}

Response RestClient::finish(QNetworkReply* reply, const Request& request, const std::vector<venue::RateCost>& costs) {
    reply->deleteLater();
    Response r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    if (r.status == 0) {
        r.transportError = reply->errorString().toStdString();
        // Refused before a byte of the request left: certainly not acted on.
        const auto e = reply->error();
        r.notSent = e == QNetworkReply::ConnectionRefusedError || e == QNetworkReply::HostNotFoundError ||
                    e == QNetworkReply::SslHandshakeFailedError;
        if (r.notSent)
            m_shared.limits->budget().refund(costs);
        return r;
    }
    r.error = OrderParser::parseApiError(r.body);
    for (const auto& [name, value] : reply->rawHeaderPairs())
        m_shared.limits->observeHeader(name, value);
    if (request.freeOnSuccess && r.ok())
        m_shared.limits->budget().refund(m_shared.limits->weightOnly(request.weight));
    if (r.error && KeyStatus::isKeyRefusal(r.error->code) && request.auth != Auth::None) {
        logging::get(m_logName)->error("Binance refused the API key or signature: {} {}", r.error->code,
                                       r.error->message);
        m_shared.keys->refuse("Binance " + std::to_string(r.error->code) + ": " + r.error->message);
    }
    if (r.status == 429 || r.status == 418) {
        bool ok = false;
        int seconds = reply->rawHeader("Retry-After").toInt(&ok);
        if (!ok || seconds < 1)
            seconds = 60; // no usable Retry-After: wait a full weight window
        // Limits are per IP: every market on this host waits (rest-api.md "IP Limits").
        const std::string why = "HTTP " + std::to_string(r.status) + " from " + m_shared.limits->budget().name() +
                                ": nothing is sent there until Retry-After (" + std::to_string(seconds) + " s)";
        m_shared.limits->budget().pauseUntil(wallNowMs() + seconds * 1000LL, why);
        logging::get(m_logName)->warn("{} ({} {})", why, request.method.toStdString(), request.path.toStdString());
    }
    return r;
}

Response RestClient::send(const Request& request) {
    for (int attempt = 0;; ++attempt) {
        Response result;
        bool done = false;
        QEventLoop loop;
        sendAsync(request, [&](Response r) {
            result = std::move(r);
            done = true;
            loop.quit();
        });
        if (!done)
            loop.exec();
        // -1021: our timestamp is outside recvWindow. The clock drifted: measure it again, once.
        if (attempt == 0 && request.auth == Auth::Signed && result.code() == -1021) {
            logging::get(m_logName)->warn("Binance -1021 (timestamp outside recvWindow): measuring the clock again");
            if (syncClock())
                continue;
        }
        return result;
    }
}

bool RestClient::syncClock() {
    const std::int64_t before = wallNowMs();
    const Response r = send({"GET", "/api/v3/time", {}, Auth::None, 1});
    const std::int64_t after = wallNowMs();
    const auto server = r.ok() ? OrderParser::parseServerTime(r.body) : std::nullopt;
    if (!server) {
        logging::get(m_logName)->warn("server time not available ({})", r.describe());
        return false;
    }
    m_shared.clock->measure(*server, before, after);
    return true;
}

} // namespace md::binance
