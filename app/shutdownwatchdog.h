#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace md {

/// Bounds the shutdown whatever the main (UI) thread is doing: a thread of its own that, once armed,
/// calls `finish` at grace + margin — the report written as far as it can be told, the journal
/// flushed with a timeout, exit code 3 (see main). SIGINT/SIGTERM reach it straight from the signal
/// handler, not through the main thread: the first arms it (a main thread that is stuck never starts
/// the shutdown), the second calls `finish` at once.
/// One per process; never destroyed (it may fire while anything else is being torn down).
/// Thread: arm/extend from any thread; noteTerminationSignal from a signal handler; `finish` runs on
/// the "watchdog" thread.
class ShutdownWatchdog {
public:
    using Finish = std::function<void(const std::string& why)>; // must end the process
    ShutdownWatchdog(double graceSeconds, double marginSeconds, Finish finish);
    ShutdownWatchdog(const ShutdownWatchdog&) = delete;
    ShutdownWatchdog& operator=(const ShutdownWatchdog&) = delete;

    /// The orderly shutdown began: the process ends at grace + margin from now at the latest.
    void arm();
    /// Gives until `seconds` from now (e.g. the window holding the close-out report); never earlier
    /// than already set. Does nothing before arm().
    void extend(double seconds);
    bool isArmed() const;
    /// Makes what noteTerminationSignal() touches (a non-blocking pipe). Called by
    /// SignalBridge::installHandlers() before a handler can run and before any thread is started,
    /// so every thread a signal may land on sees it made; idempotent. False when no pipe can be made
    /// (the watchdog then still ends the process at its deadline, it only hears signals late).
    static bool prepareForSignals();
    /// Async-signal-safe: a SIGINT or SIGTERM arrived (called by the signal handler, on any thread).
    static void noteTerminationSignal();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace md
