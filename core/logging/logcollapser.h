#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace md {

/// Keeps repeats out of the log: the first line of a kind is written at once; the same kind again
/// within `window` is only counted, and when the window ends one line says how often it came:
/// "<the latest of them> … ×94 in 30 s". The kind of a line is its logger, level and text with order
/// ids ("#123") and durations ("10.1 s", "250 ms") masked, so "#12 rejected …" and "#13 rejected …"
/// are one kind while lines that differ in anything else (a price, a market, a reason) are not.
/// Thread: one thread (the caller's); not synchronised.
class LogCollapser {
public:
    explicit LogCollapser(std::int64_t windowNs = 30'000'000'000);

    /// Writes `text` to `logger` unless it repeats a line of its kind written less than a window ago.
    /// Returns true when it was written.
    /// With `anyNumber`, every number in the line is masked, not only ids and durations (a strategy retrying
    /// into a halt says the same thing at every price the book moves to).
    bool log(const std::shared_ptr<spdlog::logger>& logger, spdlog::level::level_enum level, std::string text,
             std::int64_t nowNs, bool anyNumber = false);
    /// Writes the count of every window that ended by `nowNs` (all of them with `everything`).
    void flush(std::int64_t nowNs, bool everything = false);
    /// Kinds being watched now (bounded by what was logged within one window).
    std::size_t watched() const { return m_entries.size(); }

    /// The text with order ids and durations masked (the kind); with `anyNumber`, every number.
    static std::string maskedKind(std::string_view text, bool anyNumber = false);

private:
    struct Entry {
        std::shared_ptr<spdlog::logger> logger;
        spdlog::level::level_enum level = spdlog::level::info;
        std::int64_t firstNs = 0;
        std::int64_t lastNs = 0;
        std::uint64_t repeats = 0; // after the line that was written
        std::string latest;
    };
    void summarise(const Entry& e);

    std::int64_t m_windowNs;
    std::map<std::string, Entry> m_entries;
};

} // namespace md
