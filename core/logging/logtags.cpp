#include "logging/logtags.h"

#include <algorithm>

namespace md {
namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

void add(std::vector<std::string>& out, std::string_view name) {
    name = trimmed(name);
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
        out.emplace_back(name);
}

} // namespace

std::vector<std::string> marketsOfLogLine(std::string_view logger, std::string_view text) {
    std::vector<std::string> out;
    constexpr std::string_view marketLogger = "market.";
    if (logger.substr(0, marketLogger.size()) == marketLogger)
        add(out, logger.substr(marketLogger.size()));
    if (text.empty() || text.front() != '[')
        return out;
    const std::size_t end = text.find(']');
    if (end == std::string_view::npos)
        return out;
    std::string_view tag = text.substr(1, end - 1);
    // Separators: the arrow from cause to targets, and commas between targets.
    constexpr std::string_view arrow = "→";
    for (std::size_t start = 0; start <= tag.size();) {
        std::size_t next = tag.size();
        std::size_t skip = 0;
        if (auto a = tag.find(arrow, start); a != std::string_view::npos && a < next) {
            next = a;
            skip = arrow.size();
        }
        if (auto c = tag.find(',', start); c != std::string_view::npos && c < next) {
            next = c;
            skip = 1;
        }
        add(out, tag.substr(start, next - start));
        if (next == tag.size())
            break;
        start = next + skip;
    }
    return out;
}

} // namespace md
