#pragma once

#include <QToolButton>

namespace md {

class AlertBook;

/// The status bar's alarm badge: the number of unacknowledged alerts (kinds the user muted left out),
/// red while a critical one is among them, amber for warnings, quiet at zero. A click shows the
/// Alerts panel.
/// Thread: the UI thread.
class AlertBadge : public QToolButton {
    Q_OBJECT
public:
    explicit AlertBadge(QWidget* parent = nullptr);
    void setBook(const AlertBook& book);
    int count() const { return m_count; }
    /// "critical", "warning" or "none": the badge's colour (a stylesheet property).
    QString tone() const { return property("tone").toString(); }

private:
    int m_count = -1;
};

} // namespace md
