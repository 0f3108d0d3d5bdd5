#pragma once

#include <QByteArray>

#include <memory>
#include <string>
#include <variant>

typedef struct evp_pkey_st EVP_PKEY;

namespace md::binance {

/// An Ed25519 private key, loaded with OpenSSL (Debian's libssl) from a PEM file that only its owner
/// may read, and used to sign requests (web-socket-api.md "SIGNED Request Example (Ed25519)": sign
/// the payload's UTF-8 bytes, base64 the signature). The key material never leaves this object: it
/// is not printable and no error message quotes it.
/// Thread: any (signing creates its own context; the key is read-only after loading).
class Ed25519Key {
public:
    ~Ed25519Key();
    Ed25519Key(const Ed25519Key&) = delete;
    Ed25519Key& operator=(const Ed25519Key&) = delete;

    /// Errors: the message names the file and what is wrong (missing, readable by others, not an
    /// Ed25519 private key), never its content.
    static std::variant<std::shared_ptr<const Ed25519Key>, std::string> fromPemFile(const std::string& path);
    /// From PEM text (the OS keychain); `origin` names it in errors.
    static std::variant<std::shared_ptr<const Ed25519Key>, std::string> fromPem(const QByteArray& pem,
                                                                                const std::string& origin);

    /// The signature of `payload`, base64 (88 characters).
    QByteArray signBase64(const QByteArray& payload) const;

private:
    explicit Ed25519Key(EVP_PKEY* key)
        : m_key(key) {}
    EVP_PKEY* m_key;
};

} // namespace md::binance
