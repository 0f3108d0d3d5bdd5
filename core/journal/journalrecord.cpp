#include "journal/journalrecord.h"

#include "domain/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace md {
namespace {

JournalRecord stamped(const std::string& market) {
    JournalRecord r;
    r.timeMs = wallNowMs();
    r.steadyNs = steadyNowNs();
    r.market = market;
    return r;
}

QString text(const std::string& s) {
    return QString::fromStdString(s);
}

} // namespace

JournalRecord JournalRecord::fromAction(const std::string& market, const ActionKind& action) {
    JournalRecord r = stamped(market);
    std::visit(Overloaded{[&](const PlaceLimit& p) {
                              r.kind = "place";
                              r.id = p.id;
                              r.side = std::string(nameOf(p.side));
                              r.price = p.price.toString();
                              r.quantity = p.quantity.toString();
                              if (p.timeInForce != TimeInForce::Gtc || p.postOnly)
                                  r.detail = std::string(nameOf(p.timeInForce)) + (p.postOnly ? " post-only" : "");
                          },
                          [&](const CancelOrder& c) {
                              r.kind = "cancel";
                              r.id = c.id;
                          },
                          [&](const CancelAll& c) {
                              r.kind = "cancel_all";
                              if (c.scope == CancelAll::Scope::ThisRun)
                                  r.detail = "this run only";
                              else if (c.scope == CancelAll::Scope::EarlierRuns)
                                  r.detail = "earlier runs only";
                          }},
               action);
    return r;
}

JournalRecord JournalRecord::fromOutcome(const std::string& market, const ActionKind& action, ActionOutcome outcome,
                                         const std::string& reason) {
    // The action's own row, told as its outcome: "<action kind>: <reason>" (the writer reads it back).
    JournalRecord r = fromAction(market, action);
    r.detail = r.kind + ": " + reason;
    r.kind = std::string(nameOf(outcome));
    return r;
}

std::optional<JournalRecord> JournalRecord::fromEvent(const std::string& market, const TradingEvent& event) {
    JournalRecord r = stamped(market);
    bool keep = true;
    std::visit(Overloaded{[&](const OrderPlaced& p) {
                              r.kind = "placed";
                              r.id = p.id;
                              r.side = std::string(nameOf(p.side));
                              r.price = p.price.toString();
                              r.quantity = p.quantity.toString();
                          },
                          [&](const OrderFilled& f) {
                              r.kind = "filled";
                              r.id = f.id;
                              r.side = std::string(nameOf(f.side));
                              r.price = f.price.toString();
                              r.quantity = f.quantity.toString();
                              if (!f.fee().isZero() && !f.feeAssetCode().empty()) {
                                  r.fee = f.fee().toTrimmedString();
                                  r.feeAsset = f.feeAsset();
                              }
                          },
                          [&](const OrderCancelled& c) {
                              r.kind = "cancelled";
                              r.id = c.id;
                          },
                          [&](const OrderDone& d) {
                              r.kind = "done";
                              r.id = d.id;
                          },
                          [&](const OrderRejected& rejected) {
                              r.kind = "rejected";
                              r.id = rejected.id;
                              r.detail = rejected.reason;
                          },
                          [&](const auto&) { keep = false; }},
               event.payload);
    return keep ? std::optional<JournalRecord>(std::move(r)) : std::nullopt;
}

JournalRecord JournalRecord::fromStrategyChange(const StrategyChange& change) {
    JournalRecord r = stamped({});
    r.kind = "strategy";
    r.change = change;
    return r;
}

JournalRecord JournalRecord::fromShutdown(const ShutdownReport& report) {
    JournalRecord r = stamped({});
    r.kind = "shutdown";
    QJsonArray markets;
    for (const auto& m : report.markets) {
        QJsonArray ids;
        for (auto id : m.openOrderIds)
            ids.append(static_cast<qint64>(id));
        QJsonArray onExchange;
        for (const auto& o : m.openOnExchange)
            onExchange.append(QJsonObject{{"client_id", static_cast<qint64>(o.id)},
                                          {"exchange_id", text(o.exchangeId)},
                                          {"side", text(std::string(nameOf(o.side)))},
                                          {"price", text(o.price.toString())},
                                          {"quantity", text(o.quantity.toString())}});
        // Every order left behind, open or of unknown outcome, as the close-out shows it.
        QJsonArray left;
        for (const auto& o : m.ordersLeft)
            left.append(QJsonObject{{"client_id", static_cast<qint64>(o.id)},
                                    {"state", o.status == OrderStatus::Pending ? "unknown" : "open"},
                                    {"side", text(std::string(nameOf(o.side)))},
                                    {"price", text(o.price.toString())},
                                    {"quantity", text(o.quantity.toString())},
                                    {"filled", text(o.filled.toString())}});
        markets.append(
            QJsonObject{{"market", text(m.name)},
                        {"clean", m.clean},
                        {"executed", static_cast<qint64>(m.actionsExecuted)},
                        {"not_executed", static_cast<qint64>(m.actionsNotExecuted)},
                        {"outcome_unknown", static_cast<qint64>(m.actionsOutcomeUnknown)},
                        {"orders_left_open", m.ordersLeftOpen ? QJsonValue(static_cast<qint64>(*m.ordersLeftOpen))
                                                              : QJsonValue(QJsonValue::Null)},
                        {"open_ids", ids},
                        {"orders_unknown", static_cast<qint64>(m.ordersUnknown)},
                        {"orders_left", left},
                        {"verified", m.verified},
                        {"open_on_exchange", onExchange},
                        {"detail", text(m.detail)}});
    }
    // The position left per base asset, desk-wide (the money's: fees in the base taken).
    QJsonObject positions;
    for (const auto& a : report.money.assets)
        positions.insert(QString::fromStdString(a.asset), text(a.position.toTrimmedString()));
    // Issue 15: the position left and the P&L per market at the close, exact decimals as strings.
    QJsonArray money;
    for (const auto& m : report.money.markets) {
        if (m.fills == 0 && m.realized.isZero() && m.feesInQuote.isZero())
            continue;
        money.append(QJsonObject{{"market", text(m.name)},
                                 {"asset", text(m.base)},
                                 {"position", text(m.position.toTrimmedString())},
                                 {"average_entry", text(m.averageEntry.toTrimmedString())},
                                 {"currency", text(m.quote)},
                                 {"realized", text(m.realized.toTrimmedString())},
                                 {"unrealized", text(m.unrealized.toTrimmedString())},
                                 {"fees", text(m.feesInQuote.toTrimmedString())},
                                 {"net", text(m.net.toTrimmedString())},
                                 {"fills", static_cast<qint64>(m.fills)}});
    }
    const QJsonObject root{{"seconds", report.seconds},
                           {"strategy_answered", report.strategyAnswered       ? "in time"
                                                 : report.strategyAnsweredLate ? "late"
                                                                               : "no"},
                           {"needs_attention", report.needsAttention()},
                           {"markets", markets},
                           {"positions", positions},
                           {"money", money}};
    r.detail = QJsonDocument(root).toJson(QJsonDocument::Compact).toStdString();
    return r;
}

} // namespace md
