#include "common/clientidcodec.h"

#include <charconv>
#include <string_view>

namespace md::venue {

namespace {
constexpr std::string_view kPrefix = "md-";
} // namespace

std::string ClientIdCodec::encode(ClientOrderId id) const {
    std::string out(kPrefix);
    if (!m_runTag.empty())
        out += m_runTag + "-";
    return out + std::to_string(id);
}

std::optional<ClientIdCodec::Parsed> ClientIdCodec::parse(const std::string& clientOrderId) {
    if (clientOrderId.size() <= kPrefix.size() || clientOrderId.compare(0, kPrefix.size(), kPrefix) != 0)
        return std::nullopt;
    std::string_view rest(clientOrderId);
    rest.remove_prefix(kPrefix.size());
    Parsed parsed;
    if (const auto dash = rest.find('-'); dash != std::string_view::npos) {
        parsed.runTag = std::string(rest.substr(0, dash));
        rest.remove_prefix(dash + 1);
        if (parsed.runTag.empty())
            return std::nullopt;
        for (char c : parsed.runTag)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')))
                return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), parsed.id);
    if (ec != std::errc() || ptr != rest.data() + rest.size() || parsed.id == 0)
        return std::nullopt;
    return parsed;
}

std::optional<ClientOrderId> ClientIdCodec::ours(const std::string& clientOrderId) const {
    const auto parsed = parse(clientOrderId);
    if (!parsed || parsed->runTag != m_runTag)
        return std::nullopt;
    return parsed->id;
}

} // namespace md::venue
