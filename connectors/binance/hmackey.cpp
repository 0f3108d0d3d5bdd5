#include "binance/hmackey.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace md::binance {

namespace {

constexpr int kBlock = 64; // SHA-256's block size (RFC 2104's B)

EVP_MD_CTX* startedWith(const EVP_MD* sha256, const std::array<unsigned char, kBlock>& block) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, sha256, nullptr) != 1 ||
        EVP_DigestUpdate(ctx, block.data(), block.size()) != 1) {
        EVP_MD_CTX_free(ctx);
        throw std::runtime_error("HMAC-SHA256: OpenSSL could not start a SHA-256 digest");
    }
    return ctx;
}

} // namespace

HmacKey::HmacKey(const QByteArray& secret) {
    const EVP_MD* sha256 = EVP_sha256();
    // RFC 2104: a key longer than a block is hashed first; then padded with zeros to one block.
    std::array<unsigned char, kBlock> key{};
    if (secret.size() > kBlock) {
        unsigned int n = 0;
        EVP_Digest(secret.constData(), static_cast<std::size_t>(secret.size()), key.data(), &n, sha256, nullptr);
    } else {
        std::copy(secret.begin(), secret.end(), key.begin());
    }
    std::array<unsigned char, kBlock> ipad{}, opad{};
    for (int i = 0; i < kBlock; ++i) {
        ipad[i] = key[i] ^ 0x36;
        opad[i] = key[i] ^ 0x5c;
    }
    m_inner = startedWith(sha256, ipad);
    try {
        m_outer = startedWith(sha256, opad);
    } catch (...) {
        EVP_MD_CTX_free(m_inner);
        throw;
    }
    key.fill(0);
    ipad.fill(0);
    opad.fill(0);
}

HmacKey::~HmacKey() {
    EVP_MD_CTX_free(m_inner);
    EVP_MD_CTX_free(m_outer);
}

QByteArray HmacKey::signHex(const QByteArray& payload) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned char inner[EVP_MAX_MD_SIZE];
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int innerLength = 0, macLength = 0;
    const bool ok = ctx && EVP_MD_CTX_copy_ex(ctx, m_inner) == 1 &&
                    EVP_DigestUpdate(ctx, payload.constData(), static_cast<std::size_t>(payload.size())) == 1 &&
                    EVP_DigestFinal_ex(ctx, inner, &innerLength) == 1 && EVP_MD_CTX_copy_ex(ctx, m_outer) == 1 &&
                    EVP_DigestUpdate(ctx, inner, innerLength) == 1 && EVP_DigestFinal_ex(ctx, mac, &macLength) == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return {}; // as Ed25519Key: an empty signature, which the exchange refuses (-1022) and we report
    return QByteArray(reinterpret_cast<const char*>(mac), static_cast<qsizetype>(macLength)).toHex();
}

} // namespace md::binance
