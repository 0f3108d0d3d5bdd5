#include "logging/consolesink.h"

#include <fmt/format.h>

#include <cerrno>
#include <condition_variable>
#include <deque>
#include <string>
#include <thread>

#include <csignal>
#include <pthread.h>
#include <unistd.h>

namespace md {

struct ConsoleSink::Shared {
    int fd = 2;
    std::size_t capacity = 0;
    std::mutex mutex;
    std::condition_variable wake;    // lines arrived, or the sink is gone
    std::condition_variable drained; // the writer caught up
    std::deque<std::string> lines;
    std::size_t bytes = 0;
    std::uint64_t dropped = 0; // since the last "dropped" line
    std::uint64_t droppedTotal = 0;
    std::uint64_t taken = 0;   // lines accepted
    std::uint64_t written = 0; // lines the console took
    bool stop = false;

    // Writes all of `text`; false when the console is gone (EPIPE, closed).
    bool writeAll(const std::string& text) {
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }

    void run() {
        pthread_setname_np(pthread_self(), "console-writer");
        // A console that went away (`| head` ended) is EPIPE for this thread, not SIGPIPE for the process.
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
        std::unique_lock lock(mutex);
        for (;;) {
            wake.wait(lock, [&] { return stop || !lines.empty() || dropped > 0; });
            if (stop && lines.empty())
                return;
            std::string chunk;
            std::uint64_t count = 0;
            while (!lines.empty() && chunk.size() < 64 * 1024) {
                chunk += lines.front();
                bytes -= lines.front().size();
                lines.pop_front();
                ++count;
            }
            // Once the console takes lines again (everything waiting is out), say what it missed.
            std::uint64_t missed = 0;
            if (lines.empty() && dropped > 0) {
                missed = dropped;
                dropped = 0;
            }
            lock.unlock();
            bool ok = writeAll(chunk);
            if (missed > 0 && ok)
                ok = writeAll(fmt::format("[console] {} line(s) dropped: the console was not reading (the log file "
                                          "and the window's log have them)\n",
                                          missed));
            lock.lock();
            written += count;
            drained.notify_all();
            if (!ok) {
                // The console is gone for good (closed, EPIPE): nothing will be written again; lines
                // from now on are dropped and counted, and this thread ends.
                droppedTotal += lines.size();
                lines.clear();
                bytes = 0;
                capacity = 0;
                drained.notify_all();
                return;
            }
        }
    }
};

ConsoleSink::ConsoleSink(int fd, std::size_t capacityBytes)
    : m_shared(std::make_shared<Shared>())
    , m_colours(::isatty(fd) == 1) {
    m_shared->fd = fd;
    m_shared->capacity = capacityBytes;
    std::thread([shared = m_shared] { shared->run(); }).detach();
}

ConsoleSink::~ConsoleSink() {
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->stop = true;
    }
    m_shared->wake.notify_all();
}

void ConsoleSink::sink_it_(const spdlog::details::log_msg& msg) {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::string line;
    if (m_colours && msg.color_range_end > msg.color_range_start && msg.level >= spdlog::level::warn) {
        const char* colour = msg.level >= spdlog::level::err ? "\033[31m\033[1m" : "\033[33m\033[1m";
        line.append(formatted.data(), msg.color_range_start);
        line += colour;
        line.append(formatted.data() + msg.color_range_start, msg.color_range_end - msg.color_range_start);
        line += "\033[0m";
        line.append(formatted.data() + msg.color_range_end, formatted.size() - msg.color_range_end);
    } else {
        line.assign(formatted.data(), formatted.size());
    }
    Shared& s = *m_shared;
    {
        std::lock_guard lock(s.mutex);
        if (s.bytes + line.size() > s.capacity) {
            ++s.dropped;
            ++s.droppedTotal;
            return;
        }
        s.bytes += line.size();
        s.lines.push_back(std::move(line));
        ++s.taken;
    }
    s.wake.notify_one();
}

bool ConsoleSink::drain(std::chrono::milliseconds timeout) {
    Shared& s = *m_shared;
    std::unique_lock lock(s.mutex);
    const std::uint64_t target = s.taken;
    return s.drained.wait_for(lock, timeout, [&] { return s.written >= target || s.capacity == 0; });
}

std::uint64_t ConsoleSink::droppedLines() const {
    std::lock_guard lock(m_shared->mutex);
    return m_shared->droppedTotal;
}

} // namespace md
