#include "binance/credentials.h"

#include "binance/binancesignature.h"

#include <cstdlib>
#include <stdexcept>

namespace md::binance {

namespace {

std::shared_ptr<const Ed25519Key> loaded(std::variant<std::shared_ptr<const Ed25519Key>, std::string> result) {
    if (auto* error = std::get_if<std::string>(&result))
        throw std::runtime_error(*error);
    return std::get<std::shared_ptr<const Ed25519Key>>(result);
}

QByteArray env(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    return value ? QByteArray(value).trimmed() : QByteArray();
}

} // namespace

QByteArray Credentials::sign(const QByteArray& payload) const {
    switch (m_type) {
    case KeyType::Hmac:
        return m_hmac->signHex(payload);
    case KeyType::Ed25519:
        return m_ed25519->signBase64(payload);
    case KeyType::None:
        break;
    }
    return {};
}

Credentials Credentials::hmac(QByteArray apiKey, QByteArray secret, std::string source) {
    Credentials c;
    c.m_apiKey = std::move(apiKey);
    c.m_hmac = std::make_shared<const HmacKey>(secret);
    c.m_type = KeyType::Hmac;
    c.m_source = std::move(source);
    return c;
}

Credentials Credentials::ed25519(QByteArray apiKey, std::shared_ptr<const Ed25519Key> key, std::string source) {
    Credentials c;
    c.m_apiKey = std::move(apiKey);
    c.m_ed25519 = std::move(key);
    c.m_type = KeyType::Ed25519;
    c.m_source = std::move(source);
    return c;
}

Credentials Credentials::resolve(const Settings& s, const std::string& market, const StoredKeysProvider& keychain) {
    if (!s.apiKey.empty()) {
        if (!s.privateKeyFile.empty())
            return ed25519(QByteArray::fromStdString(s.apiKey), loaded(Ed25519Key::fromPemFile(s.privateKeyFile)),
                           "config (Ed25519 key " + s.privateKeyFile + ")");
        return hmac(QByteArray::fromStdString(s.apiKey), QByteArray::fromStdString(s.apiSecret), "config");
    }
    const QByteArray key = env(s.apiKeyEnv);
    if (!key.isEmpty()) {
        const QByteArray keyFile = env(s.privateKeyFileEnv);
        if (!keyFile.isEmpty())
            return ed25519(key, loaded(Ed25519Key::fromPemFile(keyFile.toStdString())),
                           "environment (" + s.apiKeyEnv + ", Ed25519 key from " + s.privateKeyFileEnv + ")");
        const QByteArray secret = env(s.apiSecretEnv);
        if (!secret.isEmpty())
            return hmac(key, secret, "environment (" + s.apiKeyEnv + ", " + s.apiSecretEnv + ")");
    }
    if (keychain) {
        if (auto stored = keychain(market); stored && !stored->apiKey.isEmpty() && !stored->secret.isEmpty()) {
            if (stored->secret.contains("-----BEGIN"))
                return ed25519(stored->apiKey, loaded(Ed25519Key::fromPem(stored->secret, "keychain key of " + market)),
                               "keychain (Ed25519)");
            return hmac(stored->apiKey, stored->secret, "keychain");
        }
    }
    return {};
}

} // namespace md::binance
