#include "kraken/orderentry.h"

#include "common/clientidcodec.h"
#include "common/outcomeresolver.h"

#include "engine/marketcounters.h"
#include "logging/logging.h"

#include <QDateTime>

#include <thread>

namespace md::kraken {

namespace {
constexpr std::size_t kMaxClOrdId = 18; // Kraken's free-text cl_ord_id
constexpr int kFinishWaitMs = 5000;

QByteArray rfc3339(std::int64_t ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString("yyyy-MM-ddTHH:mm:ss.zzzZ").toUtf8();
}
void sleepMs(std::int64_t ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}
} // namespace

OrderEntry::OrderEntry(Settings settings, MarketSpec market, bool haveKeys, std::shared_ptr<RequestChannel> channel,
                       std::shared_ptr<venue::OrderTracker> tracker, std::shared_ptr<ExecutionLedger> ledger,
                       std::shared_ptr<TradingState> trading, std::shared_ptr<venue::DecayingCounter> rate,
                       std::shared_ptr<OrderEntryStats> stats)
    : m_settings(std::move(settings))
    , m_market(std::move(market))
    , m_haveKeys(haveKeys)
    , m_log("market." + m_market.name)
    , m_channel(std::move(channel))
    , m_tracker(std::move(tracker))
    , m_ledger(std::move(ledger))
    , m_trading(std::move(trading))
    , m_rate(std::move(rate))
    , m_stats(std::move(stats)) {}

double OrderEntry::cancelPenalty(std::int64_t ageMs) {
    if (ageMs < 5000)
        return 8;
    if (ageMs < 10000)
        return 6;
    if (ageMs < 15000)
        return 5;
    if (ageMs < 45000)
        return 4;
    if (ageMs < 90000)
        return 2;
    if (ageMs < 300000)
        return 1;
    return 0;
}

void OrderEntry::execute(const Action& action) {
    std::visit(Overloaded{[&](const PlaceLimit& p) { place(p); }, [&](const CancelOrder& c) { cancel(c.id); },
                          [&](const CancelAll& c) { cancelAll(c.scope); }},
               action.kind);
}

void OrderEntry::place(const PlaceLimit& p) {
    m_tracker->expect(p);
    auto refuse = [&](const std::string& why) {
        m_stats->rejections.fetch_add(1);
        m_tracker->reject(p.id, "kraken: " + why);
    };
    if (!m_haveKeys)
        return refuse("no API key: market data only");
    const std::string clOrdId = m_tracker->exchangeClientId(p.id);
    if (clOrdId.size() > kMaxClOrdId)
        return refuse("client id " + clOrdId + " is longer than Kraken's 18-character cl_ord_id");
    if (const std::string halted = m_trading->placementsHalted(); !halted.empty()) {
        m_stats->haltedRefusals.fetch_add(1);
        return refuse(halted + ": placement not sent");
    }
    // Slow down before Kraken refuses: wait while one more order would reach the headroom; refuse at once
    // when the wait would be long (it would hold up the cancels queued behind this placement).
    for (std::int64_t wait = m_rate->waitMs(1); wait > 0; wait = m_rate->waitMs(1)) {
        if (wait > m_settings.rateMaxWaitMs) {
            m_stats->rateHeld.fetch_add(1);
            return refuse("order-rate counter at " + std::to_string(static_cast<int>(m_rate->value())) + " of " +
                          std::to_string(static_cast<int>(m_rate->threshold())) + ": would wait " +
                          std::to_string(wait) + " ms; not sent");
        }
        m_stats->rateWaits.fetch_add(1);
        logging::get(m_log)->info("order-rate counter at {:.1f} of {}: waiting {} ms", m_rate->value(),
                                  m_rate->threshold(), wait);
        sleepMs(wait);
    }
    m_rate->add(1);
    m_stats->placements.fetch_add(1);
    // After the deadline Kraken's engine rejects the request (add_order's `deadline`): an unanswered
    // placement is certainly not placed once it has passed and the stream has not mentioned it.
    const std::int64_t deadlineMs = wallNowMs() + std::max(2000, m_settings.answerTimeoutMs);
    const QByteArray params =
        "\"order_type\":\"limit\",\"side\":\"" + QByteArray(p.side == Side::Bid ? "buy" : "sell") +
        "\",\"order_qty\":" + QByteArray::fromStdString(p.quantity.toTrimmedString()) +
        ",\"limit_price\":" + QByteArray::fromStdString(p.price.toTrimmedString()) + ",\"symbol\":\"" +
        QByteArray::fromStdString(m_market.instrument.symbol) + "\",\"cl_ord_id\":\"" +
        QByteArray::fromStdString(clOrdId) + "\",\"deadline\":\"" + rfc3339(deadlineMs) + "\"" +
        // add_order's time_in_force (gtc default, ioc) and post_only
        // (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/add_order).
        (p.timeInForce == TimeInForce::Ioc ? QByteArray(",\"time_in_force\":\"ioc\"") : QByteArray()) +
        (p.postOnly ? QByteArray(",\"post_only\":true") : QByteArray());
    const auto r = m_channel->call("add_order", params, m_settings.answerTimeoutMs);
    switch (r.kind) {
    case RequestChannel::Result::Kind::NotSent:
        return refuse("not sent: " + r.why);
    case RequestChannel::Result::Kind::Answered:
        if (!r.answer.success) {
            if (r.answer.error.find("Rate limit") != std::string::npos) {
                m_stats->rateRefusals.fetch_add(1);
                m_rate->observe(m_rate->threshold()); // Kraken counts us at the limit: so do we
            }
            return refuse(r.answer.error);
        }
        m_placedAtMs[p.id] = wallNowMs();
        {
            venue::OrderUpdate u;
            u.clientOrderId = clOrdId;
            u.exchangeOrderId = r.answer.orderId;
            u.side = p.side;
            u.state = venue::OrderState::New;
            u.price = p.price;
            u.quantity = p.quantity;
            u.executed = Quantity(0, p.quantity.scale());
            m_tracker->apply(u);
        }
        return;
    case RequestChannel::Result::Kind::NoAnswer:
        m_placedAtMs[p.id] = wallNowMs();
        resolveUnknown(p.id, clOrdId, deadlineMs);
        return;
    }
}

void OrderEntry::resolveUnknown(ClientOrderId id, const std::string& clOrdId, std::int64_t deadlineMs) {
    m_stats->unknownOutcomes.fetch_add(1);
    m_tracker->markUnknown(id);
    logging::get(m_log)->warn("add_order {} unanswered: outcome unknown, asking the executions stream (never "
                              "sending it again)",
                              clOrdId);
    venue::OutcomeResolver::Policy policy;
    policy.lastChanceMs = deadlineMs + 1000; // a margin for the engine's and our clocks
    policy.giveUpAtMs = policy.lastChanceMs + 30000;
    const auto clock = venue::Clock::system();
    const auto result = venue::OutcomeResolver::resolve(
        policy,
        [&] {
            if (m_ledger->seen(clOrdId))
                return venue::OutcomeResolver::Answer::Found;
            // Silence means "not there" only from a stream that is up (its snapshot lists open orders and
            // the last fills; its updates everything since).
            return m_ledger->streamUp() ? venue::OutcomeResolver::Answer::NotFound
                                        : venue::OutcomeResolver::Answer::Failed;
        },
        *clock,
        [](int ms) {
            sleepMs(ms);
            return true;
        });
    switch (result.verdict) {
    case venue::OutcomeResolver::Verdict::Found:
        m_stats->resolvedPlaced.fetch_add(1);
        logging::get(m_log)->info("add_order {}: Kraken reports it, outcome settled", clOrdId);
        break;
    case venue::OutcomeResolver::Verdict::NotPlaced:
        m_stats->resolvedAbsent.fetch_add(1);
        m_tracker->concludeNotPlaced(id, "kraken: add_order unanswered and unknown to Kraken after its deadline");
        break;
    case venue::OutcomeResolver::Verdict::StillUnknown:
        logging::get(m_log)->warn("add_order {}: still unknown; the executions snapshot after reconnecting will tell",
                                  clOrdId);
        break;
    }
}

void OrderEntry::cancelByClientId(const std::string& clOrdId, std::int64_t ageMs) {
    m_rate->add(cancelPenalty(ageMs)); // cancels reduce risk: counted, never held back
    m_stats->cancels.fetch_add(1);
    const auto r = m_channel->call("cancel_order", "\"cl_ord_id\":[\"" + QByteArray::fromStdString(clOrdId) + "\"]",
                                   m_settings.answerTimeoutMs);
    if (r.kind != RequestChannel::Result::Kind::Answered)
        logging::get(m_log)->warn("cancel_order {}: {} (the executions stream will tell)", clOrdId, r.why);
    else if (!r.answer.success)
        logging::get(m_log)->warn("Kraken refused cancel_order {}: {}", clOrdId, r.answer.error);
}

void OrderEntry::cancel(ClientOrderId id) {
    if (!m_tracker->isTracked(id)) {
        logging::get(m_log)->info("cancel for order {} ignored: not open", id);
        return;
    }
    auto at = m_placedAtMs.find(id);
    cancelByClientId(m_tracker->exchangeClientId(id), at == m_placedAtMs.end() ? 0 : wallNowMs() - at->second);
}

void OrderEntry::cancelAll(CancelAll::Scope scope) {
    if (!m_haveKeys)
        return;
    if (scope == CancelAll::Scope::All && m_settings.cancelAllAccount) {
        const auto r = m_channel->call("cancel_all", {}, m_settings.answerTimeoutMs);
        logging::get(m_log)->info(
            "cancel_all: {}",
            r.kind == RequestChannel::Result::Kind::Answered
                ? (r.answer.success ? std::to_string(r.answer.count) + " order(s) cancelled" : r.answer.error)
                : r.why);
        return;
    }
    if (scope != CancelAll::Scope::EarlierRuns)
        for (ClientOrderId id : m_tracker->tracked())
            cancel(id);
    if (scope != CancelAll::Scope::ThisRun)
        for (const auto& o : m_ledger->openOrders()) {
            const auto parsed = venue::ClientIdCodec::parse(o.clOrdId);
            if (parsed && parsed->runTag != m_tracker->ids().runTag())
                cancelByClientId(o.clOrdId, 300000);
        }
}

void OrderEntry::finish() {
    if (!m_haveKeys)
        return;
    for (int waited = 0; !m_tracker->tracked().empty() && waited < kFinishWaitMs; waited += 50)
        sleepMs(50);
    if (m_settings.deadManTimeoutS > 0 && !m_tracker->tracked().empty()) {
        logging::get(m_log)->warn("{} order(s) still open at stop: the dead man's switch stays armed",
                                  m_tracker->tracked().size());
    } else if (m_settings.deadManTimeoutS > 0) {
        const auto r = m_channel->call("cancel_all_orders_after", "\"timeout\":0", m_settings.answerTimeoutMs);
        logging::get(m_log)->info(
            "dead man's switch disabled at stop: {}",
            r.kind == RequestChannel::Result::Kind::Answered ? (r.answer.success ? "ok" : r.answer.error) : r.why);
    }
}

} // namespace md::kraken
