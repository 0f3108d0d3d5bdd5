#pragma once

#include <QByteArray>

namespace md::kraken {

/// Kraken's REST `API-Sign`: base64 of HMAC-SHA512 over (URI path + SHA-256(nonce + POST data)) keyed
/// with the base64-decoded API secret (https://docs.kraken.com/exchange/guides/rest/authentication).
/// `uriPath` is the part starting with "/0/private". Thread: any. Pure.
/// Errors: a secret that is not base64 gives an empty result (the caller refuses to send).
QByteArray sign(const QByteArray& base64Secret, const QByteArray& uriPath, const QByteArray& nonce,
                const QByteArray& postData);

} // namespace md::kraken
