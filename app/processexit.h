#pragma once

namespace md {

/// Ends the process: every log flushed (the console given a bounded moment, it may be a pipe nobody
/// reads), then _Exit — threads abandoned by their markets may still run, and destroying a running
/// QThread aborts (PLATFORM.md). The first caller wins; another thread calling it meanwhile (the
/// watchdog and the main thread at once) waits for that exit.
/// Thread: any.
[[noreturn]] void exitProcess(int code);

} // namespace md
