#pragma once

#include "alerts/alert.h"

#include <QDBusConnection>
#include <QObject>

#include <set>

class QSystemTrayIcon;

namespace md {

/// Tells the desktop about an alert, outside the window: a freedesktop.org notification over D-Bus
/// (org.freedesktop.Notifications; urgency from the severity, a themed sound unless the sound is off),
/// else a tray balloon where a system tray exists, else nothing — the Alerts panel and the status-bar
/// badge have it all the same (CI, offscreen, a desktop without a notification daemon). Calls are
/// asynchronous: the UI thread never waits for the daemon. A click on the notification's action emits
/// activated().
/// Spec: https://specifications.freedesktop.org/notification-spec/latest/ (Notify, hints "urgency",
/// "sound-name", "suppress-sound", "desktop-entry"; the ActionInvoked signal).
/// Thread: the UI thread.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    enum class Backend { None, DBus, Tray };

    /// The session bus, else the tray, else nothing.
    explicit DesktopNotifier(QObject* parent = nullptr);
    /// A given bus (tests run a private one); `allowTray` false keeps the tray out of it.
    DesktopNotifier(const QDBusConnection& bus, bool allowTray, QObject* parent = nullptr);

    Backend backend() const { return m_backend; }
    /// The sound that goes with a notification (on by default; without a daemon, the desktop's bell).
    void setSoundEnabled(bool on) { m_sound = on; }
    bool soundEnabled() const { return m_sound; }
    void notify(const Alert& alert);
    /// Notifications handed to the backend so far.
    int sent() const { return m_sent; }

signals:
    /// The user clicked the notification (its "Show alerts" action) or the tray balloon.
    void activated();

private slots:
    void onActionInvoked(uint id, const QString& action);

private:
    void connectTo(const QDBusConnection& bus, bool allowTray);

    QDBusConnection m_bus;
    Backend m_backend = Backend::None;
    QSystemTrayIcon* m_tray = nullptr;
    bool m_sound = true;
    int m_sent = 0;
    std::set<uint> m_ids; // the daemon's ids of our notifications
};

} // namespace md
