#pragma once

#include "domain/decimal.h"
#include "domain/types.h"

#include <optional>

namespace md {

/// One resting order a strategy keeps on one side of one market, through its lifecycle:
/// Idle -> Placing (sent) -> Open (acked) -> Cancelling (cancel sent, exactly once) -> Idle.
/// A stale order is cancelled once and re-placed only after the cancel (or the end) is confirmed.
/// Thread: the event-network thread (inside a strategy).
class QuoteSlot {
public:
    enum class Stage { Idle, Placing, Open, Cancelling };

    Stage stage() const { return m_stage; }
    bool isIdle() const { return m_stage == Stage::Idle; }
    ClientOrderId id() const { return m_id; }
    Price price() const { return m_price; }
    /// What is still requested and not filled: counts towards exposure until the order ends.
    Quantity remaining() const { return m_stage == Stage::Idle ? Quantity() : m_remaining; }

    void placed(ClientOrderId id, Price price, Quantity quantity) {
        m_stage = Stage::Placing;
        m_id = id;
        m_price = price;
        m_remaining = quantity;
    }
    void acked() {
        if (m_stage == Stage::Placing)
            m_stage = Stage::Open;
    }
    void filled(Quantity quantity) { m_remaining -= quantity; }
    /// True (once) when the open order should be cancelled because its price is no longer wanted.
    bool shouldCancel(std::optional<Price> wanted) {
        if (m_stage != Stage::Open || (wanted && *wanted == m_price))
            return false;
        m_stage = Stage::Cancelling;
        return true;
    }
    /// Cancelled, done or rejected: the slot is free again.
    void ended() {
        m_stage = Stage::Idle;
        m_remaining = Quantity();
    }
    bool owns(ClientOrderId id) const { return m_stage != Stage::Idle && m_id == id; }

private:
    Stage m_stage = Stage::Idle;
    ClientOrderId m_id = 0;
    Price m_price;
    Quantity m_remaining;
};

} // namespace md
