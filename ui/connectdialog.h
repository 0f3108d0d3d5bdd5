#pragma once

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QDialogButtonBox;
class QPushButton;

namespace md {

/// Keys entered once for an exchange market, to be kept in the OS keychain: the API key and either
/// an HMAC secret or an Ed25519 private key read from a PEM file only its owner may read. The dialog
/// only collects and checks them; the app stores them (the window never touches a keychain or a
/// connector) and they are used the next time the market starts. Nothing typed is ever shown again
/// or logged.
/// Thread: the UI thread.
class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    /// `markets`: the markets that take keys (by name). `stored`: those that already have keys stored.
    ConnectDialog(const QStringList& markets, const QStringList& stored, QWidget* parent = nullptr);

    QComboBox* marketBox() const { return m_market; }
    QLineEdit* apiKeyEdit() const { return m_apiKey; }
    QLineEdit* secretEdit() const { return m_secret; }
    QLineEdit* keyFileEdit() const { return m_keyFile; }
    QRadioButton* ed25519Choice() const { return m_ed25519; }
    QLabel* problemLabel() const { return m_problem; }
    /// Checks what was entered and, when it holds, emits keysEntered and closes.
    void save();

signals:
    /// `secret`: the HMAC secret, or the text of the Ed25519 private key (PEM).
    void keysEntered(const QString& market, const QByteArray& apiKey, const QByteArray& secret);
    void forgetRequested(const QString& market);

private:
    void onKindChanged();
    void onMarketChanged();
    void refuse(const QString& why);

    QComboBox* m_market;
    QLabel* m_storedNote;
    QLineEdit* m_apiKey;
    QRadioButton* m_ed25519;
    QRadioButton* m_hmac;
    QLineEdit* m_keyFile;
    QLineEdit* m_secret;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
    QPushButton* m_forget;
    QStringList m_stored;
};

} // namespace md
