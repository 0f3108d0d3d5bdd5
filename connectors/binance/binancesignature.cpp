#include "binance/binancesignature.h"

#include "binance/hmackey.h"

#include <QUrl>

#include <algorithm>

namespace md::binance {

QByteArray sign(const QByteArray& secret, const QByteArray& payload) {
    return HmacKey(secret).signHex(payload);
}

QByteArray restQuery(const Params& params) {
    QByteArray out;
    for (const auto& [name, value] : params) {
        if (!out.isEmpty())
            out += '&';
        out += name;
        out += '=';
        out += QUrl::toPercentEncoding(QString::fromUtf8(value));
    }
    return out;
}

QByteArray wsApiPayload(Params params) {
    std::sort(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    QByteArray out;
    for (const auto& [name, value] : params) {
        if (name == "signature")
            continue;
        if (!out.isEmpty())
            out += '&';
        out += name;
        out += '=';
        out += value;
    }
    return out;
}

} // namespace md::binance
