#include "strategy/marketmakerstrategy.h"

#include "strategy/strategyparams.h"

#include <fmt/format.h>

#include <stdexcept>

namespace md {

MarketMakerStrategy::MarketMakerStrategy(MarketMakerParams params)
    : m_params(std::move(params)) {}

std::optional<Price> MarketMakerStrategy::wantedPrice(Side side, const StrategyContext& context) const {
    const OrderBook& book = context.book(m_params.market);
    const auto mid = book.mid();
    if (!mid)
        return std::nullopt;
    const Instrument& instrument = context.instrument(m_params.market);
    // Long inventory lowers both quotes (sell more readily, buy less), short raises them.
    const Decimal skewTicks = (m_position * m_params.skewTicksPerUnit).rounded(0, Rounding::Nearest);
    const Decimal offset =
        Decimal::fromInt(side == Side::Bid ? -m_params.halfSpreadTicks : m_params.halfSpreadTicks) - skewTicks;
    const Price target(mid->decimal() + instrument.tick.decimal() * offset);
    return instrument.roundPrice(target, side == Side::Bid ? Rounding::Down : Rounding::Up);
}

bool MarketMakerStrategy::allowed(Side side) const {
    const Decimal qty = m_params.orderQuantity.decimal();
    const Decimal limit = m_params.maxPosition.decimal();
    return side == Side::Bid ? m_position + qty <= limit : m_position - qty >= -limit;
}

void MarketMakerStrategy::retune(const QJsonObject& params) {
    // Validated by the factory already (the engine refuses anything else); only the live keys are read,
    // the market stays.
    m_pending = m_params;
    auto read = [&](const char* key) { return params.value(key); };
    if (read("half_spread_ticks").isDouble())
        m_pending->halfSpreadTicks = read("half_spread_ticks").toInt();
    if (read("requote_ticks").isDouble())
        m_pending->requoteTicks = read("requote_ticks").toInt();
    if (auto q = Decimal::parse(read("order_quantity").toString().toStdString()))
        m_pending->orderQuantity = Quantity(*q);
    if (auto q = Decimal::parse(read("max_position").toString().toStdString()))
        m_pending->maxPosition = Quantity(*q);
    m_pending->skewTicksPerUnit =
        Decimal::parse(read("skew_ticks_per_unit").toString().toStdString()).value_or(Decimal());
}

StrategyAdvice MarketMakerStrategy::onEvent(const TradingEvent& event, const StrategyContext& context) {
    StrategyAdvice advice;
    if (m_pending) { // retuned: its next decision uses the new parameters
        m_params = *m_pending;
        m_pending.reset();
    }
    if (event.market != m_params.market)
        return advice;
    auto note = [&](const std::string& text) { advice.reasoning += (advice.reasoning.empty() ? "" : "; ") + text; };
    std::visit(Overloaded{[&](const BookUpdated&) {
                              if (m_shuttingDown || !m_up)
                                  return;
                              const Price tick = context.instrument(m_params.market).tick;
                              for (Side side : {Side::Bid, Side::Ask}) {
                                  QuoteSlot& q = m_quotes[side == Side::Bid ? 0 : 1];
                                  const auto price = wantedPrice(side, context);
                                  // Keep a quote unless the wanted price moved by the requote threshold.
                                  std::optional<Price> keep = price;
                                  if (price && q.stage() == QuoteSlot::Stage::Open) {
                                      Decimal diff = (price->decimal() - q.price().decimal());
                                      if (diff.isNegative())
                                          diff = -diff;
                                      if (diff < tick.decimal().times(m_params.requoteTicks))
                                          keep = q.price();
                                  }
                                  if (!allowed(side))
                                      keep.reset();
                                  if (q.shouldCancel(keep)) {
                                      advice.actions.push_back({m_params.market, CancelOrder{q.id()}});
                                      note(fmt::format("{} wanted at {}: cancel #{} at {}", nameOf(side),
                                                       price ? price->toString() : "nothing", q.id(),
                                                       q.price().toString()));
                                  } else if (q.isIdle() && price && allowed(side)) {
                                      const ClientOrderId id = m_nextId++;
                                      q.placed(id, *price, m_params.orderQuantity);
                                      advice.actions.push_back(
                                          {m_params.market, PlaceLimit{side, *price, m_params.orderQuantity, id}});
                                      note(fmt::format("quote #{} {} {} @ {} (position {})", id, nameOf(side),
                                                       m_params.orderQuantity.toString(), price->toString(),
                                                       m_position.toTrimmedString()));
                                  }
                              }
                          },
                          [&](const OrderPlaced& p) {
                              for (auto& q : m_quotes)
                                  if (q.owns(p.id))
                                      q.acked();
                          },
                          [&](const OrderFilled& f) {
                              for (auto& q : m_quotes)
                                  if (q.owns(f.id)) {
                                      q.filled(f.quantity);
                                      m_position += f.side == Side::Bid ? f.quantity.decimal() : -f.quantity.decimal();
                                      note(fmt::format("#{} filled {} @ {}: position {}", f.id, f.quantity.toString(),
                                                       f.price.toString(), m_position.toTrimmedString()));
                                  }
                          },
                          [&](const OrderCancelled& c) {
                              for (auto& q : m_quotes)
                                  if (q.owns(c.id))
                                      q.ended();
                          },
                          [&](const OrderDone& d) {
                              for (auto& q : m_quotes)
                                  if (q.owns(d.id))
                                      q.ended();
                          },
                          [&](const OrderRejected& r) {
                              for (auto& q : m_quotes)
                                  if (q.owns(r.id)) {
                                      q.ended();
                                      note(fmt::format("#{} rejected: {}", r.id, r.reason));
                                  }
                          },
                          [](const auto&) {}},
               event.payload);
    answerShutdownIfDone(advice);
    return advice;
}

void MarketMakerStrategy::answerShutdownIfDone(StrategyAdvice& advice) {
    if (!m_shuttingDown || m_shutdownAnswered)
        return;
    for (const auto& q : m_quotes)
        if (!q.isIdle())
            return;
    m_shutdownAnswered = true;
    advice.control.push_back(ShutdownDone{});
}

StrategyAdvice MarketMakerStrategy::onControl(const ControlEvent& event, const StrategyContext&) {
    StrategyAdvice advice;
    std::visit(Overloaded{[&](const ShuttingDown&) {
                              m_shuttingDown = true;
                              for (auto& q : m_quotes)
                                  if (q.shouldCancel(std::nullopt))
                                      advice.actions.push_back({m_params.market, CancelOrder{q.id()}});
                              advice.reasoning = "shutting down: cancel our quotes";
                          },
                          [&](const MarketStopping& m) {
                              if (m.market == m_params.market)
                                  m_up = false;
                          },
                          [&](const MarketStarted& m) {
                              if (m.market == m_params.market) {
                                  m_up = true;
                                  // Started again after its own stop (issue 17): it quotes again.
                                  m_shuttingDown = false;
                                  m_shutdownAnswered = false;
                                  for (auto& q : m_quotes)
                                      q.ended();
                              }
                          }},
               event);
    answerShutdownIfDone(advice);
    return advice;
}

std::optional<MarketMakerParams> readMarketMakerParams(const QJsonObject& json, const std::vector<MarketSpec>& markets,
                                                       const std::string& path, std::string& error) {
    StrategyParams p(json, markets, path);
    p.allowOnly(
        {"market", "half_spread_ticks", "order_quantity", "max_position", "skew_ticks_per_unit", "requote_ticks"});
    auto market = p.market("market");
    auto halfSpread = p.integer("half_spread_ticks", 1, 100000, 5);
    auto quantity = p.positiveDecimal("order_quantity", true);
    auto maxPosition = p.positiveDecimal("max_position", true);
    auto skew = p.nonNegativeDecimal("skew_ticks_per_unit", false);
    auto requote = p.integer("requote_ticks", 1, 100000, 1);
    if (!p.ok()) {
        error = p.error();
        return std::nullopt;
    }
    MarketMakerParams params;
    params.market = *market;
    params.halfSpreadTicks = *halfSpread;
    params.orderQuantity = Quantity(*quantity);
    params.maxPosition = Quantity(*maxPosition);
    params.skewTicksPerUnit = skew.value_or(Decimal());
    params.requoteTicks = *requote;
    return params;
}

} // namespace md
