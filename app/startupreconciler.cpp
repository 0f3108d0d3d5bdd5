#include "startupreconciler.h"

#include "logging/logging.h"

#include <algorithm>

namespace md {

StartupReconciler::StartupReconciler(QString journalPath, std::string currentTag, std::vector<JournalOrder> leftovers,
                                     QObject* parent)
    : QObject(parent)
    , m_journalPath(std::move(journalPath))
    , m_currentTag(std::move(currentTag))
    , m_leftovers(std::move(leftovers)) {}

void StartupReconciler::onMarketReconciled(const std::string& market, bool reachable,
                                           const std::vector<OpenOrderInfo>& onExchange, Moment moment) {
    auto log = logging::get("engine");
    std::vector<bool> known(onExchange.size(), false);
    std::vector<JournalOrder> still;
    for (auto& order : m_leftovers) {
        if (order.market != market) {
            still.push_back(order);
            continue;
        }
        if (!reachable) {
            log->warn("[{}] order #{} of run {} could not be checked: the exchange did not answer", market, order.id,
                      order.run);
            still.push_back(order);
            continue;
        }
        // The run tag tells runs apart (each counts its ids from 1); a connector that sends no tag
        // (the simulator) is matched on id, side and price alone.
        const std::string tag = SqliteJournal::orderTag(order.run);
        auto it = std::find_if(onExchange.begin(), onExchange.end(), [&](const OpenOrderInfo& o) {
            return o.id == order.id && (o.orderTag.empty() || o.orderTag == tag) &&
                   std::string(nameOf(o.side)) == order.side && o.price.toString() == order.price;
        });
        if (it != onExchange.end()) {
            known[static_cast<std::size_t>(it - onExchange.begin())] = true;
            log->warn("[{}] order #{} of run {} is still open on the exchange: {} {} @ {}", market, order.id, order.run,
                      order.side, order.quantity, order.price);
            still.push_back(order);
            continue;
        }
        std::string error;
        if (SqliteJournal::settle(m_journalPath, order, "closed_by_reconcile",
                                  moment == Moment::CloseOut ? "not open on the exchange at a verified close-out"
                                                             : "not open on the exchange at start-up",
                                  error))
            log->info("[{}] order #{} of run {} is not open on the exchange{}: settled in the journal", market,
                      order.id, order.run, moment == Moment::CloseOut ? " after the close-out" : "");
        else
            log->error("[{}] cannot settle order #{} in the journal: {}", market, order.id, error);
    }
    // At start-up this run has placed nothing yet; at a close-out its own orders are in the report.
    for (std::size_t i = 0; i < onExchange.size() && moment == Moment::StartUp; ++i)
        if (!known[i])
            log->warn("[{}] the exchange has an open order the journal does not know: {} {} {} @ {} (exchange id {})",
                      market, onExchange[i].id, nameOf(onExchange[i].side), onExchange[i].quantity.toString(),
                      onExchange[i].price.toString(), onExchange[i].exchangeId);
    m_leftovers = std::move(still);
    emit outstandingChanged();
}

} // namespace md
