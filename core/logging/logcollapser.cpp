#include "logging/logcollapser.h"

#include <cctype>
#include <cmath>

namespace md {
namespace {

bool isDigit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// " s", "ms", " ms" or "s" as a whole word at the start of `rest`.
bool isDuration(std::string_view rest) {
    if (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    for (std::string_view unit : {"ms", "s"})
        if (rest.rfind(unit, 0) == 0 &&
            (rest.size() == unit.size() || !std::isalnum(static_cast<unsigned char>(rest[unit.size()]))))
            return true;
    return false;
}

} // namespace

LogCollapser::LogCollapser(std::int64_t windowNs)
    : m_windowNs(windowNs) {}

std::string LogCollapser::maskedKind(std::string_view text, bool anyNumber) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '#' && i + 1 < text.size() && isDigit(text[i + 1])) { // an order id
            out += "#N";
            for (++i; i < text.size() && isDigit(text[i]); ++i) {
            }
            continue;
        }
        if (isDigit(c) && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
            // A number followed by a time unit is a duration: masked. Any other number is kept.
            std::size_t end = i;
            while (end < text.size() && (isDigit(text[end]) || text[end] == '.'))
                ++end;
            if (anyNumber || isDuration(text.substr(end))) {
                out += 'N';
                i = end;
                continue;
            }
            out.append(text.substr(i, end - i));
            i = end;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

bool LogCollapser::log(const std::shared_ptr<spdlog::logger>& logger, spdlog::level::level_enum level, std::string text,
                       std::int64_t nowNs, bool anyNumber) {
    if (!logger->should_log(level))
        return false;
    std::string key = logger->name();
    key += static_cast<char>('0' + level);
    key += maskedKind(text, anyNumber);
    auto it = m_entries.find(key);
    if (it != m_entries.end() && nowNs - it->second.firstNs >= m_windowNs) {
        summarise(it->second); // its window ended before the periodic flush saw it
        m_entries.erase(it);
        it = m_entries.end();
    }
    if (it == m_entries.end()) {
        logger->log(level, "{}", text);
        m_entries.emplace(std::move(key), Entry{logger, level, nowNs, nowNs, 0, {}});
        return true;
    }
    ++it->second.repeats;
    it->second.lastNs = nowNs;
    it->second.latest = std::move(text);
    return false;
}

void LogCollapser::flush(std::int64_t nowNs, bool everything) {
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        if (everything || nowNs - it->second.firstNs >= m_windowNs) {
            summarise(it->second);
            it = m_entries.erase(it);
        } else {
            ++it;
        }
    }
}

void LogCollapser::summarise(const Entry& e) {
    if (e.repeats == 0)
        return;
    // Counted with the first line, which was written: "×95" means it happened 95 times.
    const double seconds = std::max(1.0, std::ceil((e.lastNs - e.firstNs) / 1e9));
    e.logger->log(e.level, "{} … ×{} in {:.0f} s", e.latest, e.repeats + 1, seconds);
}

} // namespace md
