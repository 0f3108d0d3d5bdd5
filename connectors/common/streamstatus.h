#pragma once

#include "engine/eventsink.h"

#include <map>
#include <string>

namespace md::venue {

/// One market's Running/Degraded status from several parts that can each be unhealthy (the book, the
/// order stream, the exchange's own trading state): Degraded with every reason while any part has one,
/// Running when none has. The engine's stale-data breaker halts placements while the market is Degraded.
/// Thread: the market's producer thread (the connections that report live there).
class StreamStatus {
public:
    explicit StreamStatus(EventSink sink)
        : m_sink(std::move(sink)) {}

    /// An empty reason means the part is healthy.
    void set(const std::string& part, const std::string& reason);
    bool healthy(const std::string& part) const { return m_reasons.count(part) == 0; }

private:
    EventSink m_sink;
    std::map<std::string, std::string> m_reasons;
    std::string m_reported = "\x01"; // nothing reported yet
};

} // namespace md::venue
