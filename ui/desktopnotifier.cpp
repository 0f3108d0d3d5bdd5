#include "desktopnotifier.h"

#include "appicon.h"

#include <QApplication>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QSystemTrayIcon>

namespace md {
namespace {

const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");

QString summaryOf(const Alert& alert) {
    const auto title = titleOf(alert.kind);
    QString summary = QStringLiteral("MarketDesk: ") + QString::fromUtf8(title.data(), static_cast<int>(title.size()));
    if (!alert.market.empty())
        summary += QStringLiteral(" — ") + QString::fromStdString(alert.market);
    return summary;
}

} // namespace

DesktopNotifier::DesktopNotifier(QObject* parent)
    : QObject(parent)
    , m_bus(QDBusConnection::sessionBus()) {
    connectTo(m_bus, true);
}

DesktopNotifier::DesktopNotifier(const QDBusConnection& bus, bool allowTray, QObject* parent)
    : QObject(parent)
    , m_bus(bus) {
    connectTo(m_bus, allowTray);
}

void DesktopNotifier::connectTo(const QDBusConnection& bus, bool allowTray) {
    // Asked once, at start: a daemon that is running, or one the bus can start on the first call.
    if (bus.isConnected() && bus.interface()) {
        const bool running = bus.interface()->isServiceRegistered(kService).value();
        const bool activatable = !running && bus.interface()->activatableServiceNames().value().contains(kService);
        if (running || activatable) {
            m_backend = Backend::DBus;
            m_bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                          SLOT(onActionInvoked(uint, QString)));
            return;
        }
    }
    if (allowTray && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(appIcon(), this);
        m_tray->setToolTip(QStringLiteral("MarketDesk"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &DesktopNotifier::activated);
        m_tray->show();
        m_backend = Backend::Tray;
    }
}

void DesktopNotifier::notify(const Alert& alert) {
    const QString body = QString::fromStdString(alert.what) + QStringLiteral("\n") + QString::fromStdString(alert.todo);
    const bool critical = alert.severity == AlertSeverity::Critical;
    switch (m_backend) {
    case Backend::DBus: {
        QVariantMap hints;
        hints.insert(QStringLiteral("urgency"), QVariant::fromValue<uchar>(critical ? 2 : 1));
        hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("marketdesk"));
        hints.insert(QStringLiteral("category"), QStringLiteral("x-marketdesk.alert"));
        if (m_sound)
            hints.insert(QStringLiteral("sound-name"),
                         critical ? QStringLiteral("dialog-error") : QStringLiteral("dialog-warning"));
        else
            hints.insert(QStringLiteral("suppress-sound"), true);
        QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
        call << QStringLiteral("MarketDesk") << uint(0) << QStringLiteral("marketdesk") << summaryOf(alert) << body
             << QStringList{QStringLiteral("default"), tr("Show alerts")} << hints << int(-1);
        // Never wait for the daemon: its answer (the notification's id) is taken when it comes.
        auto* watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
        connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher* w) {
            QDBusPendingReply<uint> reply = *w;
            if (!reply.isError())
                m_ids.insert(reply.value());
            w->deleteLater();
        });
        ++m_sent;
        return;
    }
    case Backend::Tray:
        m_tray->showMessage(summaryOf(alert), body, critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning,
                            10000);
        if (m_sound)
            QApplication::beep();
        ++m_sent;
        return;
    case Backend::None:
        return; // the panel and the badge show it
    }
}

void DesktopNotifier::onActionInvoked(uint id, const QString& action) {
    // Every program's notifications are signalled on the bus: only ours count.
    if (m_ids.count(id) && action == QStringLiteral("default"))
        emit activated();
}

} // namespace md
