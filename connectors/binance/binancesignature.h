#pragma once

#include <QByteArray>

namespace md::binance {

/// HMAC-SHA256 of the exact bytes sent (query string, then body), lower-case hex, as Binance's
/// signed endpoints require in the `signature` parameter. Thread: any. Pure.
QByteArray sign(const QByteArray& secret, const QByteArray& payload);

} // namespace md::binance
