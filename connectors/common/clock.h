#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace md::venue {

/// Wall-clock milliseconds since the epoch, as venue machinery needs them: exchanges count rate
/// limits in windows aligned to their clock and judge a request's timestamp against it.
/// Injectable, so that limiter and resolver tests run without waiting.
/// Thread: any (implementations are thread-safe).
class Clock {
public:
    virtual ~Clock() = default;
    virtual std::int64_t nowMs() const = 0;

    /// The process's wall clock (one shared instance).
    static std::shared_ptr<const Clock> system();
};

/// A clock that moves only when told: for deterministic tests.
class ManualClock : public Clock {
public:
    explicit ManualClock(std::int64_t startMs = 1'700'000'000'000)
        : m_now(startMs) {}
    std::int64_t nowMs() const override { return m_now.load(); }
    void set(std::int64_t ms) { m_now.store(ms); }
    void advance(std::int64_t ms) { m_now.fetch_add(ms); }

private:
    std::atomic<std::int64_t> m_now;
};

} // namespace md::venue
