#include "deskstatus.h"

#include <QObject>
#include <QStringList>

namespace md {

DeskStatus DeskStatus::of(const std::vector<MarketHealth>& health, bool deskHalted, bool shuttingDown) {
    DeskStatus s;
    for (const auto& h : health) {
        s.marketsUp += h.state == MarketState::Running || h.state == MarketState::Degraded;
        s.marketsDown += h.state == MarketState::Failed || h.state == MarketState::Killed;
        if (!isActive(h.state))
            continue;
        s.marketsHalted += h.tradingState == "halted";
        s.marketsReduceOnly += h.tradingState == "reduce-only";
    }
    if (shuttingDown) {
        s.text = QObject::tr("SHUTTING DOWN");
        s.tone = Tone::Warning;
        return s;
    }
    if (deskHalted) {
        s.text = QObject::tr("HALTED");
        s.tone = Tone::Bad;
        return s;
    }
    QStringList parts{QObject::tr("TRADING")};
    if (s.marketsHalted)
        parts << (s.marketsHalted == 1 ? QObject::tr("1 market halted")
                                       : QObject::tr("%1 markets halted").arg(s.marketsHalted));
    if (s.marketsReduceOnly)
        parts << QObject::tr("%1 reduce-only").arg(s.marketsReduceOnly);
    if (s.marketsDown)
        parts << (s.marketsDown == 1 ? QObject::tr("1 market down")
                                     : QObject::tr("%1 markets down").arg(s.marketsDown));
    s.text = parts.join(QStringLiteral(" · "));
    s.tone = parts.size() > 1 ? Tone::Warning : Tone::Good;
    return s;
}

} // namespace md
