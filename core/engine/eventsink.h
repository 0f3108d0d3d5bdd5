#pragma once

#include "domain/events.h"

#include <memory>
#include <string_view>

namespace md {

class MarketInbox;

/// The handle a connector fires its market's events through (the seed's `Handler`).
/// Copyable and cheap; safe to call from any thread, typically the market's producer and executor.
/// After the market is stopped or its threads abandoned, the sink is closed: further events are
/// dropped and counted, never delivered.
/// Thread: any.
class EventSink {
public:
    EventSink() = default;
    explicit EventSink(std::shared_ptr<MarketInbox> inbox)
        : m_inbox(std::move(inbox)) {}

    /// Queues an event for the event network; never blocks (lock-free; see MarketInbox).
    void fire(TradingEventPayload payload, std::int64_t exchangeTimeMs = 0) const;
    /// Malformed exchange data: counted in health and logged (rate limited); the connector skips it.
    void reportParseError(std::string_view detail) const;
    /// Running <-> Degraded with a reason (stale data, reconnecting, resyncing); fires MarketStatusChanged.
    void reportStatus(MarketState state, std::string_view reason) const;
    /// False once the market has stopped listening (stopped or abandoned).
    bool isOpen() const;

private:
    std::shared_ptr<MarketInbox> m_inbox;
};

} // namespace md
