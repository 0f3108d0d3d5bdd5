#include "alertbadge.h"

#include "alerts/alertbook.h"

#include <QStyle>

namespace md {

AlertBadge::AlertBadge(QWidget* parent)
    : QToolButton(parent) {
    setObjectName("alertBadge");
    setAutoRaise(true);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Unacknowledged alerts — click to see them"));
    setProperty("tone", "none");
    setText(tr("No alerts"));
}

void AlertBadge::setBook(const AlertBook& book) {
    int count = 0;
    bool critical = false;
    for (const auto& a : book.alerts()) {
        if (a.acknowledged || book.isMuted(a.kind))
            continue;
        ++count;
        critical = critical || a.severity == AlertSeverity::Critical;
    }
    const QString tone = count == 0 ? "none" : critical ? "critical" : "warning";
    if (count == m_count && tone == this->tone())
        return;
    m_count = count;
    setText(count == 0 ? tr("No alerts") : count == 1 ? tr("⚠  1 alert") : tr("⚠  %1 alerts").arg(count));
    if (tone != this->tone()) {
        setProperty("tone", tone);
        style()->unpolish(this);
        style()->polish(this);
    }
}

} // namespace md
