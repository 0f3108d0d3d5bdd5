#pragma once

#include "binance/credentials.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace md {

/// Exchange keys a person entered once in the window's Connect dialog, kept in the OS keychain
/// (qtkeychain: the Secret Service or KWallet on Linux), one entry per market ("binance/<market>"
/// in the service "MarketDesk"). They are read once when the window starts, into memory the
/// connector asks when a market starts; a save or a forget takes effect at the market's next start.
/// Headless runs do not use it: the environment and 0600 key files stay the way for servers.
/// Nothing it holds is ever logged.
/// Thread: the UI thread (keychain jobs run in its event loop); stored() from any thread.
class KeychainStore : public QObject {
    Q_OBJECT
public:
    explicit KeychainStore(QObject* parent = nullptr);

    /// Reads the entries of these markets, waiting at most `timeoutMs` for the keychain. Errors:
    /// returns what went wrong ("" when all went well; a missing entry is not an error).
    QString loadAll(const QStringList& markets, int timeoutMs);
    std::optional<binance::StoredKeys> stored(const std::string& market) const;
    QStringList storedMarkets() const;

    /// `done(error)`: "" when stored.
    void save(const QString& market, const QByteArray& apiKey, const QByteArray& secret,
              std::function<void(const QString& error)> done);
    void forget(const QString& market, std::function<void(const QString& error)> done);

private:
    static QString keyOf(const QString& market);

    mutable std::mutex m_mutex;
    std::map<std::string, binance::StoredKeys> m_keys;
};

} // namespace md
