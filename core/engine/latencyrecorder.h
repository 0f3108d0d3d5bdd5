#pragma once

#include "engine/health.h"

#include <array>
#include <atomic>
#include <cstdint>

namespace md {

/// Tick-to-action latencies of one run of a market's executor. One per run, so a thread abandoned
/// by an earlier run never writes into the figures of the run that replaced it.
/// Thread: record() from that run's executor thread only (plain stores, no locked instruction per
/// action); snapshot() from any thread.
class LatencyRecorder {
public:
    void record(std::int64_t nanoseconds);
    LatencyHistogram snapshot() const;

private:
    std::array<std::atomic<std::uint64_t>, kLatencyBucketsUs.size() + 1> m_buckets{};
    std::atomic<std::uint64_t> m_count{0};
    std::atomic<std::uint64_t> m_sumNs{0};
};

} // namespace md
