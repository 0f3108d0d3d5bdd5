// The fake exchange's REST API: public endpoints, signed order endpoints (the signature checked
// over the percent-encoded bytes received), weights and their headers, the retired listenKey
// endpoints answering 410 Gone.
#include "fakebinanceexchange.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QUrlQuery>

namespace md::test {

namespace {
int depthWeight(int limit) {
    // rest-api.md "Order book": 1-100: 5, 101-500: 25, 501-1000: 50, 1001-5000: 250.
    return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}
} // namespace

QByteArray FakeBinanceExchange::exchangeInfoBody() const {
    QByteArray symbols;
    for (const auto& b : m_books)
        symbols +=
            (symbols.isEmpty() ? "" : ",") +
            QString(R"({"symbol":"%1","status":"TRADING","baseAsset":"%2","baseAssetPrecision":8,"quoteAsset":"%3",)"
                    R"("quotePrecision":8,"quoteAssetPrecision":8,"orderTypes":["LIMIT","MARKET"],)"
                    R"("filters":[{"filterType":"PRICE_FILTER","minPrice":"%4","maxPrice":"1000000.00000000",)"
                    R"("tickSize":"%4"},{"filterType":"LOT_SIZE","minQty":"%5","maxQty":"9000.00000000",)"
                    R"("stepSize":"%5"},{"filterType":"NOTIONAL","minNotional":"%6","applyMinToMarket":true,)"
                    R"("maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5},)"
                    R"({"filterType":"MAX_NUM_ORDERS","maxNumOrders":200}%7],"permissions":[],)"
                    R"("permissionSets":[["SPOT"]]})")
                .arg(b->symbol(), b->base, b->quote, b->tickSize, b->stepSize, b->minNotional,
                     b->extraFilters.isEmpty() ? QString() : "," + b->extraFilters)
                .toUtf8();
    return QString(R"({"timezone":"UTC","serverTime":%1,"rateLimits":[)"
                   R"({"rateLimitType":"REQUEST_WEIGHT","interval":"SECOND","intervalNum":%2,"limit":%3},)"
                   R"({"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":%4,"limit":%5},)"
                   R"({"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":300000}],)"
                   R"("exchangeFilters":[],"symbols":[)")
               .arg(serverNowMs())
               .arg(m_limiter.weightIntervalSeconds())
               .arg(m_limiter.weightLimit())
               .arg(m_limiter.orderIntervalSeconds())
               .arg(m_limiter.orderLimit())
               .toUtf8() +
           symbols + "]}";
}

QHttpServerResponse FakeBinanceExchange::respond(const Answer& a, int weight) {
    QHttpServerResponse response("application/json",
                                 a.silent ? QByteArray(R"({"code":-1007,"msg":"Timeout"})") : a.body,
                                 static_cast<QHttpServerResponse::StatusCode>(a.silent ? 503 : a.status));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (a.successFree && a.status == 200)
        m_limiter.refundWeight(weight);
    // rest-api.md "IP Limits": X-MBX-USED-WEIGHT-(intervalNum)(intervalLetter) on every answer.
    response.setHeader("X-MBX-USED-WEIGHT-" + QByteArray::number(m_limiter.weightIntervalSeconds()) + "S",
                       QByteArray::number(m_limiter.usedWeight(now)));
    if (a.orderCounted)
        response.setHeader("X-MBX-ORDER-COUNT-" + QByteArray::number(m_limiter.orderIntervalSeconds()) + "S",
                           QByteArray::number(m_limiter.usedOrders(now)));
    if (a.status == 429 || a.status == 418)
        response.setHeader("Retry-After", QByteArray::number(std::max<qint64>(1, (a.retryAfterMs - now + 999) / 1000)));
    return response;
}

std::optional<FakeBinanceExchange::Answer> FakeBinanceExchange::authenticateRest(const QHttpServerRequest& request,
                                                                                 Params& params) {
    const QByteArray apiKey = request.value("X-MBX-APIKEY");
    if (!m_keys.known(apiKey)) {
        ++m_keyRefusals;
        return apiError(401, -2015, "Invalid API-key, IP, or permissions for action.");
    }
    // totalParams = query string + body, exactly as received (rest-api.md "SIGNED Endpoint security").
    const QByteArray query = request.url().query(QUrl::FullyEncoded).toUtf8();
    const QByteArray body = request.body();
    for (const QByteArray& part : {query, body})
        for (const auto& [key, value] : QUrlQuery(QString::fromUtf8(part)).queryItems(QUrl::FullyDecoded))
            params[key] = value;
    ++m_signedRequests;
    const QByteArray total = query + body;
    const int at = total.lastIndexOf("signature=");
    if (at < 0)
        return apiError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const QByteArray given = QByteArray::fromPercentEncoding(total.mid(at + 10));
    QByteArray payload = total.left(at);
    if (payload.endsWith('&'))
        payload.chop(1);
    if (!m_keys.verify(apiKey, payload, given)) {
        ++m_signatureFailures;
        return apiError(400, -1022, "Signature for this request is not valid.");
    }
    return checkTimestamp(params);
}

QHttpServerResponse FakeBinanceExchange::restSigned(const QHttpServerRequest& request, int weight,
                                                    const std::function<Answer(Params&)>& operation,
                                                    const QString& what) {
    if (m_orderObserver)
        m_orderObserver(what);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (auto refused = decreed())
        return respond(*refused, 0);
    const bool placement = what.startsWith("POST");
    const auto verdict = m_limiter.admit(weight, placement, now);
    if (verdict.status != 200)
        return respond(limited(verdict), weight);
    Params params;
    if (auto refused = authenticateRest(request, params)) {
        if (placement)
            m_limiter.refundOrder();
        return respond(*refused, weight);
    }
    ++m_restOrderRequests;
    Answer a = operation(params);
    if (placement && !a.orderCounted)
        m_limiter.refundOrder();
    return respond(a, weight);
}

void FakeBinanceExchange::routeRest() {
    auto publicEndpoint = [this](int weight, std::function<Answer(const QHttpServerRequest&)> handler) {
        return [this, weight, handler](const QHttpServerRequest& request) {
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            if (auto refused = decreed())
                return respond(*refused, 0);
            int w = weight;
            if (w < 0) // depth: by limit
                w = depthWeight(QUrlQuery(request.url()).queryItemValue("limit").toInt());
            const auto verdict = m_limiter.admit(w, false, now);
            if (verdict.status != 200)
                return respond(limited(verdict), w);
            return respond(handler(request), w);
        };
    };
    m_http->route("/api/v3/depth", publicEndpoint(-1, [this](const QHttpServerRequest& request) {
                      const QUrlQuery query(request.url());
                      FakeBook* b = bookFor(query.queryItemValue("symbol"));
                      if (!b)
                          return apiError(400, -1121, "Invalid symbol.");
                      if (b->recorded() && query.queryItemValue("limit") != "1000")
                          return apiError(400, -1100, "the recording holds the limit=1000 snapshot only");
                      ++m_snapshots;
                      Answer a;
                      a.body = b->snapshotBody();
                      return a;
                  }));
    m_http->route("/api/v3/time", publicEndpoint(1, [this](const QHttpServerRequest&) {
                      Answer a;
                      a.body = "{\"serverTime\":" + QByteArray::number(serverNowMs()) + "}";
                      return a;
                  }));
    m_http->route("/api/v3/exchangeInfo", publicEndpoint(20, [this](const QHttpServerRequest& request) {
                      const QString symbol = QUrlQuery(request.url()).queryItemValue("symbol");
                      if (!symbol.isEmpty() && !bookFor(symbol))
                          return apiError(400, -1121, "Invalid symbol.");
                      Answer a;
                      a.body = exchangeInfoBody();
                      return a;
                  }));
    m_http->route("/api/v3/avgPrice", publicEndpoint(2, [this](const QHttpServerRequest& request) {
                      FakeBook* b = bookFor(QUrlQuery(request.url()).queryItemValue("symbol"));
                      if (!b || b->bids.empty() || b->asks.empty())
                          return apiError(400, -1121, "Invalid symbol.");
                      Answer a;
                      a.body = "{\"mins\":5,\"price\":\"" +
                               FakeBook::text((b->bids.begin()->first + b->asks.begin()->first) / 2).toUtf8() +
                               "\",\"closeTime\":" + QByteArray::number(serverNowMs()) + "}";
                      return a;
                  }));
    m_http->route("/api/v3/order", [this](const QHttpServerRequest& request) {
        switch (request.method()) {
        case QHttpServerRequest::Method::Post:
            return restSigned(
                request, 1, [this](Params& p) { return place(p); }, "POST /api/v3/order");
        case QHttpServerRequest::Method::Delete:
            return restSigned(
                request, 1, [this](Params& p) { return cancel(p); }, "DELETE /api/v3/order");
        case QHttpServerRequest::Method::Get:
            return restSigned(
                request, 4, [this](Params& p) { return queryOrder(p); }, "GET /api/v3/order");
        default:
            return respond(apiError(405, -1000, "Method not allowed."), 1);
        }
    });
    m_http->route("/api/v3/openOrders", [this](const QHttpServerRequest& request) {
        return restSigned(
            request, 6, [this](Params& p) { return openOrdersAnswer(p); }, "GET /api/v3/openOrders");
    });
    m_http->route("/api/v3/account", [this](const QHttpServerRequest& request) {
        return restSigned(
            request, 20, [this](Params&) { return account(); }, "GET /api/v3/account");
    });
    // Retired: listenKey management (CHANGELOG 2026-01-21, gone 2026-02-20; /api/v1 on 2026-03-25).
    for (const char* path : {"/api/v3/userDataStream", "/api/v1/userDataStream"})
        m_http->route(path, [this](const QHttpServerRequest&) {
            ++m_retiredCalls;
            return respond(apiError(410, -1000,
                                    "Gone: listenKey user data streams were retired; subscribe over the WebSocket API"),
                           1);
        });
}

} // namespace md::test
