#include "binance/connectionstatus.h"

namespace md::binance {

void ConnectionStatus::set(const std::string& part, const std::string& reason) {
    std::lock_guard lock(m_mutex);
    if (reason.empty())
        m_reasons.erase(part);
    else
        m_reasons[part] = reason;
    std::string combined;
    for (const auto& [name, why] : m_reasons)
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

bool ConnectionStatus::healthy(const std::string& part) const {
    std::lock_guard lock(m_mutex);
    return m_reasons.count(part) == 0;
}

} // namespace md::binance
