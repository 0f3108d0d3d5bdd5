#pragma once

#include "domain/types.h"

#include <optional>
#include <string>

namespace md::venue {

/// Our client order ids as an exchange sees them: "md-<run tag>-<number>". The strategy of every
/// run counts from 1, and an earlier run's order may still be open on the exchange, so the run tag
/// (MarketSpec::orderTag, [0-9a-z]+) keeps the runs apart; "md-<number>" is the untagged form.
/// Thread: value type, any thread.
class ClientIdCodec {
public:
    explicit ClientIdCodec(std::string runTag = {})
        : m_runTag(std::move(runTag)) {}

    struct Parsed {
        std::string runTag; // "" for the untagged form
        ClientOrderId id = 0;
    };
    /// Any run's id of ours; nullopt for somebody else's (a person's manual order, another program).
    static std::optional<Parsed> parse(const std::string& clientOrderId);

    const std::string& runTag() const { return m_runTag; }
    std::string encode(ClientOrderId id) const;
    /// Our number in an id of this run; nullopt for another run's or somebody else's.
    std::optional<ClientOrderId> ours(const std::string& clientOrderId) const;

private:
    std::string m_runTag;
};

} // namespace md::venue
