#include "fakekeys.h"

#include <QMessageAuthenticationCode>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace md::test {

struct FakeKeys::Key {
    QByteArray hmacSecret;
    EVP_PKEY* publicKey = nullptr;
    ~Key() { EVP_PKEY_free(publicKey); }
};

FakeKeys::FakeKeys() = default;
FakeKeys::~FakeKeys() = default;

void FakeKeys::setHmac(const QByteArray& apiKey, const QByteArray& secret) {
    auto key = std::make_shared<Key>();
    key->hmacSecret = secret;
    m_keys[apiKey] = key;
    m_revoked = false;
}

bool FakeKeys::setEd25519(const QByteArray& apiKey, const QByteArray& publicKeyPem) {
    BIO* bio = BIO_new_mem_buf(publicKeyPem.constData(), static_cast<int>(publicKeyPem.size()));
    EVP_PKEY* pub = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!pub || EVP_PKEY_get_id(pub) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pub);
        return false;
    }
    auto key = std::make_shared<Key>();
    key->publicKey = pub;
    m_keys[apiKey] = key;
    m_revoked = false;
    return true;
}

bool FakeKeys::isEd25519(const QByteArray& apiKey) const {
    auto it = m_keys.find(apiKey);
    return it != m_keys.end() && it->second->publicKey;
}

bool FakeKeys::verify(const QByteArray& apiKey, const QByteArray& payload, const QByteArray& signature) const {
    auto it = m_keys.find(apiKey);
    if (m_revoked || it == m_keys.end())
        return false;
    const Key& key = *it->second;
    if (!key.publicKey) // HMAC signatures are not case-sensitive (web-socket-api.md "Signature Case Sensitivity")
        return QMessageAuthenticationCode::hash(payload, key.hmacSecret, QCryptographicHash::Sha256).toHex() ==
               signature.toLower();
    const QByteArray raw = QByteArray::fromBase64(signature);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok =
        ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key.publicKey) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(raw.constData()), static_cast<size_t>(raw.size()),
                         reinterpret_cast<const unsigned char*>(payload.constData()),
                         static_cast<size_t>(payload.size())) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

} // namespace md::test
