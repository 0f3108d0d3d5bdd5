#include "scriptedconnector.h"

#include <QThread>

#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

namespace md::test {
namespace {

struct State {
    EventSink sink;
    std::string behaviour;
    int intervalUs = 200;
    std::mutex mutex;
    std::set<ClientOrderId> open;
    const ScriptedConnectorFactory* factory = nullptr;
};

[[noreturn]] void hangForever() {
    for (;;)
        std::this_thread::sleep_for(std::chrono::seconds(1));
}

} // namespace

void ScriptedConnectorFactory::openGate() const {
    {
        std::lock_guard lock(m_gateMutex);
        m_gateOpen = true;
    }
    m_gateOpened.notify_all();
}

void ScriptedConnectorFactory::closeGate() const {
    std::lock_guard lock(m_gateMutex);
    m_gateOpen = false;
}

void ScriptedConnectorFactory::waitAtGate() const {
    std::unique_lock lock(m_gateMutex);
    m_gateOpened.wait(lock, [this] { return m_gateOpen; });
}

ConnectorParts ScriptedConnectorFactory::initialize(const MarketSpec& market, EventSink sink) const {
    initializations.fetch_add(1);
    auto state = std::make_shared<State>();
    state->sink = sink;
    state->behaviour = market.settings.value("behaviour").toString("normal").toStdString();
    state->intervalUs = market.settings.value("interval_us").toInt(200);
    state->factory = this;
    const int priceScale = market.instrument.priceScale();
    const int qtyScale = market.instrument.quantityScale();

    ConnectorParts parts;
    parts.producer = [state, priceScale, qtyScale](ProducerControl& control) {
        std::vector<BookChange> levels;
        for (int i = 1; i <= 20; ++i) {
            levels.push_back({Side::Bid, Price(10000 - i, priceScale), Quantity(1000, qtyScale)});
            levels.push_back({Side::Ask, Price(10000 + i, priceScale), Quantity(1000, qtyScale)});
        }
        state->sink.fire(BookUpdated{1, true, levels});
        std::uint64_t id = 1;
        while (!control.waitForStop(std::chrono::microseconds(state->intervalUs))) {
            ++id;
            if (state->behaviour == "stall_data" && id > 20)
                continue;
            if (state->behaviour == "degrade_then_recover" && id == 50)
                state->sink.reportStatus(MarketState::Degraded, "resyncing after a gap");
            if (state->behaviour == "degrade_then_recover" && id == 1500)
                state->sink.reportStatus(MarketState::Running, "resynced");
            state->sink.fire(
                BookUpdated{id, false, {{Side::Bid, Price(9999, priceScale), Quantity(1000 + id % 7, qtyScale)}}});
            if (state->behaviour == "trades") // a public trade after every book change, its quantity the change's id
                state->sink.fire(TradePrinted{Price(10000, priceScale),
                                              Quantity(static_cast<std::int64_t>(id), qtyScale),
                                              id % 2 ? Side::Bid : Side::Ask});
            if (state->behaviour == "garbage" && id % 5 == 0)
                state->sink.reportParseError("scripted garbage frame");
            if (state->behaviour == "throw_producer" && id == 20)
                throw std::runtime_error("scripted producer failure");
        }
    };
    const MarketId id = market.id;
    parts.executor = [state, id](const Action& action) {
        const ScriptedConnectorFactory& factory = *state->factory;
        factory.calls.at(id).fetch_add(1);
        if (state->behaviour == "hang_executor")
            hangForever();
        if (state->behaviour == "throw_executor")
            throw std::runtime_error("scripted executor failure");
        if (state->behaviour == "slow_executor")
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (state->behaviour == "gated_executor" || state->behaviour == "gated_then_throw")
            factory.waitAtGate();
        if (state->behaviour == "gated_then_throw")
            throw std::runtime_error("scripted executor failure after the gate");
        std::visit(
            Overloaded{[&](const PlaceLimit& p) {
                           if (state->behaviour == "reject_placements") {
                               state->sink.fire(OrderRejected{p.id, "insufficient balance"});
                               return;
                           }
                           if (state->behaviour == "fill_placements") { // every order fills at once, fee 0.01
                               state->sink.fire(OrderPlaced{p.id, p.side, p.price, p.quantity});
                               state->sink.fire(OrderFilled{p.id, p.side, p.price, p.quantity, Decimal(1, 2), "QUOTE"});
                               state->sink.fire(OrderDone{p.id});
                               return;
                           }
                           {
                               std::lock_guard lock(state->mutex);
                               if (state->open.insert(p.id).second)
                                   factory.openOrders.fetch_add(1);
                           }
                           state->sink.fire(OrderPlaced{p.id, p.side, p.price, p.quantity});
                       },
                       [&](const CancelOrder& c) {
                           std::lock_guard lock(state->mutex);
                           if (state->open.erase(c.id)) {
                               factory.openOrders.fetch_sub(1);
                               state->sink.fire(OrderCancelled{c.id});
                           }
                       },
                       [&](const CancelAll& c) {
                           factory.cancelAlls.fetch_add(1);
                           if (c.scope == CancelAll::Scope::All)
                               factory.cancelAllsOfEveryRun.fetch_add(1);
                           std::lock_guard lock(state->mutex);
                           for (ClientOrderId id : state->open)
                               state->sink.fire(OrderCancelled{id});
                           factory.openOrders.fetch_sub(static_cast<int>(state->open.size()));
                           state->open.clear();
                       }},
            action.kind);
    };
    if (state->behaviour == "reconcile") {
        // Stands in for an exchange that takes a moment to answer and still has one of our orders.
        parts.openOrdersQuery = [priceScale, qtyScale]() -> std::optional<std::vector<OpenOrderInfo>> {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            return std::vector<OpenOrderInfo>{
                {42, "EX-42", Side::Ask, Price(10100, priceScale), Quantity(5, qtyScale), Quantity(0, qtyScale), {}}};
        };
    }
    if (state->behaviour == "throw_query" || state->behaviour == "throw_query_at_closeout" ||
        state->behaviour == "hang_query") {
        auto asked = std::make_shared<std::atomic<int>>(0);
        parts.openOrdersQuery = [state, id, asked]() -> std::optional<std::vector<OpenOrderInfo>> {
            state->factory->queries.at(id).fetch_add(1);
            const int n = asked->fetch_add(1);
            if (state->behaviour == "throw_query" || (state->behaviour == "throw_query_at_closeout" && n > 0))
                throw std::runtime_error("exchange said no");
            if (state->behaviour == "hang_query")
                state->factory->waitAtGate();
            return std::vector<OpenOrderInfo>{};
        };
    }
    parts.terminator = [state] {
        if (state->behaviour == "hang_terminator")
            hangForever();
        if (state->behaviour == "gated_terminator")
            state->factory->waitAtGate();
        state->factory->terminators.fetch_add(1);
    };
    return parts;
}

StrategyAdvice PingStrategy::onEvent(const TradingEvent& event, const StrategyContext& context) {
    StrategyAdvice advice;
    if (throwNext.exchange(false))
        throw std::runtime_error("scripted strategy bug");
    if (event.market != m_source && event.market != m_target)
        foreignMarketEvents.fetch_add(1);
    if (const auto* p = std::get_if<OrderPlaced>(&event.payload); p && (p->id == 0 || p->id >= m_nextId))
        foreignOrderEvents.fetch_add(1);
    if (const auto* r = std::get_if<OrderRejected>(&event.payload)) {
        rejected.fetch_add(1);
        {
            std::lock_guard lock(m_mutex);
            m_lastRejection = r->reason;
            if (m_reasons.size() < 1000)
                m_reasons.insert(r->reason);
        }
        if (r->reason.find("halted") != std::string::npos)
            haltRejections.fetch_add(1);
        if (r->reason.find("market stopping") != std::string::npos)
            stoppingRejections.fetch_add(1);
        return advice;
    }
    if (const auto* s = std::get_if<MarketStatusChanged>(&event.payload); s && event.market == m_target) {
        (s->state == MarketState::Degraded ? degradedHeard : runningHeard).fetch_add(1);
        std::lock_guard lock(m_mutex);
        m_lastStatusReason = s->reason;
    }
    if (paused)
        return advice;
    if (event.market == m_source && std::holds_alternative<BookUpdated>(event.payload) && ++m_count % m_every == 0) {
        const auto& instrument = context.instrument(m_target);
        advice.reasoning = "ping #" + std::to_string(m_nextId);
        advice.actions.push_back({m_target, PlaceLimit{Side::Bid, Price(9000, instrument.priceScale()),
                                                       Quantity(1, instrument.quantityScale()), m_nextId++}});
        placed.fetch_add(1);
    }
    return advice;
}

StrategyAdvice PingStrategy::onControl(const ControlEvent& event, const StrategyContext&) {
    StrategyAdvice advice;
    if (std::holds_alternative<MarketStopping>(event))
        while (hangOnStopping)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (std::holds_alternative<ShuttingDown>(event)) {
        advice.reasoning = "shutting down";
        advice.actions.push_back({m_target, CancelAll{}});
        advice.control.push_back(ShutdownDone{});
    }
    return advice;
}

MarketSpec scriptedMarket(MarketId id, const std::string& name, const std::string& behaviour, int intervalUs) {
    MarketSpec spec;
    spec.id = id;
    spec.name = name;
    spec.connector = "scripted";
    spec.instrument.symbol = name;
    spec.instrument.base = "BASE";
    spec.instrument.quote = "QUOTE";
    spec.instrument.tick = Price(1, 2);
    spec.instrument.step = Quantity(1, 4);
    spec.settings = QJsonObject{{"behaviour", QString::fromStdString(behaviour)}, {"interval_us", intervalUs}};
    return spec;
}

} // namespace md::test
