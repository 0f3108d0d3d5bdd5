#pragma once

#include "engine/eventsink.h"

#include <map>
#include <mutex>
#include <string>

namespace md::binance {

/// One market's Running/Degraded status from several parts that can each be unhealthy (the book,
/// the order stream): Degraded with every reason while any part has one, Running when none has.
/// The engine's stale-data breaker halts placements while the market is Degraded.
/// Thread: any (one mutex; the streams set it from the producer thread, order entry from the executor).
class ConnectionStatus {
public:
    explicit ConnectionStatus(EventSink sink)
        : m_sink(std::move(sink)) {}

    /// An empty reason means the part is healthy.
    void set(const std::string& part, const std::string& reason);
    bool healthy(const std::string& part) const;

private:
    EventSink m_sink;
    mutable std::mutex m_mutex;
    std::map<std::string, std::string> m_reasons;
    std::string m_reported = "\x01"; // nothing reported yet
};

} // namespace md::binance
