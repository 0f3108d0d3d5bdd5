#pragma once

#include <QByteArray>

#include <memory>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace md::binance {

/// An HMAC-SHA256 secret with its key schedule done once (RFC 2104: the SHA-256 states after the
/// key XOR ipad and the key XOR opad blocks), so a signature costs the payload's blocks and one
/// more, not a fresh HMAC set-up each time. Qt's QMessageAuthenticationCode redid that set-up per
/// request with Qt's own SHA-256: ~38,400 instructions a signature; OpenSSL from the saved states:
/// ~12,800 (callgrind, bench_binance_ticktotrade, docs/BENCHMARKS.md).
/// Signatures as Binance expects them: lower-case hex (rest-api.md "SIGNED Endpoint Examples",
/// HMAC Keys). Never printed; no error message quotes it.
/// Thread: any (the saved states are read-only after construction; each signature copies them).
class HmacKey {
public:
    /// Errors: throws std::runtime_error when OpenSSL cannot start a SHA-256 digest (at resolution,
    /// never per request).
    explicit HmacKey(const QByteArray& secret);
    ~HmacKey();
    HmacKey(const HmacKey&) = delete;
    HmacKey& operator=(const HmacKey&) = delete;

    /// HMAC-SHA256 of `payload`, lower-case hex (64 characters); empty if OpenSSL failed (the
    /// exchange then refuses the signature, as with Ed25519Key).
    QByteArray signHex(const QByteArray& payload) const;

private:
    EVP_MD_CTX* m_inner = nullptr; // SHA-256 after (key XOR ipad)
    EVP_MD_CTX* m_outer = nullptr; // SHA-256 after (key XOR opad)
};

} // namespace md::binance
