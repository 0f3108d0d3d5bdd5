#pragma once

#include "binance/binancesettings.h"
#include "binance/ed25519key.h"
#include "binance/hmackey.h"

#include <QByteArray>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace md::binance {

/// Keys as a person stored them once in the OS keychain (the window's Connect dialog): the API key
/// and either an HMAC secret or an Ed25519 private key in PEM. The app reads them; the connector
/// only receives them.
struct StoredKeys {
    QByteArray apiKey;
    QByteArray secret; // HMAC secret, or PEM text of an Ed25519 private key
};
/// The app's access to the keychain, by market name; nullopt when nothing is stored.
using StoredKeysProvider = std::function<std::optional<StoredKeys>(const std::string& market)>;

/// An API key and what signs with it: an HMAC secret (deprecated by Binance, faqs/api_key_types.md)
/// or an Ed25519 private key (recommended; needed for the WebSocket API's session.logon). Never
/// formatted, logged or put in an error message; resolved once per market start.
/// Thread: any (read-only after resolution).
class Credentials {
public:
    enum class KeyType { None, Hmac, Ed25519 };

    bool present() const { return !m_apiKey.isEmpty() && m_type != KeyType::None; }
    KeyType type() const { return m_type; }
    const QByteArray& apiKey() const { return m_apiKey; }
    /// Where they came from, for the log: "config", "environment (NAME, ...)", "keychain".
    const std::string& source() const { return m_source; }
    /// HMAC: lower-case hex; Ed25519: base64 (both as Binance expects in `signature`).
    QByteArray sign(const QByteArray& payload) const;

    static Credentials hmac(QByteArray apiKey, QByteArray secret, std::string source);
    static Credentials ed25519(QByteArray apiKey, std::shared_ptr<const Ed25519Key> key, std::string source);
    /// The config's keys, else the environment variables the settings name, else the keychain.
    /// Errors: throws std::runtime_error naming the problem (a key file others can read, not
    /// Ed25519), never the key.
    static Credentials resolve(const Settings& settings, const std::string& market,
                               const StoredKeysProvider& keychain = {});

private:
    QByteArray m_apiKey;
    KeyType m_type = KeyType::None;
    std::shared_ptr<const HmacKey> m_hmac; // the key schedule done once (per request: the payload only)
    std::shared_ptr<const Ed25519Key> m_ed25519;
    std::string m_source;
};

} // namespace md::binance
