#include "binance/marketdataclient.h"

#include "common/staleconnectionwatch.h"
#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace md::binance {

int depthWeight(int limit) {
    if (limit <= 100)
        return 5;
    if (limit <= 500)
        return 25;
    if (limit <= 1000)
        return 50;
    return 250;
}

MarketDataClient::MarketDataClient(Settings settings, MarketSpec market, EventSink sink,
                                   std::shared_ptr<MarketDataStats> stats, RestClient& rest,
                                   venue::StreamStatus& status, int bookPriceScale, int bookQuantityScale,
                                   QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_market(std::move(market))
    , m_sink(std::move(sink))
    , m_stats(std::move(stats))
    , m_rest(rest)
    , m_status(status)
    , m_parser(bookPriceScale, bookQuantityScale)
    , m_sync(bookPriceScale, bookQuantityScale)
    , m_priceScale(bookPriceScale)
    , m_quantityScale(bookQuantityScale)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_reconnect(new QTimer(this))
    , m_maxAge(new QTimer(this))
    , m_pinger(new QTimer(this))
    , m_watch(new venue::StaleConnectionWatch(m_settings.silenceTimeoutMs, this))
    , m_backoff(m_settings.backoffInitialMs, m_settings.backoffMaxMs) {
    m_reconnect->setSingleShot(true);
    m_maxAge->setSingleShot(true);
    m_maxAge->setInterval(static_cast<int>(std::min<std::int64_t>(m_settings.maxConnectionAgeMs, INT32_MAX)));
    connect(m_maxAge, &QTimer::timeout, this, [this] {
        m_stats->ageReconnects.fetch_add(1);
        reconnectNow("market data connection is " + std::to_string(m_settings.maxConnectionAgeMs / 1000) +
                     " s old: reconnecting before Binance cuts it");
    });
    m_pinger->setInterval(std::max(50, m_settings.silenceTimeoutMs / 3));
    connect(m_pinger, &QTimer::timeout, this, [this] { m_socket->ping(); });
    connect(m_watch, &venue::StaleConnectionWatch::silent, this, [this](int ms) {
        m_stats->silentDrops.fetch_add(1);
        reconnectNow("nothing heard on the market data stream for " + std::to_string(ms) + " ms: connection dead");
    });
    connect(m_reconnect, &QTimer::timeout, this, &MarketDataClient::connectStream);
    connect(m_socket, &QWebSocket::connected, this, &MarketDataClient::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &MarketDataClient::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &MarketDataClient::onFrame);
    connect(m_socket, &QWebSocket::pong, this, [this] { m_watch->heard(); });
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
    // Stream names are lower case; a non-ASCII symbol is percent-encoded (CHANGELOG 2025-12-02:
    // "WebSocket Market Streams supports URL-encoded urls").
    const QString symbol = QString::fromStdString(m_market.instrument.symbol).toLower();
    QUrl url(QString::fromStdString(m_settings.streamUrl) + "/stream");
    url.setQuery(QString("streams=%1@depth@100ms/%1@bookTicker/%1@trade").arg(symbol));
    logging::get("market." + m_market.name)->info("connecting to {}", url.toString().toStdString());
    m_socket->open(url);
}

void MarketDataClient::onConnected() {
    ++m_connection;
    m_maxAge->start();
    m_pinger->start();
    m_watch->start();
    // The backoff is not reset here: a server that accepts and drops at once must not get a storm.
    m_sync.reset();
    // Binance's procedure: the stream first (diffs are buffered), then the snapshot.
    requestSnapshot();
}

void MarketDataClient::onDisconnected() {
    m_maxAge->stop();
    m_pinger->stop();
    m_watch->stop();
    m_sync.reset();
    m_snapshotPending = false;
    if (m_reconnect->isActive()) { // a planned reconnect: it is already scheduled
        degrade("market data stream reconnecting");
        return;
    }
    const int delay = m_backoff.next();
    m_stats->reconnects.fetch_add(1);
    m_stats->reconnectAtMs.store(wallNowMs() + delay);
    const std::string reason = "market data stream disconnected (" + m_socket->errorString().toStdString() +
                               "): reconnecting in " + std::to_string(delay) + " ms";
    logging::get("market." + m_market.name)->warn("{}", reason);
    degrade(reason);
    m_reconnect->start(delay);
}

void MarketDataClient::reconnectNow(const std::string& why) {
    logging::get("market." + m_market.name)->info("{}", why);
    m_backoff.reset();
    m_stats->reconnects.fetch_add(1);
    m_reconnect->start(0);
    m_socket->abort();
}

void MarketDataClient::requestSnapshot() {
    if (m_snapshotPending)
        return;
    m_snapshotPending = true;
    const std::uint64_t connection = m_connection;
    m_rest.sendAsync(
        {"GET",
         "/api/v3/depth",
         {{"symbol", QByteArray::fromStdString(m_market.instrument.symbol)},
          {"limit", QByteArray::number(m_settings.depthLimit)}},
         RestClient::Auth::None,
         depthWeight(m_settings.depthLimit)},
        [this, connection](Response r) {
            m_snapshotPending = false;
            // A snapshot that arrives after the stream dropped belongs to no stream:
            // the reconnect asks again.
            if (connection != m_connection || m_socket->state() != QAbstractSocket::ConnectedState)
                return;
            onSnapshot(r);
        },
        this);
}

void MarketDataClient::onSnapshot(const Response& r) {
    auto log = logging::get("market." + m_market.name);
    if (r.notSent || r.status == 429 || r.status == 418) {
        // The host's budget is spent or paused (429/418): every market on it waits; so do we.
        // After a 429 the budget is paused: the next attempt is held there until Retry-After.
        const std::int64_t wait = std::max<std::int64_t>(r.retryInMs, m_settings.backoffInitialMs);
        degrade("rate limited: " + r.describe());
        QTimer::singleShot(static_cast<int>(std::min<std::int64_t>(wait, 600'000)), this,
                           &MarketDataClient::requestSnapshot);
        return;
    }
    if (!r.ok()) {
        log->warn("depth snapshot failed: {}; retrying", r.describe());
        QTimer::singleShot(m_settings.backoffInitialMs, this, &MarketDataClient::requestSnapshot);
        return;
    }
    auto parsed =
        m_parser.parseDepthSnapshot(std::string_view(r.body.constData(), static_cast<std::size_t>(r.body.size())));
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_stats->parseErrors.fetch_add(1);
        m_sink.reportParseError("depth snapshot: " + error->message);
        QTimer::singleShot(m_settings.backoffInitialMs, this, &MarketDataClient::requestSnapshot);
        return;
    }
    m_stats->snapshots.fetch_add(1);
    switch (m_sync.onSnapshot(std::get<DepthSnapshot>(parsed))) {
    case DepthSync::Outcome::SnapshotTooOld:
        log->info("snapshot older than the buffered diffs: fetching again");
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
    update.changes.reserve(book.depth(Side::Bid) + book.depth(Side::Ask));
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
    const std::int64_t arrivedNs = steadyNowNs(); // before the parse: the frame's way in is measured whole
    m_watch->heard();
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
    std::visit(
        Overloaded{
            [&](DepthDiff& diff) {
                BookUpdated update{diff.finalUpdateId, false, {}};
                update.changes.reserve(diff.bids.size() + diff.asks.size());
                for (const auto& l : diff.bids)
                    update.changes.push_back(
                        {Side::Bid, Price(l.price, m_priceScale), Quantity(l.quantity, m_quantityScale)});
                for (const auto& l : diff.asks)
                    update.changes.push_back(
                        {Side::Ask, Price(l.price, m_priceScale), Quantity(l.quantity, m_quantityScale)});
                const std::uint64_t first = diff.firstUpdateId;
                const std::uint64_t before = m_sync.lastUpdateId();
                switch (m_sync.onDiff(std::move(diff))) {
                case DepthSync::Outcome::Applied:
                    m_stats->lastDepthInNs.store(arrivedNs, std::memory_order_relaxed);
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
            [&](StreamShutdown&) {
                m_stats->serverShutdowns.fetch_add(1);
                reconnectNow("serverShutdown on the market data stream: reconnecting before the cut");
            },
            [&](Ignored&) {}},
        std::get<StreamMessage>(parsed));
}

} // namespace md::binance
