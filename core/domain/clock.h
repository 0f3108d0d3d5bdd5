#pragma once

#include <chrono>
#include <cstdint>

namespace md {

/// Monotonic nanoseconds (steady clock): the time base of receive and enqueue stamps and of every
/// deadline.
inline std::int64_t steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Wall clock, milliseconds since the epoch (display, journal).
inline std::int64_t wallNowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace md
