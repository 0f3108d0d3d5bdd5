// Desktop notifications over the real D-Bus wire: a private bus (dbus-daemon) with a stand-in
// notification daemon speaking org.freedesktop.Notifications, as the spec defines it
// (https://specifications.freedesktop.org/notification-spec/latest/): Notify's arguments and hints,
// the sound on or off, ActionInvoked coming back; and the silent fallback where there is no daemon.
#include "desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace md;

namespace {

/// What a notification daemon would be: records every Notify and answers with an id.
class FakeDaemon : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call {
        QString app, icon, summary, body;
        QStringList actions;
        QVariantMap hints;
        int timeout = 0;
    };
    QList<Call> calls;

public slots:
    uint Notify(const QString& app, uint, const QString& icon, const QString& summary, const QString& body,
                const QStringList& actions, const QVariantMap& hints, int timeout) {
        calls.append({app, icon, summary, body, actions, hints, timeout});
        return static_cast<uint>(100 + calls.size());
    }
};

Alert alert(AlertSeverity severity) {
    Alert a;
    a.id = 1;
    a.kind = AlertKind::MarketKilled;
    a.market = "SIM-THIN";
    a.severity = severity;
    a.what = "SIM-THIN was killed: executor stuck";
    a.todo = "check the exchange";
    return a;
}

} // namespace

class TestDesktopNotifier : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        m_bus.setProgram("dbus-daemon");
        m_bus.setArguments({"--session", "--nofork", "--nopidfile", "--print-address=1"});
        m_bus.start();
        if (!m_bus.waitForStarted(5000))
            QSKIP("dbus-daemon is not installed");
        QTRY_VERIFY_WITH_TIMEOUT(m_bus.canReadLine(), 10000);
        m_address = QString::fromUtf8(m_bus.readLine()).trimmed();
        QVERIFY(!m_address.isEmpty());
    }
    void cleanupTestCase() {
        m_bus.kill();
        m_bus.waitForFinished(3000);
    }

    void aNotificationCarriesTheAlertAndItsUrgency() {
        QDBusConnection daemonBus = QDBusConnection::connectToBus(m_address, "daemon");
        QVERIFY(daemonBus.isConnected());
        FakeDaemon daemon;
        QVERIFY(daemonBus.registerObject("/org/freedesktop/Notifications", &daemon, QDBusConnection::ExportAllSlots));
        QVERIFY(daemonBus.registerService("org.freedesktop.Notifications"));

        QDBusConnection appBus = QDBusConnection::connectToBus(m_address, "app");
        DesktopNotifier notifier(appBus, false);
        QCOMPARE(notifier.backend(), DesktopNotifier::Backend::DBus);
        notifier.notify(alert(AlertSeverity::Critical));
        QTRY_COMPARE_WITH_TIMEOUT(daemon.calls.size(), 1, 5000);
        const auto& c = daemon.calls[0];
        QCOMPARE(c.app, QString("MarketDesk"));
        QCOMPARE(c.summary, QString("MarketDesk: Market killed — SIM-THIN"));
        QVERIFY(c.body.contains("executor stuck") && c.body.contains("check the exchange"));
        QCOMPARE(c.hints.value("urgency").toInt(), 2);
        QCOMPARE(c.hints.value("sound-name").toString(), QString("dialog-error"));
        QCOMPARE(c.hints.value("desktop-entry").toString(), QString("marketdesk"));
        QVERIFY(c.actions.contains("default"));
        // The sound off: the daemon is asked to keep quiet.
        notifier.setSoundEnabled(false);
        notifier.notify(alert(AlertSeverity::Warning));
        QTRY_COMPARE_WITH_TIMEOUT(daemon.calls.size(), 2, 5000);
        QCOMPARE(daemon.calls[1].hints.value("urgency").toInt(), 1);
        QVERIFY(daemon.calls[1].hints.value("suppress-sound").toBool());
        QVERIFY(!daemon.calls[1].hints.contains("sound-name"));

        // A click on our notification's action brings the Alerts panel; another program's does not.
        QSignalSpy activated(&notifier, &DesktopNotifier::activated);
        QTest::qWait(100); // the answer to Notify (its id) is taken asynchronously
        auto signal = [&](uint id) {
            QDBusMessage m = QDBusMessage::createSignal("/org/freedesktop/Notifications",
                                                        "org.freedesktop.Notifications", "ActionInvoked");
            m << id << QString("default");
            QVERIFY(daemonBus.send(m));
        };
        signal(999);
        signal(101);
        QTRY_COMPARE_WITH_TIMEOUT(activated.count(), 1, 5000);
        QTest::qWait(100);
        QCOMPARE(activated.count(), 1);
        daemonBus.unregisterService("org.freedesktop.Notifications");
        QDBusConnection::disconnectFromBus("daemon");
        QDBusConnection::disconnectFromBus("app");
    }

    void withoutADaemonItStaysSilent() {
        QDBusConnection appBus = QDBusConnection::connectToBus(m_address, "lonely");
        DesktopNotifier notifier(appBus, false);
        QCOMPARE(notifier.backend(), DesktopNotifier::Backend::None);
        notifier.notify(alert(AlertSeverity::Critical));
        QCOMPARE(notifier.sent(), 0);
        QDBusConnection::disconnectFromBus("lonely");
    }

    void withoutABusItStaysSilent() {
        QDBusConnection none = QDBusConnection::connectToBus("unix:path=/nonexistent/bus", "none");
        QVERIFY(!none.isConnected());
        DesktopNotifier notifier(none, false);
        QCOMPARE(notifier.backend(), DesktopNotifier::Backend::None);
        notifier.notify(alert(AlertSeverity::Warning));
        QCOMPARE(notifier.sent(), 0);
    }

private:
    QProcess m_bus;
    QString m_address;
};

QTEST_MAIN(TestDesktopNotifier)
#include "tst_desktopnotifier.moc"
