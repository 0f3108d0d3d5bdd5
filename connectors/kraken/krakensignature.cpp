#include "kraken/krakensignature.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace md::kraken {

QByteArray sign(const QByteArray& base64Secret, const QByteArray& uriPath, const QByteArray& nonce,
                const QByteArray& postData) {
    const auto decoded = QByteArray::fromBase64Encoding(base64Secret, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return {};
    const QByteArray digest = QCryptographicHash::hash(nonce + postData, QCryptographicHash::Sha256);
    return QMessageAuthenticationCode::hash(uriPath + digest, decoded.decoded, QCryptographicHash::Sha512).toBase64();
}

} // namespace md::kraken
