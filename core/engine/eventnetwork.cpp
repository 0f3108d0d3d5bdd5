#include "engine/eventnetwork.h"

#include "domain/boundedring.h"
#include "domain/clock.h"
#include "engine/actionqueue.h"
#include "engine/journalsink.h"
#include "engine/marketcounters.h"
#include "engine/marketinbox.h"
#include "engine/viewstore.h"
#include "logging/logcollapser.h"
#include "logging/logging.h"
#include "positions/moneyinbox.h"

#include <QThread>
#include <QTimer>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace md {
namespace {
bool isOrderEvent(const TradingEventPayload& p) {
    return std::holds_alternative<OrderPlaced>(p) || std::holds_alternative<OrderFilled>(p) ||
           std::holds_alternative<OrderCancelled>(p) || std::holds_alternative<OrderDone>(p) ||
           std::holds_alternative<OrderRejected>(p);
}
ClientOrderId orderIdOf(const TradingEventPayload& p) {
    if (const auto* e = std::get_if<OrderPlaced>(&p))
        return e->id;
    if (const auto* e = std::get_if<OrderFilled>(&p))
        return e->id;
    if (const auto* e = std::get_if<OrderCancelled>(&p))
        return e->id;
    if (const auto* e = std::get_if<OrderDone>(&p))
        return e->id;
    if (const auto* e = std::get_if<OrderRejected>(&p))
        return e->id;
    return 0;
}
// Manual client ids count down from here; the strategies count up from 1. 999'999 is the largest
// number whose "md-<8-character run tag>-<n>" fits Kraken's 18-character cl_ord_id
// (connectors/common/clientidcodec.h, connectors/kraken/orderentry.cpp); Binance's 36 characters hold
// it too. The two ranges meet only after a million orders in one run, past which Kraken refuses the
// strategy's own ids anyway; the network still refuses any placement whose id another owner holds.
constexpr ClientOrderId kManualIdTop = 999'999;
constexpr std::int64_t kPublishIntervalNs = 50'000'000; // 20 Hz at most
constexpr std::int64_t kMidSampleNs = 250'000'000;
constexpr std::size_t kFeedbackRoundsPerDrain = 64;
constexpr std::size_t kEventsPerMarketRound = 256;
constexpr std::size_t kRoundsPerDrain = 64;

// A breaker reason reads "<kind>: <detail>"; the kind says who may clear it.
std::string_view breakerKind(std::string_view reason) {
    return reason.substr(0, reason.find(':'));
}
constexpr std::string_view kConnectorDegraded = "connector degraded";
constexpr std::string_view kBookStale = "book stale";
constexpr std::string_view kBookCrossed = "book crossed";
constexpr std::string_view kExecutorStuck = "executor stuck";

std::string ageText(double seconds) {
    return seconds < 10 ? fmt::format("{:.1f} s", seconds) : fmt::format("{:.0f} s", seconds);
}
} // namespace

struct EventNetwork::Market {
    MarketSpec spec;
    std::shared_ptr<MarketCounters> counters;
    OrderBook book;
    std::shared_ptr<MarketInbox> inbox;
    std::shared_ptr<ActionQueue> queue;
    std::map<ClientOrderId, OrderView> open;
    // Orders not owned by strategy 0 (today: the trader's), while they live; an order's events go to
    // its owner only. Erased at the order's final event.
    std::map<ClientOrderId, OwnerId> owners;
    ClientOrderId nextManualId = 0; // 0: not started (see allocateManualId)
    std::string manualNotice;       // what became of the trader's last request here
    std::deque<OrderView> closed;
    std::deque<FillView> fills;
    std::deque<MidPoint> mids;
    // The tape; timeMs 0 until published: the hot path keeps the receive time (steady clock) only,
    // converted to the wall clock once, when the view is built.
    struct Tape {
        TapeTrade trade;
        std::int64_t receivedNs = 0;
    };
    BoundedRing<Tape, MarketView::kTape> tape;
    std::uint64_t tapeSequence = 0;
    std::int64_t lastMidSampleNs = 0;
    std::int64_t lastBookNs = 0;
    TradingState userState = TradingState::Active; // the per-market kill switch
    bool userHaltCancelled = false;                // the user's halt (this market's or global) has queued its CancelAll
    std::string breakerReason;                     // set while the stale-data breaker holds it
    std::string degradedReason;                    // what the connector last reported
    std::uint64_t version = 0;
    bool dirty = true;
};

struct EventNetwork::Slot {
    std::string id;
    OwnerId owner = 0;
    std::unique_ptr<Strategy> strategy;
    std::vector<MarketId> markets;
    std::vector<bool> trades; // per market
    StrategyLimits limits;
    StrategyState state = StrategyState::Running;
    std::string failure;
    bool answeredShutdown = false;
    std::size_t openOrders = 0;
    std::size_t fills = 0;
    std::vector<Decimal> position; // per market, base, signed
    std::string lastReasoning;
};

class EventNetwork::Context : public StrategyContext {
public:
    explicit Context(const std::vector<Market>& markets)
        : m_markets(markets) {}
    std::size_t marketCount() const override { return m_markets.size(); }
    std::string_view marketName(MarketId market) const override { return m_markets.at(market).spec.name; }
    const Instrument& instrument(MarketId market) const override { return m_markets.at(market).spec.instrument; }
    const OrderBook& book(MarketId market) const override { return m_markets.at(market).book; }
    MarketState state(MarketId market) const override {
        // Running only once this network can route to it: a market whose threads have started but whose
        // queue is not attached here yet is still Starting to the strategy (what it sent would be refused).
        const Market& m = m_markets.at(market);
        const MarketState s = m.counters->state.load(std::memory_order_relaxed);
        return !m.queue && (s == MarketState::Running || s == MarketState::Degraded) ? MarketState::Starting : s;
    }
    std::int64_t nowNs() const override { return steadyNowNs(); }

private:
    const std::vector<Market>& m_markets;
};

EventNetwork::EventNetwork(std::vector<MarketSpec> markets, std::vector<std::shared_ptr<MarketCounters>> counters,
                           std::vector<StrategySetup> strategies, RiskLimits limits, ViewStore& views,
                           SequencedRing<ReasoningRecord>& reasoning, QObject* owner, EventNetworkCallbacks callbacks)
    : m_views(views)
    , m_reasoning(reasoning)
    , m_owner(owner)
    , m_callbacks(std::move(callbacks))
    , m_log(logging::get("engine"))
    , m_strategyLog(logging::get("strategy"))
    , m_risk(
          [&] {
              std::vector<Instrument> instruments;
              for (const auto& spec : markets)
                  instruments.push_back(spec.instrument);
              return instruments;
          }(),
          std::move(limits)) {
    m_markets.reserve(markets.size());
    for (std::size_t i = 0; i < markets.size(); ++i) {
        OrderBook book(markets[i].instrument.priceScale(), markets[i].instrument.quantityScale());
        m_markets.push_back(Market{std::move(markets[i]), counters[i], std::move(book)});
    }
    m_context = std::make_unique<Context>(m_markets);
    m_byMarket.resize(m_markets.size());
    for (auto& setup : strategies) {
        if (!setup.strategy)
            continue;
        Slot slot;
        slot.id = std::move(setup.id);
        slot.owner = static_cast<OwnerId>(m_slots.size());
        slot.strategy = std::move(setup.strategy);
        slot.limits = setup.limits;
        slot.trades.assign(m_markets.size(), setup.markets.empty());
        for (MarketId market : setup.markets)
            if (market < m_markets.size())
                slot.trades[market] = true;
        for (MarketId market = 0; market < m_markets.size(); ++market)
            if (slot.trades[market]) {
                slot.markets.push_back(market);
                m_byMarket[market].push_back(slot.owner);
            }
        slot.position.assign(m_markets.size(), Decimal());
        m_slots.push_back(std::move(slot));
    }
    // The timer is created on the network's thread at its first drain (see publishViews).
}

EventNetwork::~EventNetwork() = default;

void EventNetwork::wake() {
    QMetaObject::invokeMethod(this, &EventNetwork::drain, Qt::QueuedConnection);
}

void EventNetwork::post(std::function<void()> call) {
    if (call)
        QMetaObject::invokeMethod(m_owner, std::move(call), Qt::QueuedConnection);
}

void EventNetwork::drain() {
    Q_ASSERT(QThread::currentThread() == thread());
    // Rounds of at most kEventsPerMarketRound events per market keep a flooding market from starving
    // the others; after kRoundsPerDrain rounds the network returns to its event loop (timers, the
    // engine's calls) and carries on with a queued wake-up.
    bool more = true;
    for (std::size_t round = 0; more && round < kRoundsPerDrain; ++round) {
        // One clock read per round stamps every action it queues (the queue's oldest-action age).
        m_batchNowNs = steadyNowNs();
        more = false;
        for (auto& market : m_markets) {
            if (!market.inbox)
                continue;
            const std::size_t n =
                market.inbox->consume([&](TradingEvent& event) { handleEvent(market, event); }, kEventsPerMarketRound);
            more = more || n == kEventsPerMarketRound;
        }
    }
    processFeedback();
    m_batchNowNs = 0;
    publishViews(false);
    // Going idle: every inbox wakes the network on its next push. One that received events since its
    // round (and whose producer did not take the wake-up) is drained again, after the event loop.
    bool again = more;
    for (auto& market : m_markets)
        if (market.inbox && !market.inbox->armWake())
            again = true;
    if (again)
        wake();
}

template <class Call> void EventNetwork::runStrategy(Slot& slot, Call&& call, MarketId origin, std::int64_t causeNs) {
    // A template rather than std::function: this runs once per event.
    if (slot.state == StrategyState::Stopped)
        return;
    std::optional<StrategyAdvice> advice;
    try {
        advice.emplace(call());
    } catch (const std::exception& e) {
        haltStrategy(slot, std::string("strategy threw: ") + e.what());
        return;
    }
    if (!advice->isEmpty())
        route(slot, *advice, origin, causeNs);
}

void EventNetwork::haltStrategy(Slot& slot, std::string reason) {
    // Issue 17: a strategy's fault is its own. It places nothing more and its orders are cancelled;
    // the other strategies and the trader keep trading.
    if (slot.state == StrategyState::Halted)
        return;
    m_strategyLog->error("strategy {} halted: {} (its orders cancelled; the others keep trading)", slot.id, reason);
    slot.state = StrategyState::Halted;
    slot.failure = reason;
    m_strategiesDirty = true;
    journalChange({slot.id, "halted", {}, {}, {}, reason});
    cancelOwned(slot.owner);
    if (m_callbacks.strategyFailed) {
        auto cb = m_callbacks.strategyFailed;
        post([cb, id = slot.id, reason] { cb(id, reason); });
    }
    if (m_shuttingDown)
        strategyAnswered(slot); // it cannot answer any more
}

void EventNetwork::cancelOwned(OwnerId owner) {
    for (auto& m : m_markets) {
        std::vector<ClientOrderId> ids;
        for (const auto& [id, order] : m.open)
            if (ownerOf(m, id) == owner)
                ids.push_back(id);
        for (ClientOrderId id : ids)
            pushAction(m.spec.id, CancelOrder{id}, 0, owner);
    }
}

ClientOrderId EventNetwork::toDesk(OwnerId owner, ClientOrderId local) const {
    const auto n = static_cast<ClientOrderId>(std::max<std::size_t>(m_slots.size(), 1));
    return local == 0 ? 0 : (local - 1) * n + owner + 1;
}

ClientOrderId EventNetwork::toLocal(ClientOrderId desk) const {
    const auto n = static_cast<ClientOrderId>(std::max<std::size_t>(m_slots.size(), 1));
    return desk == 0 ? 0 : (desk - 1) / n + 1;
}

void EventNetwork::deliver(OwnerId owner, const TradingEvent& event) {
    if (owner == kEveryStrategy) {
        if (event.market >= m_byMarket.size())
            return;
        // A paused strategy hears no market data: it would only ask for placements the pause refuses
        // (every event, each one a rejection towards the burst alert). It still hears its orders and
        // the markets' states, and the next book after a resume.
        const bool marketData =
            std::holds_alternative<BookUpdated>(event.payload) || std::holds_alternative<TradePrinted>(event.payload);
        for (OwnerId o : m_byMarket[event.market]) {
            Slot& slot = m_slots[o];
            if (marketData && slot.state == StrategyState::Paused)
                continue;
            runStrategy(
                slot, [&] { return slot.strategy->onEvent(event, *m_context); }, event.market, event.receivedNs);
        }
        return;
    }
    if (owner >= m_slots.size())
        return; // the trader's order: no strategy hears of it
    Slot& slot = m_slots[owner];
    if (m_slots.size() == 1 || !isOrderEvent(event.payload)) {
        runStrategy(
            slot, [&] { return slot.strategy->onEvent(event, *m_context); }, event.market, event.receivedNs);
        return;
    }
    // The strategy knows its orders by its own numbers.
    TradingEvent local = event;
    std::visit(
        [&](auto& p) {
            if constexpr (requires { p.id; })
                p.id = toLocal(p.id);
        },
        local.payload);
    runStrategy(
        slot, [&] { return slot.strategy->onEvent(local, *m_context); }, event.market, event.receivedNs);
}

void EventNetwork::handleEvent(Market& market, TradingEvent& event) {
    // Single writer (this thread): a plain store, no locked instruction per event.
    market.counters->eventsTotal.store(market.counters->eventsTotal.load(std::memory_order_relaxed) + 1,
                                       std::memory_order_relaxed);
    market.counters->lastEventNs.store(event.receivedNs, std::memory_order_relaxed);
    // The owner is looked up before the views close the order (its final event forgets the owner).
    const bool orderEvent = isOrderEvent(event.payload);
    const OwnerId owner = orderEvent ? ownerOf(market, orderIdOf(event.payload)) : kEveryStrategy;
    if (const auto* f = std::get_if<OrderFilled>(&event.payload); f && owner < m_slots.size()) {
        Slot& slot = m_slots[owner];
        const Decimal qty = f->quantity.decimal();
        slot.position[market.spec.id] += f->side == Side::Bid ? qty : -qty;
        ++slot.fills;
        m_strategiesDirty = true;
    }
    applyToViews(market, event);
    if (isOrderEvent(event.payload)) { // the risk gate and the journal follow our orders only
        if (const auto* r = std::get_if<OrderRejected>(&event.payload)) {
            market.counters->countRejection(RejectionReason::Exchange); // the exchange said no
            market.counters->setLastRejection(r->reason);
        }
        m_risk.onEvent(event);
        if (m_journal)
            m_journal->recordEvent(market.spec.name, event);
    }
    deliver(owner, event); // an order's events to its owner only, the market's to each strategy trading it
}

void EventNetwork::applyToViews(Market& m, const TradingEvent& event) {
    m.dirty = true;
    if (const auto* t = std::get_if<TradePrinted>(&event.payload)) {
        // The hot path: one append to the bounded tape, no clock read, nothing else of ours changes.
        m.tape.push_back(
            {TapeTrade{++m.tapeSequence, 0, t->price, t->quantity, t->aggressor, false, 0}, event.receivedNs});
        return;
    }
    const std::int64_t nowMs = wallNowMs();
    auto close = [&](ClientOrderId id, OrderStatus status, std::string reason) {
        closeOrder(m, id, status, std::move(reason), nowMs);
    };
    std::visit(
        Overloaded{
            [&](const BookUpdated& b) {
                if (b.snapshot) {
                    std::vector<BookLevel> bids, asks;
                    for (const auto& c : b.changes)
                        (c.side == Side::Bid ? bids : asks).push_back({c.price, c.quantity});
                    m.book.applySnapshot(bids, asks, b.updateId);
                } else {
                    for (const auto& c : b.changes)
                        m.book.applyChange(c);
                    m.book.setLastUpdateId(b.updateId);
                }
                m.lastBookNs = event.receivedNs;
                m.counters->lastDataNs.store(event.receivedNs, std::memory_order_relaxed);
                if (m.book.isCrossed())
                    setBreaker(m, std::string(kBookCrossed) + ": best bid at or above best ask");
                else if (const auto kind = breakerKind(m.breakerReason); kind == kBookCrossed || kind == kBookStale)
                    setBreaker(m, {}); // a fresh, uncrossed book clears book-based trips
                auto bid = m.book.bestBid();
                auto ask = m.book.bestAsk();
                m.counters->bestBid.store(bid ? bid->price.toDouble() : 0, std::memory_order_relaxed);
                m.counters->bestAsk.store(ask ? ask->price.toDouble() : 0, std::memory_order_relaxed);
                if (bid && ask && event.receivedNs - m.lastMidSampleNs >= kMidSampleNs) {
                    m.lastMidSampleNs = event.receivedNs;
                    m.mids.push_back({nowMs, (bid->price.toDouble() + ask->price.toDouble()) / 2});
                    while (m.mids.size() > MarketView::kHistory)
                        m.mids.pop_front();
                }
            },
            [&](const TradePrinted&) {},
            [&](const OrderPlaced& p) {
                auto& o = m.open[p.id];
                if (o.createdMs == 0)
                    o.createdMs = nowMs;
                o.market = m.spec.id;
                o.id = p.id;
                o.side = p.side;
                o.price = p.price;
                o.quantity = p.quantity;
                if (o.filled.isZero())
                    o.filled = Quantity(0, p.quantity.scale());
                o.status = OrderStatus::Open;
                o.updatedMs = nowMs;
            },
            [&](const OrderFilled& f) {
                auto it = m.open.find(f.id);
                if (it != m.open.end()) {
                    it->second.filled += f.quantity;
                    it->second.status = OrderStatus::PartiallyFilled;
                    it->second.updatedMs = nowMs;
                }
                const OwnerId owner = ownerOf(m, f.id);
                m.fills.push_back({m.spec.id, f.id, f.side, f.price, f.quantity, nowMs, f.fee(), f.feeAsset(), owner});
                m.tape.push_back({TapeTrade{++m.tapeSequence, nowMs, f.price, f.quantity, f.side, true, f.id}, 0});
                if (m_money) // positions and P&L are kept on their own thread, per market and per owner
                    m_money->push(m.spec.id, f, owner);
                while (m.fills.size() > MarketView::kHistory)
                    m.fills.pop_front();
            },
            [&](const OrderCancelled& c) { close(c.id, OrderStatus::Cancelled, {}); },
            [&](const OrderDone& d) { close(d.id, OrderStatus::Filled, {}); },
            [&](const OrderRejected& r) { close(r.id, OrderStatus::Rejected, r.reason); },
            [&](const BalanceUpdated& b) {
                if (m_money)
                    m_money->push(m.spec.id, b);
            },
            [&](const MarketStatusChanged& s) {
                // The strategy hears the connector's own report with this event; the market's
                // state follows the breaker (setBreaker).
                if (s.state == MarketState::Degraded) {
                    m.degradedReason = s.reason.empty() ? "connector degraded" : s.reason;
                    setBreaker(m, std::string(kConnectorDegraded) + ": " + m.degradedReason, false);
                } else if (s.state == MarketState::Running) {
                    m.degradedReason.clear();
                    if (breakerKind(m.breakerReason) == kConnectorDegraded)
                        setBreaker(m, {}, false);
                }
            },
        },
        event.payload);
    m.counters->openOrders.store(m.open.size(), std::memory_order_relaxed);
}

void EventNetwork::closeOrder(Market& m, ClientOrderId id, OrderStatus status, std::string reason, std::int64_t nowMs) {
    auto it = m.open.find(id);
    if (it == m.open.end())
        return;
    if (auto o = m.owners.find(id); o != m.owners.end()) {
        if (o->second < m_slots.size() && m_slots[o->second].openOrders > 0) {
            --m_slots[o->second].openOrders;
            m_strategiesDirty = true;
        }
        m.owners.erase(o); // its final event: nothing more will come for it
    }
    it->second.status = status;
    it->second.reason = std::move(reason);
    it->second.updatedMs = nowMs;
    m.closed.push_back(std::move(it->second));
    m.open.erase(it);
    while (m.closed.size() > MarketView::kHistory)
        m.closed.pop_front();
}

void EventNetwork::reconcileOrders(MarketId market, bool reachable, std::vector<ClientOrderId> openOnExchange) {
    // Before a restarted market trades: the orders an earlier session left (killed, or stopped with
    // orders open) that the exchange no longer lists are settled here, so they stop showing as open
    // or pending. Those it still lists stay open; without an answer nothing is changed.
    if (market >= m_markets.size() || !reachable)
        return;
    Market& m = m_markets[market];
    std::vector<ClientOrderId> gone;
    for (const auto& [id, order] : m.open)
        if (std::find(openOnExchange.begin(), openOnExchange.end(), id) == openOnExchange.end())
            gone.push_back(id);
    if (gone.empty())
        return;
    const std::int64_t nowMs = wallNowMs();
    for (ClientOrderId id : gone) {
        closeOrder(m, id, OrderStatus::Gone, "not open on the exchange when the market started again", nowMs);
        m_risk.onEvent(TradingEvent{market, steadyNowNs(), 0, OrderCancelled{id}}); // no longer open for the gate
    }
    m.counters->openOrders.store(m.open.size(), std::memory_order_relaxed);
    m.dirty = true;
    m_log->info("[{}] {} order(s) of an earlier session are not open on the exchange: settled", m.spec.name,
                gone.size());
    publishViews(true);
}

void EventNetwork::route(Slot& slot, StrategyAdvice& advice, MarketId origin, std::int64_t causeReceivedNs) {
    // Reasoning is logged before any action is queued, so the log always explains what follows.
    if (!advice.reasoning.empty()) {
        // Tagged with every market it concerns: the one whose event caused it, then those its actions
        // are for ("[SIM-LIQUID → SIM-THIN]"), so the log filtered by either market shows it.
        std::string tag = origin < m_markets.size() ? m_markets[origin].spec.name : std::string();
        std::string targets;
        for (const auto& a : advice.actions) {
            if (a.market == origin || a.market >= m_markets.size())
                continue;
            const std::string& name = m_markets[a.market].spec.name;
            if (targets.find(name) == std::string::npos)
                targets += (targets.empty() ? "" : ", ") + name;
        }
        if (!targets.empty())
            tag += " → " + targets;
        if (m_slots.size() > 1)
            tag += " " + slot.id; // which strategy of the desk speaks
        slot.lastReasoning = advice.reasoning;
        m_strategiesDirty = true;
        // A strategy retrying into a refusal says the same thing every few hundred ms: its notes (no
        // action) and its tries on halted markets are collapsed. Everything else is written line by line:
        // each placement and cancel keeps its own line in the log.
        bool retrying = true;
        for (const auto& a : advice.actions)
            retrying =
                retrying && a.market < m_markets.size() && m_risk.effectiveState(a.market) == TradingState::Halted;
        std::string line = fmt::format("[{}] {}", tag, advice.reasoning);
        if (retrying)
            m_collapser.log(m_strategyLog, spdlog::level::info, std::move(line),
                            m_batchNowNs ? m_batchNowNs : steadyNowNs(), true);
        else
            m_strategyLog->info("{}", line);
        std::string name = origin < m_markets.size() ? m_markets[origin].spec.name : std::string();
        m_reasoning.append(
            ReasoningRecord{0, wallNowMs(), origin, std::move(name), std::move(advice.reasoning), std::move(tag)});
    }
    for (auto& a : advice.actions) {
        if (a.market < m_markets.size() && !slot.trades[a.market]) {
            // A strategy trades the markets its configuration names, nothing else.
            if (const auto* p = std::get_if<PlaceLimit>(&a.action))
                reject(a.market, toDesk(slot.owner, p->id), RejectionReason::InvalidOrder,
                       fmt::format("strategy {} does not trade {}", slot.id, m_markets[a.market].spec.name),
                       slot.owner);
            continue;
        }
        if (m_slots.size() > 1) {
            // Its own numbers become the desk's; its cancel-all cancels its own orders only.
            if (auto* p = std::get_if<PlaceLimit>(&a.action))
                p->id = toDesk(slot.owner, p->id);
            else if (auto* c = std::get_if<CancelOrder>(&a.action))
                c->id = toDesk(slot.owner, c->id);
            else if (a.market < m_markets.size() && std::holds_alternative<CancelAll>(a.action)) {
                Market& m = m_markets[a.market];
                std::vector<ClientOrderId> ids;
                for (const auto& [id, order] : m.open)
                    if (ownerOf(m, id) == slot.owner)
                        ids.push_back(id);
                for (ClientOrderId id : ids)
                    pushAction(a.market, CancelOrder{id}, causeReceivedNs, slot.owner);
                continue;
            }
        }
        pushAction(a.market, std::move(a.action), causeReceivedNs, slot.owner);
    }
    for (const auto& c : advice.control) {
        std::visit(Overloaded{[&](const ShutdownDone&) { strategyAnswered(slot); },
                              [&](const StrategyError& e) {
                                  m_strategyLog->error("strategy {} error {}: {}", slot.id, e.code, e.message);
                              }},
                   c);
    }
}

void EventNetwork::strategyAnswered(Slot& slot) {
    if (slot.answeredShutdown)
        return;
    if (slot.state == StrategyState::Stopping || m_shuttingDown) {
        slot.answeredShutdown = true;
        m_strategyLog->info("strategy {} answered ShutdownDone", slot.id);
        if (slot.state == StrategyState::Stopping) {
            slot.state = StrategyState::Stopped;
            m_strategiesDirty = true;
        }
    }
    if (!m_shuttingDown || m_shutdownDoneSent)
        return;
    for (const auto& s : m_slots)
        if (!s.answeredShutdown && s.state != StrategyState::Halted && s.state != StrategyState::Stopped)
            return;
    m_shutdownDoneSent = true;
    post(m_callbacks.strategyShutdownDone);
}

void EventNetwork::pauseStrategy(OwnerId owner, bool cancelOrders) {
    if (owner >= m_slots.size() || m_slots[owner].state != StrategyState::Running)
        return;
    Slot& slot = m_slots[owner];
    slot.state = StrategyState::Paused;
    m_strategiesDirty = true;
    const char* orders = cancelOrders ? "its open orders cancelled" : "its open orders kept";
    m_strategyLog->warn("strategy {} paused by the user ({})", slot.id, orders);
    journalChange({slot.id, "pause", {}, {}, {}, orders});
    if (cancelOrders)
        cancelOwned(owner);
    publishViews(true);
}

void EventNetwork::resumeStrategy(OwnerId owner) {
    if (owner >= m_slots.size())
        return;
    Slot& slot = m_slots[owner];
    if (slot.state != StrategyState::Paused && slot.state != StrategyState::Halted)
        return;
    m_strategyLog->warn("strategy {} resumed by the user", slot.id);
    journalChange(
        {slot.id, "resume", {}, {}, {}, slot.failure.empty() ? std::string() : "was halted: " + slot.failure});
    slot.state = StrategyState::Running;
    slot.failure.clear();
    m_strategiesDirty = true;
    publishViews(true);
}

void EventNetwork::stopStrategy(OwnerId owner) {
    if (owner >= m_slots.size())
        return;
    Slot& slot = m_slots[owner];
    if (slot.state == StrategyState::Stopping || slot.state == StrategyState::Stopped)
        return;
    m_strategyLog->warn("strategy {} stopping: its orders cancelled, asked to shut down", slot.id);
    journalChange({slot.id, "stop", {}, {}, {}, {}});
    slot.state = StrategyState::Stopping;
    slot.answeredShutdown = false;
    m_strategiesDirty = true;
    cancelOwned(owner);
    runStrategy(
        slot, [&] { return slot.strategy->onControl(ShuttingDown{}, *m_context); }, 0, 0);
    processFeedback();
    publishViews(true);
}

void EventNetwork::startStrategy(OwnerId owner) {
    if (owner >= m_slots.size() || m_slots[owner].state != StrategyState::Stopped || m_shuttingDown)
        return;
    Slot& slot = m_slots[owner];
    m_strategyLog->warn("strategy {} started by the user", slot.id);
    journalChange({slot.id, "start", {}, {}, {}, {}});
    slot.state = StrategyState::Running;
    slot.answeredShutdown = false;
    m_strategiesDirty = true;
    for (MarketId market : slot.markets)
        if (m_markets[market].queue)
            runStrategy(
                slot, [&] { return slot.strategy->onControl(MarketStarted{market}, *m_context); }, market, 0);
    processFeedback();
    publishViews(true);
}

void EventNetwork::retuneStrategy(OwnerId owner, QJsonObject params, StrategyChange change) {
    if (owner >= m_slots.size())
        return;
    Slot& slot = m_slots[owner];
    m_strategyLog->warn("strategy {} retuned by the user: {}: {} -> {} (applied at its next decision)", slot.id,
                        change.key, change.before.empty() ? "(default)" : change.before, change.after);
    slot.strategy->retune(params);
    journalChange(change);
}

void EventNetwork::journalChange(const StrategyChange& change) {
    if (m_journal)
        m_journal->recordStrategyChange(change);
}

std::pair<RejectionReason, std::string> EventNetwork::strategyRefusal(const Slot& slot, MarketId market,
                                                                      const PlaceLimit& place) const {
    if (slot.state != StrategyState::Running)
        return {RejectionReason::Halted, fmt::format("strategy {} {}: placement refused", slot.id, nameOf(slot.state))};
    if (slot.limits.maxOpenOrders > 0 && slot.openOrders >= slot.limits.maxOpenOrders)
        return {RejectionReason::MaxOpenOrders,
                fmt::format("strategy {} limit max_open_orders ({}) reached", slot.id, slot.limits.maxOpenOrders)};
    if (slot.limits.maxPosition) {
        // Its filled position if this order fills too (its other open orders are bounded by max_open_orders).
        Decimal after = slot.position[market];
        const Decimal qty = place.quantity.decimal();
        after += place.side == Side::Bid ? qty : -qty;
        const Decimal limit = *slot.limits.maxPosition;
        if (after > limit || after < -limit)
            return {RejectionReason::MaxPosition,
                    fmt::format("strategy {} limit max_position ({}) would be exceeded: position {} after this order",
                                slot.id, limit.toTrimmedString(), after.toTrimmedString())};
    }
    return {};
}

bool EventNetwork::pushAction(MarketId marketId, ActionKind&& action, std::int64_t causeReceivedNs, OwnerId owner) {
    if (marketId >= m_markets.size()) {
        m_log->error("strategy addressed unknown market {}: {}", marketId, describe(action));
        return false;
    }
    Market& m = m_markets[marketId];
    const auto* place = std::get_if<PlaceLimit>(&action);
    if (place) {
        // A client id names one order of one owner: a placement whose id another owner's live order
        // holds would mix their events (see kManualIdTop).
        if (auto held = m.open.find(place->id); held != m.open.end() && ownerOf(m, place->id) != owner) {
            reject(marketId, place->id, RejectionReason::InvalidOrder,
                   fmt::format("client id {} is in use by another owner's order", place->id), owner);
            return false;
        }
        if (owner < m_slots.size()) {
            if (auto [why, text] = strategyRefusal(m_slots[owner], marketId, *place); !text.empty()) {
                reject(marketId, place->id, why, std::move(text), owner);
                return false;
            }
        }
        if (auto refusal = m_risk.check(marketId, action, m_batchNowNs ? m_batchNowNs : steadyNowNs())) {
            // Say why the market is halted when its breaker holds it: the connector's own words (e.g.
            // "credentials refused: Binance -2015: ...") reach the strategy, the window and the journal.
            if (refusal->reason == RejectionReason::Halted && !m.breakerReason.empty())
                refusal->text += " (" + m.breakerReason + ")";
            reject(marketId, place->id, refusal->reason, std::move(refusal->text), owner);
            return false;
        }
        if (!m.queue) {
            reject(marketId, place->id, RejectionReason::MarketNotRunning, "market not running: placement refused",
                   owner);
            return false;
        }
        // Once the market's stop (or the shutdown) has begun, nothing new is placed there.
        if (m_shuttingDown || !m.queue->acceptsPlacements()) {
            reject(marketId, place->id, RejectionReason::MarketStopping, "market stopping: placement refused", owner);
            return false;
        }
    }
    if (!m.queue) {
        m.counters->actionsRejected.fetch_add(1, std::memory_order_relaxed);
        m_log->warn("[{}] {} not queued: market not running", m.spec.name, describe(action));
        return false;
    }
    OrderView pending;
    if (place) {
        pending = OrderView{marketId,
                            place->id,
                            place->side,
                            place->price,
                            place->quantity,
                            Quantity(0, place->quantity.scale()),
                            OrderStatus::Pending,
                            {},
                            wallNowMs(),
                            wallNowMs(),
                            owner};
    }
    // Journaled before it can execute: the executor sends a placement only once this record is
    // committed (JournalBarrier), so after a crash the journal knows every order that may exist.
    const JournalSeq seq = m_journal ? m_journal->recordAction(marketId, m.spec.name, action, owner) : 0;
    Action queued{std::move(action), causeReceivedNs, m_batchNowNs, seq, owner};
    if (m.queue->push(std::move(queued)) != ActionQueue::Push::Queued) {
        // The stop began between the check above and the push: refused, and the journal says so.
        if (m_journal)
            m_journal->recordOutcome(marketId, m.spec.name, queued.kind, ActionOutcome::Refused, "market stopping");
        if (place) {
            reject(marketId, pending.id, RejectionReason::MarketStopping, "market stopping: placement not queued",
                   owner);
        } else {
            m.counters->actionsRejected.fetch_add(1, std::memory_order_relaxed);
            m_log->warn("[{}] {} not queued: market stopping", m.spec.name, describe(queued.kind));
        }
        return false;
    }
    m.counters->countEnqueuedByNetwork();
    if (place) {
        m_risk.onQueued(marketId, PlaceLimit{pending.side, pending.price, pending.quantity, pending.id});
        m.owners[pending.id] = owner;
        if (owner < m_slots.size()) {
            ++m_slots[owner].openOrders;
            m_strategiesDirty = true;
        }
        m.open.emplace(pending.id, pending);
        m.counters->openOrders.store(m.open.size(), std::memory_order_relaxed);
        m.dirty = true;
    }
    return true;
}

OwnerId EventNetwork::ownerOf(const Market& m, ClientOrderId id) const {
    auto it = m.owners.find(id);
    return it == m.owners.end() ? OwnerId(0) : it->second;
}

ClientOrderId EventNetwork::allocateManualId(Market& m) {
    if (m.nextManualId == 0)
        m.nextManualId = kManualIdTop;
    // Downwards past any id a live order holds (a strategy that counted this far, or an earlier
    // session's order still open).
    while (m.nextManualId > 0 && m.open.count(m.nextManualId))
        --m.nextManualId;
    return m.nextManualId--;
}

void EventNetwork::reject(MarketId market, ClientOrderId id, RejectionReason why, std::string reason, OwnerId owner) {
    Market& m = m_markets[market];
    m.counters->actionsRejected.fetch_add(1, std::memory_order_relaxed);
    m.counters->countRejection(why);
    m.counters->setLastRejection(reason);
    // A strategy hammering a limit must not flood the log: the first refusal of a kind is logged in
    // full, the repeats are counted in one line per window (the strategy hears each one).
    m_collapser.log(m_log, spdlog::level::warn,
                    fmt::format("[{}] order #{} rejected before its queue: {}", m.spec.name, id, reason),
                    m_batchNowNs ? m_batchNowNs : steadyNowNs());
    if (owner >= m_slots.size()) {
        m_lastRefusal = std::move(reason); // the trader's order: placeManual shows it, no strategy hears
        return;
    }
    // The strategy hears about it like any rejection, after the current event is done.
    m_feedback.emplace_back(owner, TradingEvent{market, steadyNowNs(), 0, OrderRejected{id, std::move(reason)}});
}

void EventNetwork::processFeedback() {
    for (std::size_t round = 0; round < kFeedbackRoundsPerDrain && !m_feedback.empty(); ++round) {
        std::deque<std::pair<OwnerId, TradingEvent>> batch;
        batch.swap(m_feedback);
        for (auto& [owner, event] : batch) {
            event.receivedNs = 0; // feedback has no exchange cause to time from
            deliver(owner, event);
        }
    }
    // A strategy that keeps re-placing into a refusal must not starve the markets: finish later.
    if (!m_feedback.empty())
        wake();
}

void EventNetwork::attachMarket(MarketId market, std::shared_ptr<MarketInbox> inbox,
                                std::shared_ptr<ActionQueue> queue) {
    Market& m = m_markets.at(market);
    m.inbox = std::move(inbox);
    m.queue = std::move(queue);
    m.book.clear();
    m.lastBookNs = steadyNowNs(); // the stale clock starts with the market
    m.counters->lastDataNs.store(0, std::memory_order_relaxed);
    m.counters->executorStuck.store(false, std::memory_order_relaxed);
    m.degradedReason.clear();
    m.breakerReason.clear();
    m.counters->setBreakerReason({});
    m.dirty = true;
    m.userHaltCancelled = false; // a new session: a halt in force cancels again
    applyTradingState(m);
    for (OwnerId o : m_byMarket[market]) {
        Slot& slot = m_slots[o];
        runStrategy(
            slot, [&] { return slot.strategy->onControl(MarketStarted{market}, *m_context); }, market, 0);
    }
    drain();
}

void EventNetwork::prepareStop(MarketId market) {
    // The market's queue takes no placements any more; the strategy may answer with cancels. The
    // stop's CancelAll is queued by the market's runner once this answer is in (or the strategy
    // timed out), so a stuck strategy cannot keep it from the exchange.
    drain();
    for (OwnerId o : m_byMarket.at(market)) {
        Slot& slot = m_slots[o];
        runStrategy(
            slot, [&] { return slot.strategy->onControl(MarketStopping{market}, *m_context); }, market, 0);
    }
    processFeedback();
    if (m_callbacks.stopPrepared) {
        auto cb = m_callbacks.stopPrepared;
        post([cb, market] { cb(market); });
    }
}

void EventNetwork::detachMarket(MarketId market, std::vector<ClientOrderId> notExecuted, std::string why) {
    Market& m = m_markets.at(market);
    if (m.inbox) {
        // What arrived before the inbox closed. A push that claimed its place just before the close
        // lands within instructions; a thread killed in the middle of one never does, hence the bound.
        for (int spins = 0; spins < 1000; ++spins) {
            m.inbox->consume([&](TradingEvent& event) { handleEvent(m, event); }, SIZE_MAX);
            if (!m.inbox->hasPending())
                break;
            QThread::yieldCurrentThread();
        }
    }
    m.inbox.reset();
    m.queue.reset();
    m.counters->executorStuck.store(false, std::memory_order_relaxed);
    for (ClientOrderId id : notExecuted) {
        auto it = m.open.find(id);
        if (it == m.open.end() || it->second.status != OrderStatus::Pending)
            continue;
        TradingEvent gone{market, steadyNowNs(), 0, OrderRejected{id, "not executed: " + why}};
        const OwnerId owner = ownerOf(m, id);
        applyToViews(m, gone);
        m_risk.onEvent(gone); // no longer counts against the market's open orders
        if (owner < m_slots.size())
            m_feedback.emplace_back(owner, std::move(gone));
    }
    processFeedback();
    m_collapser.flush(steadyNowNs(), true);
    std::vector<ClientOrderId> open, unknown;
    for (const auto& [id, order] : m.open)
        (order.status == OrderStatus::Pending ? unknown : open).push_back(id);
    m.dirty = true;
    publishViews(true);
    if (m_callbacks.marketDetached) {
        auto cb = m_callbacks.marketDetached;
        post([cb, market, open = std::move(open), unknown = std::move(unknown)] { cb(market, open, unknown); });
    }
}

void EventNetwork::beginShutdown() {
    drain();
    m_collapser.flush(steadyNowNs(), true); // the counts so far belong before the shutdown's lines
    m_shuttingDown = true;
    // Every strategy in the configuration's order; the owner hears when the last one answered.
    for (auto& slot : m_slots) {
        if (slot.state == StrategyState::Stopped || slot.state == StrategyState::Halted)
            continue;
        if (slot.state == StrategyState::Stopping) // told already; its answer still counts
            continue;
        runStrategy(
            slot, [&] { return slot.strategy->onControl(ShuttingDown{}, *m_context); }, 0, 0);
    }
    processFeedback();
    if (m_slots.empty() || !m_shutdownDoneSent) {
        bool all = true;
        for (const auto& s : m_slots)
            all = all && (s.answeredShutdown || s.state == StrategyState::Halted || s.state == StrategyState::Stopped);
        if (all && !m_shutdownDoneSent) {
            m_shutdownDoneSent = true;
            post(m_callbacks.strategyShutdownDone);
        }
    }
}

void EventNetwork::enqueueControl(Market& m, ActionKind action) {
    if (!m.queue)
        return;
    const JournalSeq seq = m_journal ? m_journal->recordAction(m.spec.id, m.spec.name, action) : 0;
    Action queued{std::move(action), 0, 0, seq};
    if (m.queue->push(std::move(queued)) == ActionQueue::Push::Queued) {
        m.counters->countEnqueuedByNetwork();
        return;
    }
    // The market is stopping (its own CancelAll is on its way): said, counted and journaled, not dropped.
    m.counters->actionsRejected.fetch_add(1, std::memory_order_relaxed);
    m_log->warn("[{}] {} not queued: market stopping", m.spec.name, describe(queued.kind));
    if (m_journal)
        m_journal->recordOutcome(m.spec.id, m.spec.name, queued.kind, ActionOutcome::Refused, "market stopping");
}

void EventNetwork::setGlobalTradingState(TradingState state) {
    if (m_risk.globalState() == state)
        return;
    m_risk.setGlobalState(state);
    m_log->warn("desk trading state: {}{}", nameOf(state),
                state == TradingState::Halted ? " (placements refused, cancelling open orders)" : "");
    for (auto& m : m_markets)
        applyTradingState(m);
    publishViews(true);
}

void EventNetwork::setMarketTradingState(MarketId market, TradingState state) {
    if (market >= m_markets.size())
        return;
    Market& m = m_markets[market];
    m.userState = state;
    m_log->warn("[{}] trading state set to {}", m.spec.name, nameOf(state));
    applyTradingState(m);
    publishViews(true);
}

void EventNetwork::setBreaker(Market& m, std::string reason, bool tellStrategy) {
    if (m.breakerReason == reason)
        return;
    // A reason whose figure moves ("oldest action 12 s") is refreshed without a log line each time.
    const bool changed =
        breakerKind(m.breakerReason) != breakerKind(reason) || reason.empty() != m.breakerReason.empty();
    if (changed) {
        if (reason.empty())
            m_log->warn("[{}] breaker reset: trusted again", m.spec.name);
        else
            m_log->warn("[{}] breaker TRIPPED: {}; halted (cancels still pass)", m.spec.name, reason);
    }
    m.breakerReason = std::move(reason);
    m.counters->executorStuck.store(breakerKind(m.breakerReason) == kExecutorStuck, std::memory_order_relaxed);
    applyTradingState(m);
    // The market's state follows its breaker: Degraded with the reason while it holds, Running once
    // it resets.
    const MarketState state = m.breakerReason.empty() ? MarketState::Running : MarketState::Degraded;
    if (m_callbacks.statusReported) {
        auto cb = m_callbacks.statusReported;
        post([cb, id = m.spec.id, state, reason = m.breakerReason] { cb(id, state, reason); });
    }
    // A problem the network found itself (stale or crossed book, stuck executor) reaches the strategy
    // as the connector's own reports do: as a MarketStatusChanged event of that market.
    if (changed && tellStrategy)
        m_feedback.emplace_back(kEveryStrategy,
                                TradingEvent{m.spec.id, steadyNowNs(), 0, MarketStatusChanged{state, m.breakerReason}});
}

void EventNetwork::applyTradingState(Market& m) {
    const TradingState before = m.counters->tradingState.load();
    // The journal's hold comes first: it applies to every market and says why in each one's health.
    m.counters->setBreakerReason(m_journalHold.empty() ? m.breakerReason : m_journalHold);
    const TradingState marketState =
        m.breakerReason.empty() && m_journalHold.empty() ? m.userState : TradingState::Halted;
    m_risk.setMarketState(m.spec.id, marketState);
    const TradingState effective = m_risk.effectiveState(m.spec.id);
    m.counters->tradingState.store(effective);
    m.dirty = true;
    // Entering Halted cancels what is open; the gate refuses placements from now on. The user's halt
    // cancels every order of ours, earlier runs' included — also when the breaker had halted the market
    // already. A halt the breaker caused alone cancels this run's orders only: what an earlier run left
    // is the user's call.
    const bool userHalt = m.userState == TradingState::Halted || m_risk.globalState() == TradingState::Halted;
    if (userHalt && !m.userHaltCancelled)
        enqueueControl(m, CancelAll{CancelAll::Scope::All});
    else if (!userHalt && effective == TradingState::Halted && before != TradingState::Halted)
        enqueueControl(m, CancelAll{CancelAll::Scope::ThisRun});
    m.userHaltCancelled = userHalt;
}

void EventNetwork::checkJournal() {
    if (!m_journal)
        return;
    const JournalHealth h = m_journal->health();
    const bool wasBehind = m_journalHold.rfind("journal behind", 0) == 0;
    std::string hold;
    if (!h.healthy) {
        hold = h.failure.empty() ? std::string("journal failed") : h.failure;
    } else if (h.oldestUncommittedSeconds > m_journalMaxLagSeconds ||
               (wasBehind && h.oldestUncommittedSeconds > m_journalMaxLagSeconds / 2)) {
        // Held until the writer is back within half the bound, so a journal at the edge does not flap.
        hold = wasBehind ? m_journalHold
                         : fmt::format("journal behind: its oldest uncommitted record is {:.1f} s old (bound {:.1f} s)",
                                       h.oldestUncommittedSeconds, m_journalMaxLagSeconds);
    }
    if (hold == m_journalHold)
        return;
    if (hold.empty())
        m_log->warn("journal caught up: placements allowed again");
    else if (!h.healthy)
        m_log->critical("{}: placements HALTED on every market (cancels still pass)", hold);
    else
        m_log->error("{}: placements HALTED on every market until it catches up (cancels still pass)", hold);
    m_journalHold = std::move(hold);
    for (auto& m : m_markets)
        applyTradingState(m);
    publishViews(true);
}

void EventNetwork::checkBreakers() {
    checkJournal();
    const std::int64_t now = steadyNowNs();
    const auto staleNs = static_cast<std::int64_t>(m_risk.limits().staleDataSeconds * 1e9);
    const auto stuckNs = static_cast<std::int64_t>(m_risk.limits().stuckActionSeconds * 1e9);
    bool heard = false;
    for (auto& m : m_markets) {
        // A stopping market needs no breaker: it takes no placements and its CancelAll is queued.
        if (!m.inbox || !m.queue || !m.queue->acceptsPlacements())
            continue;
        const std::string_view kind = breakerKind(m.breakerReason);
        if (kind == kConnectorDegraded)
            continue; // the connector clears it when it reports Running
        // "Last data" is the market's own book, not any event: our order acks do not keep it fresh.
        const std::int64_t dataAge = now - m.lastBookNs;
        if (dataAge > staleNs && (kind.empty() || kind == kBookStale)) {
            setBreaker(m, std::string(kBookStale) + ": no book data for " + ageText(dataAge / 1e9));
            heard = true;
            continue;
        }
        // A hung gateway: the oldest action waiting (queued or in the executor's hands) is too old.
        const std::int64_t oldest = m.counters->oldestPendingNs();
        const bool stuck = oldest > 0 && now - oldest > stuckNs;
        if (stuck && (kind.empty() || kind == kExecutorStuck)) {
            setBreaker(m, std::string(kExecutorStuck) + ": oldest action " + ageText((now - oldest) / 1e9));
            heard = true;
        } else if (!stuck && kind == kExecutorStuck) {
            setBreaker(m, {}); // the queue moves again
            heard = true;
        }
    }
    if (heard && !m_feedback.empty())
        processFeedback();
}

void EventNetwork::cancelOrder(MarketId market, ClientOrderId id) {
    if (market >= m_markets.size())
        return;
    m_log->info("[{}] user asked to cancel order #{}", m_markets[market].spec.name, id);
    pushAction(market, CancelOrder{id}, 0);
}

void EventNetwork::cancelEarlierRunOrders(MarketId market) {
    if (market >= m_markets.size())
        return;
    m_log->info("[{}] user asked to cancel the orders earlier runs left open", m_markets[market].spec.name);
    pushAction(market, CancelAll{CancelAll::Scope::EarlierRuns}, 0);
}

void EventNetwork::placeManual(MarketId market, ManualOrder order) {
    if (market >= m_markets.size())
        return;
    Market& m = m_markets[market];
    const ClientOrderId id = allocateManualId(m);
    PlaceLimit place{order.side, order.price, order.quantity, id, order.timeInForce, order.postOnly};
    const std::string what = describe(place);
    m_lastRefusal.clear();
    std::string refused;
    // The guard asks the window first; here it checks again against this thread's book, so an order
    // that was not confirmed never passes a market that moved (or a caller that skipped the dialog).
    if (!order.confirmed) {
        if (auto w =
                FatFingerGuard(m_manual.fatFinger).check(m.spec.instrument, order.price, order.quantity, m.book.mid()))
            refused = "fat-finger guard: " + w->text + "; not confirmed";
    }
    if (refused.empty()) {
        m_log->info("[{}] manual order: {}", m.spec.name, what);
        if (pushAction(market, std::move(place), 0, kManualOwner)) {
            m.manualNotice = "sent: " + what;
            publishViews(true);
            return;
        }
        refused = m_lastRefusal.empty() ? std::string("not queued") : m_lastRefusal;
    } else {
        m.counters->actionsRejected.fetch_add(1, std::memory_order_relaxed);
        m.counters->countRejection(RejectionReason::InvalidOrder);
    }
    m_log->warn("[{}] manual order refused: {}: {}", m.spec.name, what, refused);
    m.manualNotice = "refused: " + what + ": " + refused;
    // It never reached a queue: it shows in the orders panel as rejected, with the reason.
    const std::int64_t nowMs = wallNowMs();
    m.closed.push_back(OrderView{market, id, order.side, order.price, order.quantity,
                                 Quantity(0, order.quantity.scale()), OrderStatus::Rejected, refused, nowMs, nowMs,
                                 kManualOwner});
    while (m.closed.size() > MarketView::kHistory)
        m.closed.pop_front();
    m.dirty = true;
    publishViews(true);
}

void EventNetwork::cancelMarketOrders(MarketId market) {
    if (market >= m_markets.size())
        return;
    m_log->info("[{}] trader's cancel-all: every working order of this run on the market", m_markets[market].spec.name);
    // Cancels pass a halt and the gate's limits; the executor runs it after what is queued before it,
    // so a placement still in the queue is cancelled too.
    pushAction(market, CancelAll{CancelAll::Scope::ThisRun}, 0, kManualOwner);
}

void EventNetwork::flatten(MarketId market, Decimal position) {
    if (market >= m_markets.size())
        return;
    Market& m = m_markets[market];
    const Instrument& instrument = m.spec.instrument;
    const Side side = position.isPositive() ? Side::Ask : Side::Bid;
    const auto quantity =
        Quantity(position.isNegative() ? -position : position).roundedTo(instrument.step, Rounding::Down);
    const auto touch = side == Side::Ask ? m.book.bestBid() : m.book.bestAsk();
    const auto mid = m.book.mid();
    std::string refused;
    if (quantity.isZero())
        refused = "no position to flatten (" + position.toTrimmedString() + " " + instrument.base + ")";
    else if (!touch || !mid)
        refused = "the book is not two-sided";
    else {
        const double band = std::abs(touch->price.toDouble() - mid->toDouble()) / mid->toDouble() * 100.0;
        if (band > m_manual.flattenBandPercent)
            refused =
                fmt::format("the touch {} is {:.2f} % from the mid {} (flatten band {} %)",
                            touch->price.toTrimmedString(), band, mid->toTrimmedString(), m_manual.flattenBandPercent);
    }
    if (!refused.empty()) {
        m_log->warn("[{}] flatten refused: {}", m.spec.name, refused);
        m.manualNotice = "flatten refused: " + refused;
        m.dirty = true;
        publishViews(true);
        return;
    }
    m_log->info("[{}] flatten: position {} {} closed by a limit {} at the touch {}", m.spec.name,
                position.toTrimmedString(), instrument.base, side == Side::Ask ? "sell" : "buy",
                touch->price.toTrimmedString());
    // Inside the band by construction: the fat-finger guard has nothing to ask.
    placeManual(market, ManualOrder{side, touch->price, quantity, TimeInForce::Gtc, false, true});
}

void EventNetwork::publishViews(bool force) {
    if (!m_publishTimer) {
        m_publishTimer = new QTimer(this);
        m_publishTimer->setInterval(static_cast<int>(kPublishIntervalNs / 1'000'000));
        connect(m_publishTimer, &QTimer::timeout, this, [this] {
            checkBreakers();
            publishViews(false);
            m_collapser.flush(steadyNowNs());
        });
        m_publishTimer->start();
    }
    const std::int64_t now = steadyNowNs();
    if (!force && now - m_lastPublishNs < kPublishIntervalNs)
        return;
    m_lastPublishNs = now;
    publishStrategies();
    const std::int64_t wallMs = wallNowMs();
    for (auto& m : m_markets) {
        if (!m.dirty)
            continue;
        m.dirty = false;
        auto view = std::make_shared<MarketView>();
        view->id = m.spec.id;
        view->name = m.spec.name;
        view->instrument = m.spec.instrument;
        view->version = ++m.version;
        view->bids = m.book.top(Side::Bid, MarketView::kViewDepth);
        view->asks = m.book.top(Side::Ask, MarketView::kViewDepth);
        view->openOrders.reserve(m.open.size());
        for (const auto& [id, order] : m.open)
            view->openOrders.push_back(order);
        view->closedOrders.assign(m.closed.begin(), m.closed.end());
        view->fills.assign(m.fills.begin(), m.fills.end());
        view->mids.assign(m.mids.begin(), m.mids.end());
        const TradingState state = m.counters->tradingState.load();
        view->halted = state == TradingState::Halted;
        view->tradingState = std::string(nameOf(state));
        view->breakerReason = m_journalHold.empty() ? m.breakerReason : m_journalHold;
        view->tape.reserve(m.tape.size());
        m.tape.forEach([&](Market::Tape& t) {
            if (t.trade.timeMs == 0) // received (steady clock) -> wall clock, once per trade
                t.trade.timeMs = t.receivedNs ? wallMs - (now - t.receivedNs) / 1'000'000 : wallMs;
            view->tape.push_back(t.trade);
        });
        view->manualNotice = m.manualNotice;
        m_views.publish(m.spec.id, std::move(view));
    }
}

void EventNetwork::publishStrategies() {
    if (!m_strategiesDirty || !m_callbacks.strategiesReported)
        return;
    m_strategiesDirty = false;
    std::vector<StrategyStatus> out;
    out.reserve(m_slots.size());
    for (const auto& slot : m_slots) {
        StrategyStatus s{slot.id,           std::string(slot.strategy->name()),
                         slot.owner,        slot.state,
                         slot.failure,      slot.markets,
                         slot.openOrders,   slot.fills,
                         slot.lastReasoning};
        out.push_back(std::move(s));
    }
    auto cb = m_callbacks.strategiesReported;
    post([cb, out = std::move(out)]() mutable { cb(std::move(out)); });
}

std::string_view nameOf(StrategyState s) {
    switch (s) {
    case StrategyState::Running:
        return "running";
    case StrategyState::Paused:
        return "paused";
    case StrategyState::Halted:
        return "halted";
    case StrategyState::Stopping:
        return "stopping";
    case StrategyState::Stopped:
        return "stopped";
    }
    return "unknown";
}

std::string_view nameOf(OrderStatus s) {
    switch (s) {
    case OrderStatus::Pending:
        return "pending";
    case OrderStatus::Open:
        return "open";
    case OrderStatus::PartiallyFilled:
        return "partially filled";
    case OrderStatus::Filled:
        return "filled";
    case OrderStatus::Cancelled:
        return "cancelled";
    case OrderStatus::Rejected:
        return "rejected";
    case OrderStatus::Gone:
        return "not on exchange";
    }
    return "unknown";
}

} // namespace md
