#include "kraken/executionledger.h"

namespace md::kraken {

void ExecutionLedger::apply(const ExecutionsMessage& m) {
    std::lock_guard lock(m_mutex);
    if (m.snapshot)
        m_open.clear();
    for (const Execution& e : m.executions) {
        if (!e.clOrdId.empty())
            m_seen.insert(e.clOrdId);
        const bool closed = e.orderStatus == "filled" || e.orderStatus == "canceled" || e.orderStatus == "expired" ||
                            e.execType == "filled" || e.execType == "canceled" || e.execType == "expired";
        if (closed) {
            m_open.erase(e.orderId);
            continue;
        }
        if (m.snapshot && e.execType == "trade")
            continue; // a past fill in the snapshot, not an open order
        OpenOrder& o = m_open[e.orderId];
        o.orderId = e.orderId;
        if (!e.clOrdId.empty())
            o.clOrdId = e.clOrdId;
        if (!e.side.empty())
            o.side = e.side;
        if (!e.symbol.empty())
            o.symbol = e.symbol;
        if (e.hasLimitPrice)
            o.price = e.limitPrice;
        if (e.hasOrderQty)
            o.quantity = e.orderQty;
        if (e.hasCumQty)
            o.filled = e.cumQty;
    }
}

void ExecutionLedger::setStreamUp(bool up, std::int64_t sinceMs) {
    std::lock_guard lock(m_mutex);
    m_up = up;
    m_upSinceMs = up ? sinceMs : 0;
}

bool ExecutionLedger::streamUp() const {
    std::lock_guard lock(m_mutex);
    return m_up;
}

std::int64_t ExecutionLedger::upSinceMs() const {
    std::lock_guard lock(m_mutex);
    return m_upSinceMs;
}

bool ExecutionLedger::seen(const std::string& clOrdId) const {
    std::lock_guard lock(m_mutex);
    return m_seen.count(clOrdId) > 0;
}

std::vector<ExecutionLedger::OpenOrder> ExecutionLedger::openOrders() const {
    std::lock_guard lock(m_mutex);
    std::vector<OpenOrder> out;
    for (const auto& [id, o] : m_open)
        out.push_back(o);
    return out;
}

} // namespace md::kraken
