#include "binance/marketdataclient.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <cmath>

namespace md::binance {

MarketDataClient::MarketDataClient(Settings settings, MarketSpec market, EventSink sink,
                                   std::shared_ptr<MarketDataStats> stats, std::shared_ptr<RestGate> gate,
                                   ConnectionStatus& status, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_market(std::move(market))
    , m_sink(std::move(sink))
    , m_stats(std::move(stats))
    , m_gate(std::move(gate))
    , m_status(status)
    , m_parser(m_market.instrument.priceScale(), m_market.instrument.quantityScale())
    , m_sync(m_market.instrument.priceScale(), m_market.instrument.quantityScale())
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_net(new QNetworkAccessManager(this))
    , m_reconnect(new QTimer(this))
    , m_maxAge(new QTimer(this))
    , m_backoff(m_settings.backoffInitialMs, m_settings.backoffMaxMs) {
    m_reconnect->setSingleShot(true);
    m_maxAge->setSingleShot(true);
    m_maxAge->setInterval(static_cast<int>(std::min<std::int64_t>(m_settings.maxConnectionAgeMs, INT32_MAX)));
    connect(m_maxAge, &QTimer::timeout, this, [this] {
        m_stats->ageReconnects.fetch_add(1);
        logging::get("market." + m_market.name)
            ->info("market data connection is {} s old: reconnecting before Binance cuts it",
                   m_settings.maxConnectionAgeMs / 1000);
        m_backoff.reset();
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, "planned reconnect");
    });
    connect(m_reconnect, &QTimer::timeout, this, &MarketDataClient::connectStream);
    connect(m_socket, &QWebSocket::connected, this, &MarketDataClient::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &MarketDataClient::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &MarketDataClient::onFrame);
}

MarketDataClient::~MarketDataClient() {
    m_socket->disconnect(this);
    m_socket->abort();
}

void MarketDataClient::start() {
    degrade("book not synced yet");
    connectStream();
}

void MarketDataClient::connectStream() {
    m_stats->reconnectAtMs.store(0);
    const QString symbol = QString::fromStdString(m_market.instrument.symbol).toLower();
    const QUrl url(QString::fromStdString(m_settings.streamUrl) +
                   QString("/stream?streams=%1@depth@100ms/%1@bookTicker/%1@trade").arg(symbol));
    logging::get("market." + m_market.name)->info("connecting to {}", url.toString().toStdString());
    m_socket->open(url);
}

void MarketDataClient::onConnected() {
    m_maxAge->start();
    // The backoff is not reset here: a server that accepts and drops at once must not get a storm.
    m_sync.reset();
    // Binance's procedure: the stream first (diffs are buffered), then the snapshot.
    requestSnapshot();
}

void MarketDataClient::onDisconnected() {
    const int delay = m_backoff.next();
    m_stats->reconnects.fetch_add(1);
    m_stats->reconnectAtMs.store(wallNowMs() + delay);
    m_sync.reset();
    m_maxAge->stop();
    const std::string reason = "market data stream disconnected (" + m_socket->errorString().toStdString() +
                               "): reconnecting in " + std::to_string(delay) + " ms";
    logging::get("market." + m_market.name)->warn("{}", reason);
    degrade(reason);
    m_reconnect->start(delay);
}

void MarketDataClient::requestSnapshot() {
    if (m_snapshotPending)
        return;
    // 429/418: nothing goes to that host until Retry-After has passed.
    const std::int64_t wait = m_gate->cooldownUntilMs.load() - wallNowMs();
    if (wait > 0) {
        QTimer::singleShot(static_cast<int>(wait), this, &MarketDataClient::requestSnapshot);
        return;
    }
    m_snapshotPending = true;
    QNetworkRequest request(
        QUrl(QString::fromStdString(m_settings.restUrl) + QString("/api/v3/depth?symbol=%1&limit=%2")
                                                              .arg(QString::fromStdString(m_market.instrument.symbol))
                                                              .arg(m_settings.depthLimit)));
    request.setTransferTimeout(m_settings.requestTimeoutMs);
    QNetworkReply* reply = m_net->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onSnapshot(reply); });
}

void MarketDataClient::onSnapshot(QNetworkReply* reply) {
    reply->deleteLater();
    m_snapshotPending = false;
    // A snapshot that arrives after the stream dropped belongs to no stream: the reconnect asks again.
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (const QByteArray weight = reply->rawHeader("X-MBX-USED-WEIGHT-1M"); !weight.isEmpty())
        m_gate->usedWeight.store(weight.toInt());
    if (status == 429 || status == 418) {
        const int seconds = std::max(1, reply->rawHeader("Retry-After").toInt());
        m_gate->cooldownUntilMs.store(wallNowMs() + seconds * 1000LL);
        m_gate->cooldowns.fetch_add(1);
        logging::get("market." + m_market.name)
            ->warn("HTTP {} from Binance: no request until Retry-After ({} s) has passed", status, seconds);
        degrade("rate limited (HTTP " + std::to_string(status) + "): waiting " + std::to_string(seconds) + " s");
        requestSnapshot(); // schedules itself after the cooldown
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        logging::get("market." + m_market.name)
            ->warn("depth snapshot failed: {}; retrying", reply->errorString().toStdString());
        QTimer::singleShot(m_settings.backoffInitialMs, this, &MarketDataClient::requestSnapshot);
        return;
    }
    const QByteArray body = reply->readAll();
    auto parsed =
        m_parser.parseDepthSnapshot(std::string_view(body.constData(), static_cast<std::size_t>(body.size())));
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_stats->parseErrors.fetch_add(1);
        m_sink.reportParseError("depth snapshot: " + error->message);
        QTimer::singleShot(m_settings.backoffInitialMs, this, &MarketDataClient::requestSnapshot);
        return;
    }
    m_stats->snapshots.fetch_add(1);
    switch (m_sync.onSnapshot(std::get<DepthSnapshot>(parsed))) {
    case DepthSync::Outcome::SnapshotTooOld:
        logging::get("market." + m_market.name)->info("snapshot older than the buffered diffs: fetching again");
        requestSnapshot();
        return;
    case DepthSync::Outcome::Gap:
        resync("gap while replaying the buffered diffs");
        return;
    default:
        m_backoff.reset(); // a healthy connection: the next drop starts the backoff from the beginning
        publishWholeBook();
        if (m_degraded) {
            m_degraded = false;
            m_status.set("book", {});
        }
    }
}

void MarketDataClient::publishWholeBook() {
    BookUpdated update{m_sync.lastUpdateId(), true, {}};
    const OrderBook& book = m_sync.book();
    for (Side side : {Side::Bid, Side::Ask})
        for (const auto& l : book.rawSide(side))
            update.changes.push_back(
                {side, Price(l.price, book.priceScale()), Quantity(l.quantity, book.quantityScale())});
    m_sink.fire(std::move(update));
}

void MarketDataClient::resync(const std::string& why) {
    m_stats->resyncs.fetch_add(1);
    logging::get("market." + m_market.name)->warn("{}: book discarded, resyncing", why);
    degrade(why + ": resyncing");
    m_sync.reset();
    requestSnapshot();
}

void MarketDataClient::degrade(const std::string& why) {
    m_degraded = true;
    m_status.set("book", why);
}

void MarketDataClient::onFrame(const QString& frame) {
    m_stats->frames.fetch_add(1, std::memory_order_relaxed);
    m_stats->lastFrameMs.store(wallNowMs(), std::memory_order_relaxed);
    const QByteArray bytes = frame.toUtf8();
    auto parsed =
        m_parser.parseStreamFrame(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_stats->parseErrors.fetch_add(1);
        m_sink.reportParseError(error->message);
        // A diff may have been in it: the book can no longer be trusted.
        if (bytes.contains("@depth"))
            resync("malformed depth frame");
        return;
    }
    const int ps = m_market.instrument.priceScale();
    const int qs = m_market.instrument.quantityScale();
    std::visit(
        Overloaded{
            [&](DepthDiff& diff) {
                BookUpdated update{diff.finalUpdateId, false, {}};
                for (const auto& l : diff.bids)
                    update.changes.push_back({Side::Bid, Price(l.price, ps), Quantity(l.quantity, qs)});
                for (const auto& l : diff.asks)
                    update.changes.push_back({Side::Ask, Price(l.price, ps), Quantity(l.quantity, qs)});
                const std::uint64_t first = diff.firstUpdateId;
                const std::uint64_t before = m_sync.lastUpdateId();
                switch (m_sync.onDiff(std::move(diff))) {
                case DepthSync::Outcome::Applied:
                    m_sink.fire(std::move(update), 0);
                    break;
                case DepthSync::Outcome::Gap:
                    resync("gap in the depth stream (U " + std::to_string(first) + " after u " +
                           std::to_string(before) + ")");
                    break;
                default:
                    break;
                }
            },
            [&](BookTicker&) {},
            [&](Trade& t) {
                m_sink.fire(TradePrinted{t.price, t.quantity, t.buyerIsMaker ? Side::Ask : Side::Bid}, t.tradeTimeMs);
            },
            [&](Ignored&) {}},
        std::get<StreamMessage>(parsed));
}

} // namespace md::binance
