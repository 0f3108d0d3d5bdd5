#include "binance/serverclock.h"

#include "engine/marketcounters.h"

namespace md::binance {

std::int64_t ServerClock::nowMs() const {
    return wallNowMs() + skewMs.load(std::memory_order_relaxed);
}

void ServerClock::measure(std::int64_t serverMs, std::int64_t sentMs, std::int64_t receivedMs) {
    // Half the round trip assumed each way.
    skewMs.store(serverMs - (sentMs + receivedMs) / 2);
    synced.store(true);
}

} // namespace md::binance
