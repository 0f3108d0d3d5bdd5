#include "simconnectorfactory.h"

#include "simbookgenerator.h"
#include "simmatchingengine.h"
#include "simsettings.h"
#include "simwire.h"

#include "domain/clock.h"
#include "logging/logging.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace md {
namespace {

constexpr std::int64_t kTickNs = 1'000'000; // the exchange's clock resolution
constexpr std::size_t kMaxMessagesPerTick = 5000;

[[noreturn]] void hangForever() {
    // A truly stuck call: the engine must abandon this thread, it will never return.
    for (;;)
        std::this_thread::sleep_for(std::chrono::seconds(1));
}

/// Everything the producer, executor and terminator share (the seed's connector state).
struct SimState {
    SimSettings settings;
    MarketSpec spec;
    EventSink sink;
    std::shared_ptr<spdlog::logger> log;
    std::int64_t startNs = steadyNowNs();

    std::mutex mutex; // guards the exchange below
    SimBookGenerator book;
    SimMatchingEngine engine;
    struct Request {
        std::int64_t dueNs;
        ActionKind action;
    };
    std::deque<Request> requests;
    std::condition_variable requestsDone; // the producer has handed every due request to the exchange

    std::atomic<std::uint64_t> messages{0};
    std::atomic<std::uint64_t> garbageSent{0};
    std::atomic<std::uint64_t> restingOrders{0};
    // What the simulated account holds, base and quote (free + locked), for the inspector: written by the
    // producer under the lock, read by anyone without it (health must never wait for the exchange).
    std::atomic<double> baseHeld{0};
    std::atomic<double> quoteHeld{0};

    SimState(SimSettings s, const MarketSpec& m, EventSink sk)
        : settings(std::move(s))
        , spec(m)
        , sink(std::move(sk))
        , log(logging::get("market." + m.name))
        // Checked by SimSettings::checkFor before: the mid is exact at the tick's scale.
        , book(settings.seed, settings.mid.rescaled(m.instrument.priceScale()).value().units(),
               m.instrument.tick.units(), SimSettings::lotUnits(m.instrument), settings.depth, settings.spreadTicks,
               settings.volatility, settings.meanReversion)
        , engine(m.instrument, settings.balances, {settings.makerFee, settings.takerFee}) {
        noteBalances();
    }

    /// Under the lock: the account's holdings for the inspector.
    void noteBalances() {
        const auto base = engine.balance(spec.instrument.base);
        const auto quote = engine.balance(spec.instrument.quote);
        baseHeld.store((base.free + base.locked).toDouble(), std::memory_order_relaxed);
        quoteHeld.store((quote.free + quote.locked).toDouble(), std::memory_order_relaxed);
    }

    bool faultActive(SimFault f) const {
        return settings.fault == f && steadyNowNs() - startNs >= std::int64_t(settings.faultAfterMs) * 1'000'000;
    }
};

/// The connector side of the wire: parse each line, turn it into events, skip what is malformed.
class SimFeed {
public:
    SimFeed(SimState& state)
        : m_state(state)
        , m_priceScale(state.spec.instrument.priceScale())
        , m_qtyScale(state.spec.instrument.quantityScale()) {}

    void deliver(const std::vector<std::string>& lines) {
        BookUpdated pending;
        auto flush = [&] {
            if (!pending.changes.empty()) {
                m_state.sink.fire(std::move(pending));
                pending = BookUpdated{};
            }
        };
        for (const auto& line : lines) {
            SimParseResult r = parseSimMessage(line);
            if (!r.ok()) {
                m_state.sink.reportParseError(r.error + ": \"" + line.substr(0, 60) + "\"");
                continue;
            }
            if (const auto* d = std::get_if<SimDepth>(&r.message)) {
                // One wire message, one event: `events_per_second` means what it says.
                flush();
                pending.updateId = d->seq;
                pending.changes.push_back({d->side, Price(d->price, m_priceScale), Quantity(d->quantity, m_qtyScale)});
            } else if (const auto* t = std::get_if<SimTrade>(&r.message)) {
                flush();
                m_state.sink.fire(
                    TradePrinted{Price(t->price, m_priceScale), Quantity(t->quantity, m_qtyScale), t->aggressor});
            } else {
                flush();
                const auto& s = std::get<SimSnapshot>(r.message);
                BookUpdated snapshot{s.seq, true, {}};
                for (const auto& [p, q] : s.bids)
                    snapshot.changes.push_back({Side::Bid, Price(p, m_priceScale), Quantity(q, m_qtyScale)});
                for (const auto& [p, q] : s.asks)
                    snapshot.changes.push_back({Side::Ask, Price(p, m_priceScale), Quantity(q, m_qtyScale)});
                m_state.sink.fire(std::move(snapshot));
            }
        }
        flush();
    }

private:
    SimState& m_state;
    int m_priceScale;
    int m_qtyScale;
};

std::string garbageLine(std::uint64_t n) {
    static const char* samples[] = {"D x b 100 5", "T 12 q 100 1", "S 3 2 1 100",       "Z 1 2 3",
                                    "D 9 b -5 1",  "\x01\x02\xff", "D 7 a 100 5 extra", ""};
    return samples[n % (sizeof(samples) / sizeof(samples[0]))];
}

void runProducer(SimState& s, ProducerControl& control) {
    SimFeed feed(s);
    std::vector<SimMessage> market;
    std::vector<TradingEventPayload> orders;
    std::vector<std::string> lines;
    feed.deliver({encodeSimMessage([&] {
        std::lock_guard lock(s.mutex);
        return SimMessage(s.book.snapshot());
    }())});
    // Like an exchange's account snapshot when a session starts: the balances before any order.
    for (const std::string& asset : {s.spec.instrument.base, s.spec.instrument.quote}) {
        std::lock_guard lock(s.mutex);
        const SimMatchingEngine::Balance b = s.engine.balance(asset);
        s.sink.fire(BalanceUpdated{asset, Quantity(b.free), Quantity(b.locked)});
    }
    double generated = 0;
    std::uint64_t messageCount = 0;
    bool handed = false;
    while (!control.stopRequested()) {
        const std::int64_t now = steadyNowNs();
        if (s.faultActive(SimFault::HangProducer))
            hangForever();
        if (s.faultActive(SimFault::ThrowProducer))
            throw std::runtime_error("simulated producer failure (fault throw_producer)");
        market.clear();
        orders.clear();
        {
            std::lock_guard lock(s.mutex);
            // Market data owed by the clock, unless the feed is stalled.
            const double owed = (now - s.startNs) / 1e9 * s.settings.eventsPerSecond - generated;
            const std::size_t n =
                owed > 0 ? std::min<std::size_t>(static_cast<std::size_t>(owed), kMaxMessagesPerTick) : 0;
            if (owed > kMaxMessagesPerTick)
                generated += owed - kMaxMessagesPerTick; // fall behind gracefully rather than burst forever
            // A step can produce several messages (a mid move, a trade and its level): count messages.
            if (!s.faultActive(SimFault::StallData))
                while (market.size() < n)
                    s.book.step(market);
            generated +=
                s.faultActive(SimFault::StallData) ? static_cast<double>(n) : static_cast<double>(market.size());
            // Our requests whose latency has passed reach the exchange.
            handed = false;
            while (!s.requests.empty() && s.requests.front().dueNs <= now) {
                handed = true;
                auto request = std::move(s.requests.front());
                s.requests.pop_front();
                std::visit(Overloaded{[&](const PlaceLimit& p) { s.engine.place(p, s.book, orders, market); },
                                      [&](const CancelOrder& c) {
                                          if (!s.engine.cancel(c.id, orders))
                                              s.log->info("cancel of unknown or finished order #{} ignored", c.id);
                                      },
                                      [&](const CancelAll& c) {
                                          // A simulated exchange starts empty: no earlier run's orders.
                                          if (c.scope != CancelAll::Scope::EarlierRuns)
                                              s.engine.cancelAll(orders);
                                      }},
                           request.action);
            }
            for (const auto& m : market)
                if (const auto* t = std::get_if<SimTrade>(&m))
                    s.engine.onTrade(*t, orders);
            if (!market.empty())
                s.engine.onBookMoved(s.book.bestBid(), s.book.bestAsk(), orders);
            s.restingOrders.store(s.engine.openOrders(), std::memory_order_relaxed);
            if (!orders.empty())
                s.noteBalances();
        }
        if (handed)
            s.requestsDone.notify_all();
        lines.clear();
        const bool garbage = s.faultActive(SimFault::Garbage);
        for (const auto& m : market) {
            lines.push_back(encodeSimMessage(m));
            if (garbage && ++messageCount % 5 == 0) {
                lines.push_back(garbageLine(messageCount / 5));
                s.garbageSent.fetch_add(1, std::memory_order_relaxed);
            }
        }
        s.messages.fetch_add(lines.size(), std::memory_order_relaxed);
        feed.deliver(lines);
        for (auto& e : orders)
            s.sink.fire(std::move(e));
        control.waitForStop(std::chrono::nanoseconds(kTickNs - (steadyNowNs() - now) % kTickNs));
    }
}

} // namespace

std::optional<std::string> SimConnectorFactory::validate(const QJsonObject& settings, const std::string& path) const {
    std::string error;
    if (!SimSettings::parse(settings, path, error))
        return error;
    return std::nullopt;
}

std::optional<std::string> SimConnectorFactory::validateMarket(const MarketSpec& market,
                                                               const std::string& path) const {
    std::string error;
    auto settings = SimSettings::parse(market.settings, path + ".settings", error);
    if (!settings)
        return error;
    return settings->checkFor(market.instrument, path);
}

ConnectorParts SimConnectorFactory::initialize(const MarketSpec& market, EventSink sink) const {
    std::string error;
    auto settings = SimSettings::parse(market.settings, "settings", error);
    if (!settings)
        throw std::invalid_argument(error);
    if (auto refused = settings->checkFor(market.instrument, market.name))
        throw std::invalid_argument(*refused);
    auto state = std::make_shared<SimState>(std::move(*settings), market, std::move(sink));

    ConnectorParts parts;
    parts.producer = [state](ProducerControl& control) { runProducer(*state, control); };
    parts.executor = [state](const Action& action) {
        if (state->faultActive(SimFault::HangExecutor))
            hangForever();
        if (state->faultActive(SimFault::ThrowExecutor))
            throw std::runtime_error("simulated executor failure (fault throw_executor)");
        if (state->settings.actionDelayMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(state->settings.actionDelayMs));
        std::lock_guard lock(state->mutex);
        state->requests.push_back({steadyNowNs() + std::int64_t(state->settings.latencyMs) * 1'000'000, action.kind});
    };
    parts.terminator = [state] {
        if (state->faultActive(SimFault::HangTerminator))
            hangForever();
        // What the executor sent is still in flight for `latency_ms`: wait for the exchange to take it
        // (the producer keeps running until we return), so the last cancels are confirmed.
        std::unique_lock lock(state->mutex);
        state->requestsDone.wait_for(lock, std::chrono::milliseconds(2 * state->settings.latencyMs + 100),
                                     [&] { return state->requests.empty(); });
        state->log->info("terminator: {} request(s) never reached the simulated exchange, {} order(s) rest there",
                         state->requests.size(), state->engine.openOrders());
    };
    parts.inspector = [state] {
        if (state->faultActive(SimFault::HangInspector))
            hangForever();
        std::vector<ConnectorDetail> details{
            {"sim_messages", double(state->messages.load()), std::to_string(state->messages.load()) + " messages"},
            {"sim_garbage_sent", double(state->garbageSent.load()),
             std::to_string(state->garbageSent.load()) + " malformed"},
            {"sim_resting_orders", double(state->restingOrders.load()),
             std::to_string(state->restingOrders.load()) + " resting"}};
        // What the simulated account holds (free and locked in orders): how long a demo can trade. Read
        // without the exchange's lock: a health snapshot (the UI thread) never waits for the producer.
        const auto& i = state->spec.instrument;
        for (const auto& [asset, held] : {std::pair{i.base, state->baseHeld.load(std::memory_order_relaxed)},
                                          std::pair{i.quote, state->quoteHeld.load(std::memory_order_relaxed)}})
            details.push_back({"sim_balance_" + asset, held, fmt::format("{} {:.8g} held", asset, held)});
        return details;
    };
    parts.openOrdersQuery = [state]() -> std::optional<std::vector<OpenOrderInfo>> {
        std::lock_guard lock(state->mutex);
        return state->engine.openOrderList();
    };
    return parts;
}

} // namespace md
