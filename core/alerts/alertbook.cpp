#include "alerts/alertbook.h"

#include <algorithm>

namespace md {

AlertBook::AlertBook(std::int64_t clearAfterMs, std::size_t history)
    : m_clearAfterMs(clearAfterMs)
    , m_history(std::max<std::size_t>(history, 1)) {}

AlertBook::Changes AlertBook::update(const std::vector<AlertCondition>& present, std::int64_t nowMs) {
    Changes changes;
    std::set<Key> seen;
    for (const auto& c : present) {
        Key key{c.kind, c.market};
        if (!seen.insert(key).second)
            continue;
        auto open = m_open.find(key);
        if (open != m_open.end()) {
            // Still there: never raised again; its text follows the condition (ages, counts).
            open->second.second = nowMs;
            if (Alert* a = findMutable(open->second.first); a && (a->what != c.what || a->todo != c.todo)) {
                a->what = c.what;
                a->todo = c.todo;
                a->severity = std::max(a->severity, c.severity);
                ++m_version;
            }
            continue;
        }
        Alert a;
        a.id = m_nextId++;
        a.kind = c.kind;
        a.market = c.market;
        a.severity = c.severity;
        a.sinceMs = nowMs;
        a.what = c.what;
        a.todo = c.todo;
        m_open.emplace(key, std::make_pair(a.id, nowMs));
        ++m_raised[index(a.kind)];
        m_alerts.push_back(a);
        changes.raised.push_back(std::move(a));
        ++m_version;
    }
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (seen.count(it->first) || nowMs - it->second.second < m_clearAfterMs) {
            ++it;
            continue;
        }
        if (Alert* a = findMutable(it->second.first)) {
            a->clearedMs = nowMs;
            ++m_cleared[index(a->kind)];
            changes.cleared.push_back(*a);
        }
        it = m_open.erase(it);
        ++m_version;
    }
    trim();
    return changes;
}

Alert* AlertBook::findMutable(std::uint64_t id) {
    // Ids increase along the deque: a binary search.
    auto it = std::lower_bound(m_alerts.begin(), m_alerts.end(), id,
                               [](const Alert& a, std::uint64_t wanted) { return a.id < wanted; });
    return it != m_alerts.end() && it->id == id ? &*it : nullptr;
}

const Alert* AlertBook::find(std::uint64_t id) const {
    return const_cast<AlertBook*>(this)->findMutable(id);
}

bool AlertBook::acknowledge(std::uint64_t id) {
    Alert* a = findMutable(id);
    if (!a)
        return false;
    if (!a->acknowledged) {
        a->acknowledged = true;
        ++m_version;
    }
    return true;
}

std::size_t AlertBook::acknowledgeAll() {
    std::size_t n = 0;
    for (auto& a : m_alerts)
        if (!a.acknowledged) {
            a.acknowledged = true;
            ++n;
        }
    if (n)
        ++m_version;
    return n;
}

void AlertBook::setMuted(AlertKind kind, bool muted) {
    const bool changed = muted ? m_muted.insert(kind).second : m_muted.erase(kind) > 0;
    if (changed)
        ++m_version;
}

std::size_t AlertBook::unacknowledged() const {
    return static_cast<std::size_t>(std::count_if(
        m_alerts.begin(), m_alerts.end(), [this](const Alert& a) { return !a.acknowledged && !isMuted(a.kind); }));
}

std::size_t AlertBook::activeCount() const {
    return m_open.size();
}

std::size_t AlertBook::activeCount(AlertKind kind) const {
    return static_cast<std::size_t>(
        std::count_if(m_open.begin(), m_open.end(), [kind](const auto& entry) { return entry.first.first == kind; }));
}

void AlertBook::trim() {
    // Active alerts always stay; of the cleared ones the oldest go first, acknowledged before not.
    for (bool acknowledgedOnly : {true, false}) {
        for (auto it = m_alerts.begin(); m_alerts.size() > m_history && it != m_alerts.end();) {
            if (!it->active() && (it->acknowledged || !acknowledgedOnly)) {
                it = m_alerts.erase(it);
                ++m_version;
            } else {
                ++it;
            }
        }
    }
}

} // namespace md
