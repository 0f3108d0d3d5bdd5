#pragma once

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>

namespace md {

/// The console (stderr) as a log sink that never makes a logging thread wait. A line is formatted
/// and handed to a writer thread of the sink's own; when the console does not keep up (a paused
/// terminal, a stalled `| tee`, a pipe nobody reads) and the sink's buffer is full, lines are
/// dropped and counted, and once the console takes lines again one line says how many it missed.
/// The log file and the window's log, separate sinks, keep everything.
/// The writer may block in write() for good; it owns its state (shared), so nothing it waits on is
/// destroyed under it, and the process still ends (_Exit) without it.
/// Thread: log calls from any thread; the writer on "console-writer".
class ConsoleSink : public spdlog::sinks::base_sink<std::mutex> {
public:
    /// `fd`: where the lines go (stderr); `capacityBytes`: how much may wait for the console.
    explicit ConsoleSink(int fd = 2, std::size_t capacityBytes = 1 << 20);
    ~ConsoleSink() override;

    /// Waits until every line taken so far is written, at most `timeout`; false when the console
    /// did not take them in time (the exit path: bounded).
    bool drain(std::chrono::milliseconds timeout);
    /// Lines dropped so far because the console did not keep up.
    std::uint64_t droppedLines() const;

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override {} // never waits: the writer writes as fast as the console takes it

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    bool m_colours;
};

} // namespace md
