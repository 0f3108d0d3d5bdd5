#pragma once

#include "alerts/alert.h"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace md {

/// The desk's alarms: turns the conditions present at each evaluation into alerts, each raised once
/// when its (kind, market) appears and cleared once when it has been gone for `clearAfterMs` (so a
/// flapping condition does not raise again and again), acknowledged one by one or all at once, with
/// kinds the user muted kept out of the unacknowledged count (and of notifications, by their callers).
/// Keeps every active alert and the newest cleared ones, at most `history` in all.
/// Thread: one thread (the engine's); not synchronised. Pure: time comes in as an argument.
class AlertBook {
public:
    struct Changes {
        std::vector<Alert> raised;
        std::vector<Alert> cleared;
        bool any() const { return !raised.empty() || !cleared.empty(); }
    };

    explicit AlertBook(std::int64_t clearAfterMs = 3000, std::size_t history = 500);

    /// `present`: every condition true now (one per kind and market; a later duplicate is ignored).
    Changes update(const std::vector<AlertCondition>& present, std::int64_t nowMs);

    /// False when no alert has that id.
    bool acknowledge(std::uint64_t id);
    /// Returns how many were newly acknowledged.
    std::size_t acknowledgeAll();
    void setMuted(AlertKind kind, bool muted);
    bool isMuted(AlertKind kind) const { return m_muted.count(kind) > 0; }

    /// Oldest first.
    const std::deque<Alert>& alerts() const { return m_alerts; }
    const Alert* find(std::uint64_t id) const;
    /// Not acknowledged (active or cleared) and of a kind that is not muted: the status-bar badge.
    std::size_t unacknowledged() const;
    std::size_t activeCount() const;
    std::size_t activeCount(AlertKind kind) const;
    std::uint64_t raisedTotal(AlertKind kind) const { return m_raised[index(kind)]; }
    std::uint64_t clearedTotal(AlertKind kind) const { return m_cleared[index(kind)]; }
    /// Changes whenever anything an alerts view shows changes (raise, clear, text, acknowledge, mute).
    std::uint64_t version() const { return m_version; }

private:
    using Key = std::pair<AlertKind, std::string>;
    static std::size_t index(AlertKind kind) { return static_cast<std::size_t>(kind); }
    Alert* findMutable(std::uint64_t id);
    void trim();

    std::int64_t m_clearAfterMs;
    std::size_t m_history;
    std::deque<Alert> m_alerts;
    std::map<Key, std::pair<std::uint64_t, std::int64_t>> m_open; // key -> (alert id, last seen)
    std::set<AlertKind> m_muted;
    std::array<std::uint64_t, kAlertKinds.size()> m_raised{};
    std::array<std::uint64_t, kAlertKinds.size()> m_cleared{};
    std::uint64_t m_nextId = 1;
    std::uint64_t m_version = 0;
};

} // namespace md
