#pragma once

#include <atomic>
#include <cstdint>

namespace md::binance {

/// Binance's clock as we estimate it: our wall clock plus the offset last measured with the server
/// time endpoint. Signed requests carry this `timestamp`; Binance refuses one outside recvWindow
/// (-1021). Shared by the REST client and the WebSocket API session of a market.
/// Thread: any (atomics).
struct ServerClock {
    std::atomic<std::int64_t> skewMs{0}; // server time minus ours
    std::atomic<bool> synced{false};
    std::int64_t nowMs() const;
    /// Records a measurement: the server said `serverMs` between our `sentMs` and `receivedMs`.
    void measure(std::int64_t serverMs, std::int64_t sentMs, std::int64_t receivedMs);
};

} // namespace md::binance
