#include "connectdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace md {

ConnectDialog::ConnectDialog(const QStringList& markets, const QStringList& stored, QWidget* parent)
    : QDialog(parent)
    , m_market(new QComboBox(this))
    , m_storedNote(new QLabel(this))
    , m_apiKey(new QLineEdit(this))
    , m_ed25519(new QRadioButton(tr("Ed25519 private key (recommended)"), this))
    , m_hmac(new QRadioButton(tr("HMAC secret (deprecated by the exchange)"), this))
    , m_keyFile(new QLineEdit(this))
    , m_secret(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
    , m_forget(new QPushButton(tr("Forget stored keys"), this))
    , m_stored(stored) {
    setWindowTitle(tr("Connect to the exchange"));
    m_market->addItems(markets);
    m_apiKey->setPlaceholderText(tr("API key"));
    m_apiKey->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_secret->setPlaceholderText(tr("secret key"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_keyFile->setPlaceholderText(tr("PEM file, readable by you only (chmod 600)"));
    auto* browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Ed25519 private key"), QString(),
                                                          tr("PEM files (*.pem);;All files (*)"));
        if (!path.isEmpty())
            m_keyFile->setText(path);
    });
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_keyFile, 1);
    fileRow->addWidget(browse);
    m_ed25519->setChecked(true);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet("color: #c62828;");
    m_problem->hide();
    m_storedNote->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Market"), m_market);
    form->addRow(QString(), m_storedNote);
    form->addRow(tr("API key"), m_apiKey);
    form->addRow(tr("Signed with"), m_ed25519);
    form->addRow(QString(), m_hmac);
    form->addRow(tr("Private key"), fileRow);
    form->addRow(tr("Secret"), m_secret);
    auto* note = new QLabel(tr("The keys go to the system keychain and are used the next time the market "
                               "starts (switch it off and on). Without a keychain, set the environment "
                               "variables named in the configuration instead."),
                            this);
    note->setWordWrap(true);
    m_buttons->addButton(m_forget, QDialogButtonBox::DestructiveRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    connect(m_ed25519, &QRadioButton::toggled, this, &ConnectDialog::onKindChanged);
    connect(m_market, &QComboBox::currentIndexChanged, this, &ConnectDialog::onMarketChanged);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_forget, &QPushButton::clicked, this, [this] {
        emit forgetRequested(m_market->currentText());
        m_stored.removeAll(m_market->currentText());
        onMarketChanged();
    });
    onKindChanged();
    onMarketChanged();
    resize(520, sizeHint().height());
}

void ConnectDialog::onKindChanged() {
    const bool ed = m_ed25519->isChecked();
    m_keyFile->setEnabled(ed);
    m_secret->setEnabled(!ed);
}

void ConnectDialog::onMarketChanged() {
    const bool stored = m_stored.contains(m_market->currentText());
    m_storedNote->setText(stored ? tr("Keys are stored for this market; saving replaces them.")
                                 : tr("No keys stored for this market."));
    m_forget->setEnabled(stored);
}

void ConnectDialog::refuse(const QString& why) {
    m_problem->setText(why);
    m_problem->show();
}

void ConnectDialog::save() {
    const QString market = m_market->currentText();
    const QByteArray apiKey = m_apiKey->text().trimmed().toUtf8();
    if (market.isEmpty())
        return refuse(tr("No market takes keys in this configuration."));
    if (apiKey.isEmpty())
        return refuse(tr("Enter the API key."));
    QByteArray secret;
    if (m_ed25519->isChecked()) {
        const QString path = m_keyFile->text().trimmed();
        const QFileInfo info(path);
        if (path.isEmpty() || !info.isFile())
            return refuse(tr("Choose the file of the Ed25519 private key."));
        // Others able to read it could trade the account: the same rule as for a key file named in the config.
        if (info.permissions() &
            (QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther))
            return refuse(tr("%1 can be read or changed by other users; run chmod 600 on it first.").arg(path));
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return refuse(tr("%1 cannot be read.").arg(path));
        secret = file.readAll();
        if (!secret.contains("-----BEGIN PRIVATE KEY-----"))
            return refuse(tr("%1 is not a PEM private key.").arg(path));
    } else {
        secret = m_secret->text().trimmed().toUtf8();
        if (secret.isEmpty())
            return refuse(tr("Enter the secret key."));
    }
    m_apiKey->clear();
    m_secret->clear();
    emit keysEntered(market, apiKey, secret);
    accept();
}

} // namespace md
