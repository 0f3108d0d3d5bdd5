#include "binance/binancesettings.h"

#include <QHostAddress>
#include <QUrl>

namespace md::binance {

namespace {

/// Plain http:// and ws:// put the API key on the wire in clear text: only loopback (a local fake
/// exchange, a local proxy) may use them.
bool isLoopback(const QString& host) {
    if (host.compare("localhost", Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

std::string Settings::restHost() const {
    return QUrl(QString::fromStdString(restUrl)).host().toStdString();
}

std::optional<Settings> Settings::parse(const QJsonObject& o, const std::string& path, std::string& error) {
    Settings s;
    auto url = [&](const QString& key, std::string& out, const char* secure, const char* plain) {
        const QJsonValue v = o.value(key);
        const QUrl u(v.toString());
        const bool known = u.scheme() == QLatin1String(secure) || u.scheme() == QLatin1String(plain);
        if (!v.isString() || !u.isValid() || !known || u.host().isEmpty()) {
            error = path + "." + key.toStdString() + ": expected a URL (" + secure + "://...)";
            return false;
        }
        if (u.scheme() == QLatin1String(plain) && !isLoopback(u.host())) {
            error = path + "." + key.toStdString() + ": " + plain + "://" + u.host().toStdString() +
                    " would send the API key in clear text; use " + secure + ":// (" + plain +
                    ":// is allowed for loopback only)";
            return false;
        }
        out = v.toString().toStdString();
        while (!out.empty() && out.back() == '/')
            out.pop_back();
        return true;
    };
    auto integer = [&](const QString& key, int min, int max, int& out) {
        const QJsonValue v = o.value(key);
        if (!v.isDouble() || v.toDouble() != static_cast<int>(v.toDouble()) || v.toDouble() < min ||
            v.toDouble() > max) {
            error = path + "." + key.toStdString() + ": expected an integer between " + std::to_string(min) + " and " +
                    std::to_string(max);
            return false;
        }
        out = static_cast<int>(v.toDouble());
        return true;
    };
    auto integer64 = [&](const QString& key, std::int64_t min, std::int64_t max, std::int64_t& out) {
        const QJsonValue v = o.value(key);
        const double d = v.toDouble();
        if (!v.isDouble() || d != static_cast<double>(static_cast<std::int64_t>(d)) || d < min || d > max) {
            error = path + "." + key.toStdString() + ": expected an integer between " + std::to_string(min) + " and " +
                    std::to_string(max);
            return false;
        }
        out = static_cast<std::int64_t>(d);
        return true;
    };
    // The value of a key is never echoed: it may be a secret.
    auto text = [&](const QString& key, std::string& out, const char* what) {
        const QJsonValue v = o.value(key);
        if (!v.isString() || v.toString().trimmed().isEmpty()) {
            error = path + "." + key.toStdString() + ": expected " + what;
            return false;
        }
        out = v.toString().trimmed().toStdString();
        return true;
    };
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        bool ok = true;
        if (key == "rest_url")
            ok = url(key, s.restUrl, "https", "http");
        else if (key == "stream_url")
            ok = url(key, s.streamUrl, "wss", "ws");
        else if (key == "ws_api_url")
            ok = url(key, s.wsApiUrl, "wss", "ws");
        else if (key == "order_transport") {
            const QString t = it.value().toString();
            if (t == "ws_api")
                s.orderTransport = OrderTransport::WsApi;
            else if (t == "rest")
                s.orderTransport = OrderTransport::Rest;
            else {
                error = path + ".order_transport: expected \"ws_api\" or \"rest\"";
                return std::nullopt;
            }
        } else if (key == "depth_limit")
            ok = integer(key, 5, 5000, s.depthLimit);
        else if (key == "backoff_initial_ms")
            ok = integer(key, 10, 600000, s.backoffInitialMs);
        else if (key == "backoff_max_ms")
            ok = integer(key, 10, 3600000, s.backoffMaxMs);
        else if (key == "request_timeout_ms")
            ok = integer(key, 100, 600000, s.requestTimeoutMs);
        else if (key == "recv_window_ms")
            ok = integer(key, 100, 60000, s.recvWindowMs); // Binance: "Maximum recvWindow is 60000"
        else if (key == "max_connection_age_ms")
            ok = integer64(key, 1000, 24LL * 60 * 60 * 1000, s.maxConnectionAgeMs);
        else if (key == "silence_timeout_ms")
            ok = integer(key, 100, 600000, s.silenceTimeoutMs);
        else if (key == "rate_wait_ms")
            ok = integer(key, 0, 60000, s.rateWaitMs);
        else if (key == "avg_price_refresh_ms")
            ok = integer(key, 100, 3600000, s.avgPriceRefreshMs);
        else if (key == "api_key")
            ok = text(key, s.apiKey, "a non-empty string");
        else if (key == "api_secret")
            ok = text(key, s.apiSecret, "a non-empty string");
        else if (key == "private_key_file")
            ok = text(key, s.privateKeyFile, "the path of an Ed25519 private key (PEM, mode 0600)");
        else if (key == "api_key_env")
            ok = text(key, s.apiKeyEnv, "the name of an environment variable");
        else if (key == "api_secret_env")
            ok = text(key, s.apiSecretEnv, "the name of an environment variable");
        else if (key == "private_key_file_env")
            ok = text(key, s.privateKeyFileEnv, "the name of an environment variable");
        else if (key == "user_stream_url" || key == "listen_key_keepalive_ms") {
            // CHANGELOG 2026-01-21: listenKey endpoints gone on 2026-02-20 (testnet 2026-02-04).
            error = path + "." + key.toStdString() +
                    ": retired — Binance removed listenKey user data streams on 2026-02-20 (testnet "
                    "2026-02-04); user data now comes over ws_api_url, remove this key";
            return std::nullopt;
        } else {
            error = path + "." + key.toStdString() +
                    ": unknown key (expected one of: rest_url, stream_url, ws_api_url, order_transport, "
                    "depth_limit, backoff_initial_ms, backoff_max_ms, request_timeout_ms, recv_window_ms, "
                    "max_connection_age_ms, silence_timeout_ms, rate_wait_ms, avg_price_refresh_ms, api_key_env, "
                    "api_secret_env, private_key_file_env, api_key, api_secret, private_key_file)";
            return std::nullopt;
        }
        if (!ok)
            return std::nullopt;
    }
    const bool signer = !s.apiSecret.empty() || !s.privateKeyFile.empty();
    if (!s.apiSecret.empty() && !s.privateKeyFile.empty()) {
        error = path + ".private_key_file: api_secret (HMAC) and private_key_file (Ed25519) exclude each other";
        return std::nullopt;
    }
    if (s.apiKey.empty() != !signer) {
        error = path + (s.apiKey.empty() ? ".api_key" : ".api_secret") +
                ": api_key goes with api_secret or private_key_file (or leave them out and use the environment)";
        return std::nullopt;
    }
    return s;
}

} // namespace md::binance
