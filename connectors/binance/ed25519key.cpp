#include "binance/ed25519key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <QFile>

#include <cstdio>

#include <sys/stat.h>

namespace md::binance {

Ed25519Key::~Ed25519Key() {
    EVP_PKEY_free(m_key);
}

std::variant<std::shared_ptr<const Ed25519Key>, std::string> Ed25519Key::fromPemFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return "private key file " + path + ": cannot be read";
    // Anyone who can read the key can trade the account; anyone who can replace it can make us sign
    // with theirs. Owner only, as ssh does.
    if ((st.st_mode & 077u) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777u));
        return "private key file " + path + ": refused, its mode is " + mode +
               " (other users can read or change it); chmod 600 " + path;
    }
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return "private key file " + path + ": cannot be read";
    return fromPem(file.readAll(), "private key file " + path);
}

std::variant<std::shared_ptr<const Ed25519Key>, std::string> Ed25519Key::fromPem(const QByteArray& pem,
                                                                                 const std::string& origin) {
    BIO* bio = BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size()));
    if (!bio)
        return origin + ": out of memory";
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!key)
        return origin + ": not an unencrypted PEM private key";
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(key);
        return origin + ": not an Ed25519 key (Binance's WebSocket API logon needs Ed25519)";
    }
    return std::shared_ptr<const Ed25519Key>(new Ed25519Key(key));
}

QByteArray Ed25519Key::signBase64(const QByteArray& payload) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned char signature[64];
    size_t length = sizeof signature;
    const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, m_key) == 1 &&
                    EVP_DigestSign(ctx, signature, &length, reinterpret_cast<const unsigned char*>(payload.constData()),
                                   static_cast<size_t>(payload.size())) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return {};
    return QByteArray(reinterpret_cast<const char*>(signature), static_cast<int>(length)).toBase64();
}

} // namespace md::binance
