#pragma once

#include "decimal.h"
#include "types.h"

#include <cstdint>
#include <string>
#include <variant>

namespace md {

struct PlaceLimit {
    Side side = Side::Bid;
    Price price;
    Quantity quantity;
    ClientOrderId id = 0;
};

struct CancelOrder {
    ClientOrderId id = 0;
};

/// Cancel orders of ours on the market. All: this run's and those earlier runs left open (the user's
/// halt, shutdown). ThisRun: an automatic halt (the stale-data breaker) leaves earlier runs' orders
/// to the user. EarlierRuns: the window's "cancel the orders an earlier run left open".
struct CancelAll {
    enum class Scope { All, ThisRun, EarlierRuns };
    Scope scope = Scope::All;
};

using ActionKind = std::variant<PlaceLimit, CancelOrder, CancelAll>;

/// The sequence number of an action's journal record (write-ahead); 0: not journaled.
using JournalSeq = std::uint64_t;

/// One instruction to one market's executor.
struct Action {
    ActionKind kind;
    std::int64_t causeReceivedNs = 0; // receive time of the event that led to it (tick-to-action)
    std::int64_t enqueuedNs = 0;      // set by the ActionQueue
    JournalSeq journalSeq = 0;        // its journal record: a placement runs only once this is committed
};

std::string describe(const ActionKind& action);

} // namespace md
