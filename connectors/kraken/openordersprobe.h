#pragma once

#include "kraken/credentials.h"
#include "kraken/executionledger.h"
#include "kraken/krakensettings.h"

#include <optional>
#include <vector>

namespace md::kraken {

/// Asks Kraken which orders are open, on its own short-lived authenticated connection: a fresh token,
/// an `executions` subscription with `snap_orders`, its snapshot, close. For the start-up reconciliation
/// and the verified close-out, which may run before or after the market's own connections.
/// Thread: any thread with a Qt event dispatcher (it runs a local event loop); blocks up to `timeoutMs`.
/// Errors: nullopt when Kraken could not be asked (no keys, no token, no connection, no snapshot).
std::optional<std::vector<ExecutionLedger::OpenOrder>>
queryOpenOrders(const Settings& settings, const Credentials& credentials, const std::string& symbol, int timeoutMs);

} // namespace md::kraken
