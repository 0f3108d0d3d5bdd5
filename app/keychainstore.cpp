#include "keychainstore.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QTimer>

namespace md {

namespace {
const QString kService = "MarketDesk";
} // namespace

KeychainStore::KeychainStore(QObject* parent)
    : QObject(parent) {}

QString KeychainStore::keyOf(const QString& market) {
    return "binance/" + market;
}

QString KeychainStore::loadAll(const QStringList& markets, int timeoutMs) {
    QStringList problems;
    for (const QString& market : markets) {
        auto* job = new QKeychain::ReadPasswordJob(kService, this);
        job->setKey(keyOf(market));
        job->setAutoDelete(true);
        // Never a plain-text file instead of the keychain.
        job->setInsecureFallback(false);
        QEventLoop loop;
        bool finished = false;
        connect(job, &QKeychain::Job::finished, &loop, [&](QKeychain::Job* j) {
            finished = true;
            if (j->error() == QKeychain::NoError) {
                const QByteArray data = static_cast<QKeychain::ReadPasswordJob*>(j)->binaryData();
                const int newline = data.indexOf('\n');
                if (newline > 0) {
                    std::lock_guard lock(m_mutex);
                    m_keys[market.toStdString()] = {data.left(newline), data.mid(newline + 1)};
                }
            } else if (j->error() != QKeychain::EntryNotFound) {
                problems << market + ": " + j->errorString();
            }
            loop.quit();
        });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        job->start();
        if (!finished)
            loop.exec();
        if (!finished)
            problems << market + ": the keychain did not answer within " + QString::number(timeoutMs) + " ms";
    }
    return problems.join("; ");
}

std::optional<binance::StoredKeys> KeychainStore::stored(const std::string& market) const {
    std::lock_guard lock(m_mutex);
    auto it = m_keys.find(market);
    if (it == m_keys.end())
        return std::nullopt;
    return it->second;
}

QStringList KeychainStore::storedMarkets() const {
    std::lock_guard lock(m_mutex);
    QStringList out;
    for (const auto& [market, keys] : m_keys)
        out << QString::fromStdString(market);
    return out;
}

void KeychainStore::save(const QString& market, const QByteArray& apiKey, const QByteArray& secret,
                         std::function<void(const QString&)> done) {
    auto* job = new QKeychain::WritePasswordJob(kService, this);
    job->setKey(keyOf(market));
    job->setInsecureFallback(false);
    job->setBinaryData(apiKey + '\n' + secret);
    connect(job, &QKeychain::Job::finished, this,
            [this, market, apiKey, secret, done = std::move(done)](QKeychain::Job* j) {
                if (j->error() == QKeychain::NoError) {
                    std::lock_guard lock(m_mutex);
                    m_keys[market.toStdString()] = {apiKey, secret};
                }
                done(j->error() == QKeychain::NoError ? QString() : j->errorString());
            });
    job->start();
}

void KeychainStore::forget(const QString& market, std::function<void(const QString&)> done) {
    auto* job = new QKeychain::DeletePasswordJob(kService, this);
    job->setKey(keyOf(market));
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, market, done = std::move(done)](QKeychain::Job* j) {
        {
            std::lock_guard lock(m_mutex);
            m_keys.erase(market.toStdString());
        }
        done(j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound ? QString() : j->errorString());
    });
    job->start();
}

} // namespace md
