// The Connect dialog: an API key with an HMAC secret or an Ed25519 key file is handed on (to be
// stored in the keychain by the app), a key file other users can read is refused with the remedy,
// missing fields are named, and the dialog forgets what was typed once it has handed it on.
// MD_SCREENSHOT_DIR set: a picture of the dialog is written there.
#include "connectdialog.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace md;

namespace {
const QByteArray kPem =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIBAdFi1gdRprHlBcZyixKxMG0QIAd7Ex6cxzfsbDbzKT\n"
    "-----END PRIVATE KEY-----\n";

QString keyFile(QTemporaryDir& dir, int mode) {
    const QString path = dir.filePath(QString("key-%1.pem").arg(mode, 0, 8));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(kPem);
    f.close();
    ::chmod(QFile::encodeName(path).constData(), static_cast<mode_t>(mode));
    return path;
}
} // namespace

class TestConnectDialog : public QObject {
    Q_OBJECT
private slots:
    void hmacKeysAreHandedOnAndForgotten() {
        ConnectDialog dialog({"BINANCE-A", "BINANCE-B"}, {"BINANCE-B"});
        QSignalSpy entered(&dialog, &ConnectDialog::keysEntered);
        dialog.marketBox()->setCurrentIndex(1);
        dialog.apiKeyEdit()->setText("api-key-123");
        dialog.findChildren<QRadioButton*>().at(1)->setChecked(true); // HMAC
        dialog.secretEdit()->setText("hmac-secret-456");
        dialog.save();
        QCOMPARE(entered.count(), 1);
        QCOMPARE(entered.at(0).at(0).toString(), QString("BINANCE-B"));
        QCOMPARE(entered.at(0).at(1).toByteArray(), QByteArray("api-key-123"));
        QCOMPARE(entered.at(0).at(2).toByteArray(), QByteArray("hmac-secret-456"));
        QVERIFY(dialog.secretEdit()->text().isEmpty()); // not kept in the widget
        QVERIFY(dialog.apiKeyEdit()->text().isEmpty());
    }

    void ed25519KeyFileMustBeOwnersOnly() {
        QTemporaryDir dir;
        ConnectDialog dialog({"BINANCE"}, {});
        QSignalSpy entered(&dialog, &ConnectDialog::keysEntered);
        dialog.apiKeyEdit()->setText("ed-key");
        QVERIFY(dialog.ed25519Choice()->isChecked());
        const QString loose = keyFile(dir, 0644);
        dialog.keyFileEdit()->setText(loose);
        dialog.save();
        QCOMPARE(entered.count(), 0);
        QVERIFY2(dialog.problemLabel()->text().contains("chmod 600"), qPrintable(dialog.problemLabel()->text()));
        dialog.keyFileEdit()->setText(keyFile(dir, 0600));
        dialog.save();
        QCOMPARE(entered.count(), 1);
        QCOMPARE(entered.at(0).at(2).toByteArray(), kPem);
    }

    void missingFieldsAreNamed() {
        ConnectDialog dialog({"BINANCE"}, {});
        QSignalSpy entered(&dialog, &ConnectDialog::keysEntered);
        dialog.save();
        QCOMPARE(dialog.problemLabel()->text(), QString("Enter the API key."));
        dialog.apiKeyEdit()->setText("k");
        dialog.save();
        QVERIFY(dialog.problemLabel()->text().contains("Ed25519 private key"));
        QCOMPARE(entered.count(), 0);
    }

    void screenshot() {
        const QString dir = qEnvironmentVariable("MD_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("MD_SCREENSHOT_DIR not set");
        ConnectDialog dialog({"BINANCE-TESTNET", "BINANCE"}, {"BINANCE"});
        dialog.apiKeyEdit()->setText("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A");
        dialog.keyFileEdit()->setText("/home/trader/.config/marketdesk/binance-ed25519.pem");
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().save(dir + "/screenshot-connect.png"));
    }
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
