#include "kraken/marketdataclient.h"

#include "common/staleconnectionwatch.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace md::kraken {

MarketDataClient::MarketDataClient(Settings settings, MarketSpec market, EventSink sink,
                                   std::shared_ptr<MarketDataStats> stats, std::shared_ptr<TradingState> trading,
                                   venue::StreamStatus& status, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_market(std::move(market))
    , m_log("market." + m_market.name)
    , m_symbol(m_market.instrument.symbol)
    , m_sink(std::move(sink))
    , m_stats(std::move(stats))
    , m_trading(std::move(trading))
    , m_status(status)
    , m_book(m_settings.depth)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_reconnect(new QTimer(this))
    , m_ping(new QTimer(this))
    , m_watch(new venue::StaleConnectionWatch(m_settings.silenceTimeoutMs, this))
    , m_backoff(m_settings.backoffInitialMs, m_settings.backoffMaxMs) {
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, &MarketDataClient::connectSocket);
    connect(m_socket, &QWebSocket::connected, this, &MarketDataClient::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &MarketDataClient::onDisconnected);
    // A refused connection never connects, so it never disconnects either: the error starts the backoff.
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &MarketDataClient::onFrame);
    connect(m_ping, &QTimer::timeout, this,
            [this] { sendJson("{\"method\":\"ping\",\"req_id\":" + QByteArray::number(++m_reqId) + "}"); });
    connect(m_watch, &venue::StaleConnectionWatch::silent, this, [this](int ms) {
        logging::get(m_log)->warn("Kraken market data silent for {} ms: reconnecting", ms);
        m_socket->abort();
    });
}

MarketDataClient::~MarketDataClient() {
    m_socket->disconnect(this);
    m_socket->abort();
}

void MarketDataClient::start() {
    m_status.set("book", "book not synced yet");
    connectSocket();
}

void MarketDataClient::connectSocket() {
    m_stats->reconnectAtMs.store(0);
    logging::get(m_log)->info("connecting to {}", m_settings.wsUrl);
    m_socket->open(QUrl(QString::fromStdString(m_settings.wsUrl)));
}

void MarketDataClient::sendJson(const QByteArray& json) {
    if (m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->sendTextMessage(QString::fromUtf8(json));
}

void MarketDataClient::onConnected() {
    // The backoff is reset only once a verified book arrives: a server that accepts and drops at once
    // must not get a storm.
    m_watch->start();
    m_ping->start(m_settings.pingIntervalMs);
    m_bookLive = false;
    m_book.clear();
    sendJson("{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\",\"snapshot\":true},\"req_id\":" +
             QByteArray::number(++m_reqId) + "}");
}

void MarketDataClient::onDisconnected() {
    if (m_reconnect->isActive())
        return; // already scheduled (the error and the disconnection of one failure)
    m_watch->stop();
    m_ping->stop();
    const int delay = m_backoff.next();
    m_stats->reconnects.fetch_add(1);
    m_stats->reconnectAtMs.store(wallNowMs() + delay);
    m_bookLive = false;
    m_book.clear();
    const std::string reason = "Kraken market data disconnected (" + m_socket->errorString().toStdString() +
                               "): reconnecting in " + std::to_string(delay) + " ms";
    logging::get(m_log)->warn("{}", reason);
    m_status.set("book", reason);
    m_reconnect->start(delay);
}

void MarketDataClient::subscribeBook() {
    sendJson("{\"method\":\"subscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"" +
             QByteArray::fromStdString(m_symbol) + "\"],\"depth\":" + QByteArray::number(m_settings.depth) +
             ",\"snapshot\":true},\"req_id\":" + QByteArray::number(++m_reqId) + "}");
}

// A checksum that does not match means our book is wrong: it is dropped and a fresh snapshot asked for
// by subscribing again (the checksum guide's remedy).
void MarketDataClient::resync(const std::string& why) {
    m_stats->resyncs.fetch_add(1);
    logging::get(m_log)->warn("{}: book discarded, resubscribing for a fresh snapshot", why);
    m_status.set("book", why + ": resyncing");
    m_bookLive = false;
    m_book.clear();
    sendJson("{\"method\":\"unsubscribe\",\"params\":{\"channel\":\"book\",\"symbol\":[\"" +
             QByteArray::fromStdString(m_symbol) + "\"],\"depth\":" + QByteArray::number(m_settings.depth) +
             "},\"req_id\":" + QByteArray::number(++m_reqId) + "}");
    subscribeBook();
}

void MarketDataClient::onFrame(const QString& frame) {
    m_watch->heard();
    m_stats->frames.fetch_add(1, std::memory_order_relaxed);
    m_stats->lastFrameMs.store(wallNowMs(), std::memory_order_relaxed);
    const QByteArray bytes = frame.toUtf8();
    auto parsed = m_parser.parse(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
    if (auto* error = std::get_if<ParseError>(&parsed)) {
        m_stats->parseErrors.fetch_add(1);
        m_sink.reportParseError(error->message);
        // A book message may have been in it: the book can no longer be trusted.
        if (bytes.contains("\"book\"") && m_bookLive)
            resync("malformed book message");
        return;
    }
    std::visit(Overloaded{[&](const BookMessage& m) { onBook(m); },
                          [&](const InstrumentMessage& m) { onInstrument(m); },
                          [&](const TradeMessage& m) {
                              for (const Trade& t : m.trades) {
                                  const auto price = t.price.rescaled(m_market.instrument.priceScale());
                                  const auto qty = t.quantity.rescaled(m_market.instrument.quantityScale());
                                  if (!price || !qty || t.symbol != m_symbol) {
                                      m_stats->parseErrors.fetch_add(1);
                                      m_sink.reportParseError("trade finer than the instrument's decimals");
                                      continue;
                                  }
                                  m_sink.fire(TradePrinted{Price(*price), Quantity(*qty), t.aggressor});
                              }
                          },
                          [&](const StatusMessage& m) { onStatus(m); }, [&](const MethodAnswer& a) { onAnswer(a); },
                          [&](const auto&) {}},
               std::get<Message>(parsed));
}

void MarketDataClient::onInstrument(const InstrumentMessage& m) {
    const PairInfo* pair = nullptr;
    for (const PairInfo& p : m.pairs)
        if (p.symbol == m_symbol)
            pair = &p;
    if (!pair) {
        if (m.snapshot && !m_instrumentChecked) {
            m_fatal = "Kraken does not list " + m_symbol;
            emit instrumentRefused();
        }
        return;
    }
    const Instrument& in = m_market.instrument;
    std::string problem;
    if (in.priceScale() < pair->pricePrecision)
        problem = "instrument.price_tick " + in.tick.toTrimmedString() + " has fewer decimals than Kraken's " +
                  "price_precision " + std::to_string(pair->pricePrecision);
    else if (in.quantityScale() < pair->qtyPrecision)
        problem = "instrument.quantity_step " + in.step.toTrimmedString() + " has fewer decimals than Kraken's " +
                  "qty_precision " + std::to_string(pair->qtyPrecision);
    else if (pair->priceIncrement.isPositive() && !in.tick.decimal().isMultipleOf(pair->priceIncrement))
        problem = "instrument.price_tick " + in.tick.toTrimmedString() + " does not fit Kraken's price_increment " +
                  pair->priceIncrement.toTrimmedString();
    else if (pair->qtyIncrement.isPositive() && !in.step.decimal().isMultipleOf(pair->qtyIncrement))
        problem = "instrument.quantity_step " + in.step.toTrimmedString() + " does not fit Kraken's qty_increment " +
                  pair->qtyIncrement.toTrimmedString();
    else if ((!in.base.empty() && in.base != pair->base) || (!in.quote.empty() && in.quote != pair->quote))
        problem = "instrument.base/quote " + in.base + "/" + in.quote + " differ from Kraken's " + pair->base + "/" +
                  pair->quote;
    if (!problem.empty()) {
        m_fatal = problem + " for " + m_symbol;
        if (!m_instrumentChecked)
            emit instrumentRefused();
        else
            m_status.set("instrument", m_fatal);
        return;
    }
    m_trading->setPair(pair->status);
    m_status.set("pair", pair->status == "online" || pair->status == "post_only" || pair->status == "limit_only"
                             ? std::string()
                             : "Kraken lists " + m_symbol + " as " + pair->status);
    const bool precisionChanged =
        m_parser.pricePrecision() != pair->pricePrecision || m_parser.qtyPrecision() != pair->qtyPrecision;
    m_parser.setBookPrecision(pair->pricePrecision, pair->qtyPrecision);
    if (!m_instrumentChecked) {
        m_instrumentChecked = true;
        emit instrumentReady();
    }
    if (m.snapshot || precisionChanged) {
        m_bookLive = false;
        m_book.clear();
        subscribeBook();
        sendJson("{\"method\":\"subscribe\",\"params\":{\"channel\":\"trade\",\"symbol\":[\"" +
                 QByteArray::fromStdString(m_symbol) +
                 "\"],\"snapshot\":false},\"req_id\":" + QByteArray::number(++m_reqId) + "}");
    }
}

void MarketDataClient::onBook(const BookMessage& m) {
    if (m.symbol != m_symbol)
        return;
    if (!m.snapshot && !m_bookLive)
        return; // updates for the book we discarded, before the fresh snapshot
    m_book.apply(m);
    m_stats->lastBookMs.store(wallNowMs(), std::memory_order_relaxed);
    const std::uint32_t ours = m_book.checksum();
    if (ours != m.checksum) {
        m_stats->checksumFailures.fetch_add(1);
        resync("book checksum mismatch (ours " + std::to_string(ours) + ", Kraken's " + std::to_string(m.checksum) +
               ")");
        return;
    }
    if (m.snapshot) {
        m_stats->snapshots.fetch_add(1);
        m_bookLive = true;
        m_backoff.reset(); // a healthy connection: the next drop starts the backoff from the beginning
        m_status.set("book", {});
    }
    publish(m);
}

void MarketDataClient::publish(const BookMessage& m) {
    const int pp = m_parser.pricePrecision();
    const int qp = m_parser.qtyPrecision();
    const int ps = m_market.instrument.priceScale();
    const int qs = m_market.instrument.quantityScale();
    // Units at Kraken's precision to units at the instrument's scale (never fewer decimals: checked).
    std::int64_t pf = 1, qf = 1;
    for (int i = pp; i < ps; ++i)
        pf *= 10;
    for (int i = qp; i < qs; ++i)
        qf *= 10;
    BookUpdated update{++m_updateId, m.snapshot, {}};
    auto add = [&](Side side, const auto& levels) {
        for (const auto& l : levels)
            update.changes.push_back({side, Price(l.price * pf, ps), Quantity(l.quantity * qf, qs)});
    };
    if (m.snapshot) {
        add(Side::Bid, m_book.bids());
        add(Side::Ask, m_book.asks());
    } else {
        add(Side::Bid, m.bids);
        add(Side::Ask, m.asks);
        // Levels the truncation cut: Kraken never announces them, the replicas must drop them too.
        add(Side::Bid, m_book.truncatedBids());
        add(Side::Ask, m_book.truncatedAsks());
    }
    m_sink.fire(std::move(update));
}

void MarketDataClient::onStatus(const StatusMessage& m) {
    m_trading->setSystem(m.system);
    if (m.system == "online")
        m_status.set("exchange", {});
    else if (m.system == "post_only")
        m_status.set("exchange", {}); // resting orders still go; Kraken refuses what would take liquidity
    else
        m_status.set("exchange", "Kraken system status: " + m.system + " (placements halted)");
    logging::get(m_log)->info("Kraken system status: {}", m.system);
}

void MarketDataClient::onAnswer(const MethodAnswer& a) {
    if (a.success || a.method == "pong")
        return;
    logging::get(m_log)->warn("Kraken refused {} ({}): {}", a.method, a.channel, a.error);
    if (a.method == "subscribe") {
        m_status.set("book", "subscription refused: " + a.error);
        m_socket->abort(); // reconnect with backoff and try again
    }
}

} // namespace md::kraken
