#pragma once

#include <QByteArray>

#include <utility>
#include <vector>

namespace md::binance {

/// Request parameters in the order they are written (REST) or to be sorted (WebSocket API).
using Params = std::vector<std::pair<QByteArray, QByteArray>>;

/// HMAC-SHA256 of the payload, lower-case hex (rest-api.md "SIGNED Endpoint Examples", HMAC Keys).
/// Sets the key up for this one signature: a signer of many requests keeps an HmacKey.
/// Thread: any. Pure.
QByteArray sign(const QByteArray& secret, const QByteArray& payload);

/// REST: "parameter=value" pairs joined by '&', every value percent-encoded (UTF-8, RFC 3986
/// unreserved characters kept). Since 2026-01-15 Binance verifies the signature over the
/// percent-encoded payload (CHANGELOG 2025-12-17), so this string is both what is signed and what
/// is sent. Thread: any. Pure.
QByteArray restQuery(const Params& params);

/// WebSocket API: every parameter except `signature`, sorted by name, "parameter=value" joined by
/// '&', values in UTF-8 and not percent-encoded (web-socket-api.md "SIGNED request example": "no
/// percent encoding here!"). Thread: any. Pure.
QByteArray wsApiPayload(Params params);

} // namespace md::binance
