// The fake exchange's WebSocket API (web-socket-api.md): requests as JSON text frames matched by
// id, signatures over the parameters sorted by name, session.logon for Ed25519 keys, user data
// subscriptions whose events are pushed on the same connection, rateLimits in every answer.
#include "fakebinanceexchange.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

#include <algorithm>

namespace md::test {

namespace {

int weightOf(const QString& method) {
    static const std::map<QString, int> weights{{"time", 1},
                                                {"ping", 1},
                                                {"session.logon", 2},
                                                {"session.status", 2},
                                                {"session.logout", 2},
                                                {"order.place", 1},
                                                {"userDataStream.subscribe", 2},
                                                {"order.cancel", 1},
                                                {"order.status", 4},
                                                {"openOrders.status", 6},
                                                {"account.status", 20},
                                                {"userDataStream.unsubscribe", 2},
                                                {"userDataStream.subscribe.signature", 2}};
    auto it = weights.find(method);
    return it == weights.end() ? 1 : it->second;
}

QString textOf(const QJsonValue& v) {
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (d == static_cast<double>(static_cast<qint64>(d)))
            return QString::number(static_cast<qint64>(d));
        return QString::number(d, 'f', 3);
    }
    if (v.isBool())
        return v.toBool() ? "true" : "false";
    return {};
}

} // namespace

void FakeBinanceExchange::acceptWsApi(QWebSocket* socket) {
    ++m_wsApiAccepted;
    // Connecting to the WebSocket API costs 2 weight (web-socket-api.md "IP Limits").
    m_limiter.admit(2, false, QDateTime::currentMSecsSinceEpoch());
    auto session = std::make_unique<Session>();
    session->socket = socket;
    Session* raw = session.get();
    m_sessions[socket] = std::move(session);
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, raw](const QString& frame) { onWsApiFrame(*raw, frame); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        m_sessions.erase(socket);
        m_pingSentAt.erase(socket);
        socket->deleteLater();
    });
}

QByteArray FakeBinanceExchange::rateLimitsJson() {
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return QString(R"([{"rateLimitType":"REQUEST_WEIGHT","interval":"SECOND","intervalNum":%1,"limit":%2,"count":%3},)"
                   R"({"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":%4,"limit":%5,"count":%6}])")
        .arg(m_limiter.weightIntervalSeconds())
        .arg(m_limiter.weightLimit())
        .arg(m_limiter.usedWeight(now))
        .arg(m_limiter.orderIntervalSeconds())
        .arg(m_limiter.orderLimit())
        .arg(m_limiter.usedOrders(now))
        .toUtf8();
}

void FakeBinanceExchange::answerWs(Session& session, const QJsonValue& id, const Answer& a) {
    if (a.silent)
        return; // the fault: accepted, never answered
    QByteArray frame = "{\"id\":" + QJsonDocument(QJsonArray{id}).toJson(QJsonDocument::Compact).mid(1);
    frame.chop(1);
    frame += ",\"status\":" + QByteArray::number(a.status);
    if (a.status == 200) {
        frame += ",\"result\":" + a.body;
    } else {
        QJsonObject error = QJsonDocument::fromJson(a.body).object();
        if (a.retryAfterMs > 0)
            error["data"] = QJsonObject{{"serverTime", static_cast<qint64>(serverNowMs())},
                                        {"retryAfter", static_cast<qint64>(a.retryAfterMs)}};
        frame += ",\"error\":" + QJsonDocument(error).toJson(QJsonDocument::Compact);
    }
    frame += ",\"rateLimits\":" + rateLimitsJson() + "}";
    session.socket->sendTextMessage(QString::fromUtf8(frame));
}

std::optional<FakeBinanceExchange::Answer> FakeBinanceExchange::authenticateWs(Session& session, Params& params,
                                                                               bool requireSignature) {
    if (!params.count("signature") && !session.loggedOnKey.isEmpty() && !requireSignature) {
        if (!m_keys.known(session.loggedOnKey)) {
            ++m_keyRefusals;
            return apiError(401, -2015, "Invalid API-key, IP, or permissions for action.");
        }
        return checkTimestamp(params);
    }
    const QByteArray apiKey = params["apiKey"].toUtf8();
    if (!m_keys.known(apiKey)) {
        ++m_keyRefusals;
        return apiError(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
    ++m_signedRequests;
    // web-socket-api.md "SIGNED request security": every parameter but signature, sorted by name,
    // "name=value" joined with '&', values in UTF-8 as sent.
    QByteArray payload;
    for (const auto& [name, value] : params) { // std::map: sorted by name
        if (name == "signature")
            continue;
        if (!payload.isEmpty())
            payload += '&';
        payload += name.toUtf8() + '=' + value.toUtf8();
    }
    if (!m_keys.verify(apiKey, payload, params["signature"].toUtf8())) {
        ++m_signatureFailures;
        return apiError(400, -1022, "Signature for this request is not valid.");
    }
    return checkTimestamp(params);
}

void FakeBinanceExchange::onWsApiFrame(Session& session, const QString& text) {
    if (m_stalled)
        return;
    const QJsonObject request = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString method = request.value("method").toString();
    if (m_orderObserver && method.startsWith("order."))
        m_orderObserver(method);
    const QJsonValue id = request.value("id");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (auto refused = decreed())
        return answerWs(session, id, *refused);
    const int weight = weightOf(method);
    const bool placement = method == "order.place";
    const auto verdict = m_limiter.admit(weight, placement, now);
    if (verdict.status != 200)
        return answerWs(session, id, limited(verdict));
    Params params;
    const QJsonObject p = request.value("params").toObject();
    for (auto it = p.begin(); it != p.end(); ++it)
        params[it.key()] = textOf(it.value());
    auto subscribe = [&](const QByteArray& key) {
        const int subscriptionId = m_nextSubscriptionId++;
        session.subscriptions[subscriptionId] = key;
        ++m_subscriptionsStarted;
        Answer a;
        a.body = "{\"subscriptionId\":" + QByteArray::number(subscriptionId) + "}";
        return a;
    };
    Answer answer;
    if (method == "time") {
        answer.body = "{\"serverTime\":" + QByteArray::number(serverNowMs()) + "}";
    } else if (method == "session.logon") {
        // Only Ed25519 keys may log on (web-socket-api.md "Session Authentication").
        const QByteArray key = params["apiKey"].toUtf8();
        if (auto refused = authenticateWs(session, params, true))
            answer = *refused;
        else if (!m_keys.isEd25519(key))
            answer = apiError(400, -4056, "HMAC_SHA256 API key is not supported.");
        else {
            session.loggedOnKey = key;
            ++m_logons;
            answer.body = QString(R"({"apiKey":"%1","authorizedSince":%2,"connectedSince":%2,)"
                                  R"("returnRateLimits":true,"serverTime":%2,"userDataStream":false})")
                              .arg(QString::fromUtf8(key))
                              .arg(serverNowMs())
                              .toUtf8();
        }
    } else if (method == "session.status") {
        answer.body = QString(R"({"apiKey":%1,"serverTime":%2,"userDataStream":%3})")
                          .arg(session.loggedOnKey.isEmpty() ? "null" : "\"" + session.loggedOnKey + "\"")
                          .arg(serverNowMs())
                          .arg(session.subscriptions.empty() ? "false" : "true")
                          .toUtf8();
    } else if (method == "userDataStream.subscribe") {
        if (session.loggedOnKey.isEmpty() || !m_keys.known(session.loggedOnKey))
            answer = apiError(401, -2015, "Invalid API-key, IP, or permissions for action.");
        else
            answer = subscribe(session.loggedOnKey);
    } else if (method == "userDataStream.subscribe.signature") {
        if (auto refused = authenticateWs(session, params, true))
            answer = *refused;
        else
            answer = subscribe(params["apiKey"].toUtf8());
    } else if (method == "userDataStream.unsubscribe") {
        const QByteArray time = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
        for (auto it = session.subscriptions.begin(); it != session.subscriptions.end();) {
            if (params.count("subscriptionId") && params["subscriptionId"].toInt() != it->first) {
                ++it;
                continue;
            }
            session.socket->sendTextMessage(QString::fromUtf8(R"({"subscriptionId":)" + QByteArray::number(it->first) +
                                                              R"(,"event":{"e":"eventStreamTerminated","E":)" + time +
                                                              "}}"));
            it = session.subscriptions.erase(it);
        }
        answer.body = "{}";
    } else if (method == "order.place" || method == "order.cancel" || method == "order.status" ||
               method == "openOrders.status" || method == "account.status") {
        if (auto refused = authenticateWs(session, params, false)) {
            answer = *refused;
        } else {
            ++m_wsOrderRequests;
            if (method == "order.place")
                answer = place(params);
            else if (method == "order.cancel")
                answer = cancel(params);
            else if (method == "order.status")
                answer = queryOrder(params);
            else if (method == "openOrders.status")
                answer = openOrdersAnswer(params);
            else
                answer = account();
        }
    } else {
        answer = apiError(400, -1020, "This operation is not supported.");
    }
    if (placement && !answer.orderCounted)
        m_limiter.refundOrder();
    if (answer.successFree && answer.status == 200)
        m_limiter.refundWeight(weight);
    answerWs(session, id, answer);
}

void FakeBinanceExchange::revokeKeys() {
    m_keys.revokeAll();
    // web-socket-api.md "Regarding API key revocation": the session is revoked with id null.
    for (const auto& [socket, session] : m_sessions) {
        if (session->loggedOnKey.isEmpty() && session->subscriptions.empty())
            continue;
        session->loggedOnKey.clear();
        session->subscriptions.clear();
        socket->sendTextMessage(
            R"({"id":null,"status":401,"error":{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}})");
    }
}

} // namespace md::test
