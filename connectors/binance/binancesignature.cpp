#include "binance/binancesignature.h"

#include <QMessageAuthenticationCode>

namespace md::binance {

QByteArray sign(const QByteArray& secret, const QByteArray& payload) {
    return QMessageAuthenticationCode::hash(payload, secret, QCryptographicHash::Sha256).toHex();
}

} // namespace md::binance
