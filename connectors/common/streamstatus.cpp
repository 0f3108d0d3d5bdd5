#include "common/streamstatus.h"

namespace md::venue {

void StreamStatus::set(const std::string& part, const std::string& reason) {
    if (reason.empty())
        m_reasons.erase(part);
    else
        m_reasons[part] = reason;
    std::string combined;
    for (const auto& [name, why] : m_reasons)
        if (combined.find(why) == std::string::npos) // two parts saying the same (keys refused) say it once
            combined += (combined.empty() ? "" : "; ") + why;
    if (combined == m_reported)
        return;
    const bool wasDegraded = m_reported != "\x01" && !m_reported.empty();
    m_reported = combined;
    if (!combined.empty())
        m_sink.reportStatus(MarketState::Degraded, combined);
    else if (wasDegraded || m_reasons.empty())
        m_sink.reportStatus(MarketState::Running, "all streams up");
}

} // namespace md::venue
