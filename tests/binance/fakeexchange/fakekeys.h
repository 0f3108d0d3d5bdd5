#pragma once

#include <QByteArray>

#include <map>
#include <memory>
#include <optional>

namespace md::test {

/// The API keys the fake exchange knows and how it checks a signature made with each: HMAC-SHA256
/// (hex, case-insensitive) or Ed25519 (base64, checked with the public key given as PEM), as
/// Binance's docs describe (faqs/api_key_types.md). A revoked key is refused (-2015).
/// Thread: the fake exchange's thread.
class FakeKeys {
public:
    FakeKeys();
    ~FakeKeys();
    void setHmac(const QByteArray& apiKey, const QByteArray& secret);
    /// Errors: false when `publicKeyPem` is not an Ed25519 public key.
    bool setEd25519(const QByteArray& apiKey, const QByteArray& publicKeyPem);
    void revokeAll() { m_revoked = true; }
    bool known(const QByteArray& apiKey) const { return !m_revoked && m_keys.count(apiKey); }
    bool isEd25519(const QByteArray& apiKey) const;
    bool verify(const QByteArray& apiKey, const QByteArray& payload, const QByteArray& signature) const;

private:
    struct Key;
    std::map<QByteArray, std::shared_ptr<Key>> m_keys;
    bool m_revoked = false;
};

} // namespace md::test
