#include "engine/latencyrecorder.h"

namespace md {

void LatencyRecorder::record(std::int64_t nanoseconds) {
    if (nanoseconds < 0)
        nanoseconds = 0;
    const double us = static_cast<double>(nanoseconds) / 1000.0;
    std::size_t bucket = 0;
    while (bucket < kLatencyBucketsUs.size() && us > kLatencyBucketsUs[bucket])
        ++bucket;
    auto bump = [](std::atomic<std::uint64_t>& a, std::uint64_t by) {
        a.store(a.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
    };
    bump(m_buckets[bucket], 1);
    bump(m_count, 1);
    bump(m_sumNs, static_cast<std::uint64_t>(nanoseconds));
}

LatencyHistogram LatencyRecorder::snapshot() const {
    LatencyHistogram h;
    for (std::size_t i = 0; i < m_buckets.size(); ++i)
        h.counts[i] = m_buckets[i].load(std::memory_order_relaxed);
    h.total = m_count.load(std::memory_order_relaxed);
    h.sumUs = static_cast<double>(m_sumNs.load(std::memory_order_relaxed)) / 1000.0;
    return h;
}

} // namespace md
