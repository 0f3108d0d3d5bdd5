#include "strategy/mirrorstrategy.h"

#include "strategy/strategyparams.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace md {
namespace {
// After a rejection a side rests before it quotes again: 250 ms, doubling with each rejection in a row up
// to 8 s, back to 250 ms once a quote is acknowledged. A limit that will not go away soon (a halt, a
// position limit, an empty balance) is then asked a few times a minute, not four times a second.
constexpr std::int64_t kRetryAfterRejectionNs = 250'000'000;
constexpr int kMaxRetryDoublings = 5;
} // namespace

MirrorStrategy::MirrorStrategy(MirrorParams params)
    : m_params(std::move(params)) {
    for (auto& s : m_sides) {
        s.unrecouped = Quantity(0, m_params.maxExposure.scale());
        s.recoupInFlight = Quantity(0, m_params.maxExposure.scale());
    }
    m_ceiling = {m_params.maxExposure, m_params.maxExposure};
}

void MirrorStrategy::retune(const QJsonObject& params) {
    // Validated by the factory already (the engine refuses anything else); only the live keys are
    // read, absent ones go back to their defaults as in a configuration; the markets stay.
    MirrorParams next = m_params;
    next.level = params.value("level").toInt(0);
    if (auto q = Decimal::parse(params.value("max_exposure").toString().toStdString()))
        next.maxExposure = Quantity(*q);
    next.orderQuantity.reset();
    if (auto q = Decimal::parse(params.value("order_quantity").toString().toStdString()))
        next.orderQuantity = Quantity(*q);
    const QString sides = params.value("sides").toString("both");
    next.bids = sides != "ask";
    next.asks = sides != "bid";
    m_pending = next;
}

void MirrorStrategy::applyPending() {
    if (!m_pending)
        return;
    m_params = *m_pending;
    m_pending.reset();
    for (Side side : {Side::Bid, Side::Ask})
        m_ceiling[index(side)] = maxOf(m_params.maxExposure, exposure(side));
}

void MirrorStrategy::narrowCeilings() {
    for (Side side : {Side::Bid, Side::Ask}) {
        Quantity& ceiling = m_ceiling[index(side)];
        if (ceiling > m_params.maxExposure)
            ceiling = maxOf(m_params.maxExposure, minOf(ceiling, exposure(side)));
    }
}

Quantity MirrorStrategy::exposure(Side side) const {
    const auto& s = m_sides[index(side)];
    return s.quote.remaining() + s.unrecouped;
}

void MirrorStrategy::assertInvariant() const {
    for (Side side : {Side::Bid, Side::Ask})
        if (exposure(side) > m_ceiling[index(side)] || m_sides[index(side)].unrecouped.isNegative())
            throw std::logic_error(fmt::format("mirror exposure on {} is {} (limit {})", nameOf(side),
                                               exposure(side).toString(), m_ceiling[index(side)].toString()));
}

void MirrorStrategy::note(StrategyAdvice& advice, const std::string& text) {
    if (!advice.reasoning.empty())
        advice.reasoning += "; ";
    advice.reasoning += text;
}

std::optional<Price> MirrorStrategy::wantedPrice(Side side, const StrategyContext& context) const {
    const auto level = context.book(m_params.source).level(side, static_cast<std::size_t>(m_params.level));
    if (!level)
        return std::nullopt;
    // Never quote better than the source: bids round down, asks round up to the destination tick.
    return context.instrument(m_params.destination)
        .roundPrice(level->price, side == Side::Bid ? Rounding::Down : Rounding::Up);
}

void MirrorStrategy::requote(const StrategyContext& context, StrategyAdvice& advice) {
    if (m_shuttingDown || !m_destinationUp || !m_sourceUp)
        return;
    // At start-up the source may trade while the destination is still reconciling: quoting there now
    // would only be refused ("market not running").
    const MarketState destination = context.state(m_params.destination);
    if (destination != MarketState::Running && destination != MarketState::Degraded)
        return;
    const Instrument& dest = context.instrument(m_params.destination);
    for (Side side : {Side::Bid, Side::Ask}) {
        SideState& s = m_sides[index(side)];
        // A side no longer quoted, or over a limit lowered live: its quote goes, nothing new is placed.
        const bool quoted = side == Side::Bid ? m_params.bids : m_params.asks;
        if (!quoted || exposure(side) > m_params.maxExposure) {
            if (s.quote.shouldCancel(std::nullopt)) {
                advice.actions.push_back({m_params.destination, CancelOrder{s.quote.id()}});
                note(advice, fmt::format("{} {}: cancel #{}", nameOf(side), quoted ? "over max_exposure" : "not quoted",
                                         s.quote.id()));
            }
            continue;
        }
        const auto price = wantedPrice(side, context);
        if (s.quote.shouldCancel(price)) {
            advice.actions.push_back({m_params.destination, CancelOrder{s.quote.id()}});
            note(advice, fmt::format("source {} moved to {}: cancel #{} at {} on {}", nameOf(side),
                                     price ? price->toString() : "nothing", s.quote.id(), s.quote.price().toString(),
                                     context.marketName(m_params.destination)));
            continue;
        }
        // A filled side waits for its recoup to finish before it is quoted again; a rejected one waits a
        // moment (a rate limit or a halt would otherwise be hammered on every book update).
        if (!s.quote.isIdle() || !price || s.recoupInFlight.isPositive() || s.unrecouped.isPositive() ||
            context.nowNs() < s.retryAfterNs)
            continue;
        const auto level = context.book(m_params.source).level(side, static_cast<std::size_t>(m_params.level));
        Quantity size = m_params.orderQuantity ? *m_params.orderQuantity : level->quantity;
        const Quantity room = m_params.maxExposure - exposure(side);
        size = dest.roundQuantity(minOf(size, room), Rounding::Down);
        if (!size.isPositive())
            continue;
        const ClientOrderId id = m_nextDestinationId++;
        s.quote.placed(id, *price, size);
        advice.actions.push_back({m_params.destination, PlaceLimit{side, *price, size, id}});
        note(advice, fmt::format("copy source {} level {} ({}): place #{} {} {} @ {} on {} (exposure {}/{})",
                                 nameOf(side), m_params.level, level->price.toString(), id, nameOf(side),
                                 size.toString(), price->toString(), context.marketName(m_params.destination),
                                 exposure(side).toString(), m_params.maxExposure.toString()));
    }
}

void MirrorStrategy::recoup(Side side, const StrategyContext& context, StrategyAdvice& advice) {
    SideState& s = m_sides[index(side)];
    const Quantity owed = s.unrecouped - s.recoupInFlight;
    // A refused recoup (a halt, a limit) is not sent again on every book update of a busy source.
    if (!owed.isPositive() || !m_sourceUp || context.nowNs() < s.recoupRetryAfterNs)
        return;
    // Recouping a bought fill means selling on the source into its bids (and the reverse); the limit
    // is the price of the level that covers the whole volume, so the order is marketable at once.
    const Side recoupSide = opposite(side);
    const OrderBook& book = context.book(m_params.source);
    const Side takenSide = opposite(recoupSide);
    std::optional<Price> limit;
    Quantity covered(0, owed.scale());
    for (std::size_t i = 0; i < book.depth(takenSide) && covered < owed; ++i) {
        const auto l = book.level(takenSide, i);
        limit = l->price;
        covered += l->quantity;
    }
    if (!limit)
        return;
    const Quantity size = context.instrument(m_params.source).roundQuantity(owed, Rounding::Down);
    if (!size.isPositive())
        return;
    const ClientOrderId id = m_nextSourceId++;
    m_recoups[id] = Recoup{side, size, *limit};
    s.recoupInFlight += size;
    advice.actions.push_back({m_params.source, PlaceLimit{recoupSide, *limit, size, id}});
    note(advice, fmt::format("recoup {} filled on {}: place #{} {} {} @ {} on {}", size.toString(),
                             context.marketName(m_params.destination), id, nameOf(recoupSide), size.toString(),
                             limit->toString(), context.marketName(m_params.source)));
}

void MirrorStrategy::cancelRestingRecoups(const StrategyContext& context, StrategyAdvice& advice) {
    // A recoup is sent marketable, but the book can move away before it arrives; left resting, it
    // kept its side from ever being quoted again (the side waits for its recoup).
    const OrderBook& book = context.book(m_params.source);
    for (auto& [id, r] : m_recoups) {
        if (r.cancelling)
            continue;
        const Side recoupSide = opposite(r.destinationSide);
        const auto top = book.level(opposite(recoupSide), 0);
        const bool reachable = top && (recoupSide == Side::Ask ? !(top->price < r.limit) : !(r.limit < top->price));
        if (reachable)
            continue;
        r.cancelling = true;
        advice.actions.push_back({m_params.source, CancelOrder{id}});
        note(advice, fmt::format("recoup #{} rests at {} on {} (the book moved to {}): cancel, to recoup again at the "
                                 "market",
                                 id, r.limit.toString(), context.marketName(m_params.source),
                                 top ? top->price.toString() : "nothing"));
    }
}

StrategyAdvice MirrorStrategy::onEvent(const TradingEvent& event, const StrategyContext& context) {
    StrategyAdvice advice;
    applyPending();
    const bool fromSource = event.market == m_params.source;
    const bool fromDestination = event.market == m_params.destination;
    std::visit(
        Overloaded{[&](const BookUpdated&) {
                       if (fromSource) {
                           cancelRestingRecoups(context, advice);
                           for (Side side : {Side::Bid, Side::Ask})
                               recoup(side, context, advice);
                           requote(context, advice);
                       }
                   },
                   [&](const OrderPlaced& p) {
                       if (fromDestination)
                           for (auto& s : m_sides)
                               if (s.quote.owns(p.id)) {
                                   s.quote.acked();
                                   s.rejectionsInARow = 0;
                                   // Acked after ShuttingDown: it was in flight then, cancel it now.
                                   if (m_shuttingDown && s.quote.shouldCancel(std::nullopt))
                                       advice.actions.push_back({m_params.destination, CancelOrder{p.id}});
                               }
                   },
                   [&](const OrderFilled& f) {
                       if (fromDestination) {
                           for (Side side : {Side::Bid, Side::Ask}) {
                               SideState& s = m_sides[index(side)];
                               if (!s.quote.owns(f.id))
                                   continue;
                               s.quote.filled(f.quantity);
                               s.unrecouped += f.quantity;
                               note(advice, fmt::format("#{} filled {} @ {} on {}", f.id, f.quantity.toString(),
                                                        f.price.toString(), context.marketName(m_params.destination)));
                               recoup(side, context, advice);
                           }
                       } else if (fromSource) {
                           auto it = m_recoups.find(f.id);
                           if (it != m_recoups.end()) {
                               SideState& s = m_sides[index(it->second.destinationSide)];
                               s.unrecouped -= f.quantity;
                               s.recoupInFlight -= f.quantity;
                               s.recoupRejectionsInARow = 0;
                               it->second.remaining -= f.quantity;
                           }
                       }
                   },
                   [&](const auto& end) {
                       using T = std::decay_t<decltype(end)>;
                       if constexpr (std::is_same_v<T, OrderCancelled> || std::is_same_v<T, OrderDone> ||
                                     std::is_same_v<T, OrderRejected>) {
                           if (fromDestination) {
                               for (auto& s : m_sides) {
                                   if (!s.quote.owns(end.id))
                                       continue;
                                   s.quote.ended();
                                   if constexpr (std::is_same_v<T, OrderRejected>) {
                                       s.retryAfterNs =
                                           context.nowNs() +
                                           (kRetryAfterRejectionNs << std::min(s.rejectionsInARow, kMaxRetryDoublings));
                                       ++s.rejectionsInARow;
                                   }
                               }
                               if constexpr (std::is_same_v<T, OrderRejected>)
                                   note(advice, fmt::format("#{} rejected on {}: {}", end.id,
                                                            context.marketName(m_params.destination), end.reason));
                           } else if (fromSource) {
                               auto it = m_recoups.find(end.id);
                               if (it != m_recoups.end()) {
                                   // Whatever the recoup did not fill is owed again, and retried (after a
                                   // rest when it was refused: 250 ms doubling to 8 s).
                                   SideState& s = m_sides[index(it->second.destinationSide)];
                                   s.recoupInFlight -= it->second.remaining;
                                   if constexpr (std::is_same_v<T, OrderRejected>) {
                                       s.recoupRetryAfterNs =
                                           context.nowNs() + (kRetryAfterRejectionNs << std::min(
                                                                  s.recoupRejectionsInARow, kMaxRetryDoublings));
                                       ++s.recoupRejectionsInARow;
                                   }
                                   m_recoups.erase(it);
                               }
                           }
                       }
                   }},
        event.payload);
    narrowCeilings();
    answerShutdownIfDone(advice);
    return advice;
}

void MirrorStrategy::answerShutdownIfDone(StrategyAdvice& advice) {
    if (!m_shuttingDown || m_shutdownAnswered)
        return;
    for (const auto& s : m_sides)
        if (!s.quote.isIdle())
            return;
    if (!m_recoups.empty())
        return;
    m_shutdownAnswered = true;
    advice.control.push_back(ShutdownDone{});
    note(advice, "no order of ours is open: shutdown done");
}

StrategyAdvice MirrorStrategy::onControl(const ControlEvent& event, const StrategyContext& context) {
    StrategyAdvice advice;
    std::visit(Overloaded{[&](const ShuttingDown&) {
                              m_shuttingDown = true;
                              for (Side side : {Side::Bid, Side::Ask}) {
                                  QuoteSlot& q = m_sides[index(side)].quote;
                                  if (q.shouldCancel(std::nullopt)) {
                                      advice.actions.push_back({m_params.destination, CancelOrder{q.id()}});
                                      note(advice, fmt::format("shutting down: cancel #{}", q.id()));
                                  }
                              }
                          },
                          [&](const MarketStopping& m) {
                              // The engine cancels everything there; nothing more is quoted until it is back.
                              if (m.market == m_params.destination)
                                  m_destinationUp = false;
                              if (m.market == m_params.source)
                                  m_sourceUp = false;
                          },
                          [&](const MarketStarted& m) {
                              // Started again after its own stop (issue 17; the event network tells a
                              // started strategy its running markets): it copies the source again.
                              if (m.market == m_params.destination || m.market == m_params.source) {
                                  m_shuttingDown = false;
                                  m_shutdownAnswered = false;
                              }
                              if (m.market == m_params.destination) {
                                  m_destinationUp = true;
                                  for (auto& s : m_sides)
                                      s.quote.ended(); // a fresh session knows none of the old orders
                              }
                              if (m.market == m_params.source)
                                  m_sourceUp = true;
                          }},
               event);
    answerShutdownIfDone(advice);
    return advice;
}

std::optional<MirrorParams> readMirrorParams(const QJsonObject& json, const std::vector<MarketSpec>& markets,
                                             const std::string& path, std::string& error) {
    StrategyParams p(json, markets, path);
    p.allowOnly({"source", "destination", "level", "max_exposure", "order_quantity", "sides"});
    MirrorParams params;
    auto source = p.market("source");
    auto destination = p.market("destination");
    auto level = p.integer("level", 0, 1000, 0);
    auto maxExposure = p.positiveDecimal("max_exposure", true);
    auto orderQuantity = p.positiveDecimal("order_quantity", false);
    auto sides = p.oneOf("sides", {"both", "bid", "ask"}, "both");
    if (p.ok() && *source == *destination)
        error = path + ".destination: must differ from the source";
    if (!p.ok())
        error = p.error();
    if (!error.empty())
        return std::nullopt;
    params.source = *source;
    params.destination = *destination;
    params.level = *level;
    params.maxExposure = Quantity(*maxExposure);
    if (orderQuantity)
        params.orderQuantity = Quantity(*orderQuantity);
    params.bids = *sides != "ask";
    params.asks = *sides != "bid";
    return params;
}

} // namespace md
