#pragma once

#include <string>
#include <string_view>

namespace md::logging {

/// Appends `text` with every control character written as an escape: "\n", "\r", "\t", "\x1b", and
/// the UTF-8 C1 controls as "\u009b". Text from exchanges, configurations and users reaches the log;
/// unescaped, a newline could forge a log line and an escape sequence could repaint a terminal.
/// `Out` is anything with push_back(char) and append(const char*, const char*) (std::string, fmt buffers).
/// Thread: any (pure).
template <class Out> void appendEscaped(std::string_view text, Out& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != 0x7f && c != 0xc2) {
            out.push_back(static_cast<char>(c));
            continue;
        }
        if (c == 0xc2) { // U+0080..U+009F are C1 controls (0x9b is CSI on many terminals)
            const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
            if (next >= 0x80 && next <= 0x9f) {
                const char escape[] = {'\\', 'u', '0', '0', kHex[next >> 4], kHex[next & 15]};
                out.append(escape, escape + sizeof(escape));
                ++i;
            } else {
                out.push_back(static_cast<char>(c));
            }
            continue;
        }
        const char* named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : nullptr;
        if (named) {
            out.append(named, named + 2);
        } else {
            const char escape[] = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
            out.append(escape, escape + sizeof(escape));
        }
    }
}

inline std::string escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    appendEscaped(text, out);
    return out;
}

} // namespace md::logging
