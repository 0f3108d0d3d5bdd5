#pragma once

#include "kraken/krakenmessages.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace md::kraken {

/// What the `executions` stream has told us, for the threads that cannot read it themselves: which
/// client ids Kraken has reported (an unknown outcome is settled by it), which orders are open (the
/// open-orders query, earlier runs' orders for a halt), and whether the stream is up and since when.
/// Thread: any (one mutex).
class ExecutionLedger {
public:
    struct OpenOrder {
        std::string orderId;
        std::string clOrdId;
        std::string side;
        std::string symbol;
        Decimal price;
        Decimal quantity;
        Decimal filled;
    };

    /// A snapshot replaces the open orders; every entry's client id counts as seen.
    void apply(const ExecutionsMessage& m);
    void setStreamUp(bool up, std::int64_t sinceMs);
    bool streamUp() const;
    /// When the current subscription's snapshot arrived (0 while down).
    std::int64_t upSinceMs() const;
    bool seen(const std::string& clOrdId) const;
    std::vector<OpenOrder> openOrders() const;

private:
    mutable std::mutex m_mutex;
    std::set<std::string> m_seen;
    std::map<std::string, OpenOrder> m_open; // by order_id
    bool m_up = false;
    std::int64_t m_upSinceMs = 0;
};

} // namespace md::kraken
