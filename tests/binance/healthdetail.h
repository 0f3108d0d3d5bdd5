#pragma once

#include "engine/health.h"

#include <string>

namespace md::test {

/// A connector detail's numeric value from a health snapshot (-1 when the connector does not report it).
inline double detail(const MarketHealth& h, const std::string& key) {
    for (const auto& d : h.details)
        if (d.key == key)
            return d.value;
    return -1;
}

/// The same detail as the window shows it ("" when absent).
inline std::string detailText(const MarketHealth& h, const std::string& key) {
    for (const auto& d : h.details)
        if (d.key == key)
            return d.text;
    return {};
}

} // namespace md::test
