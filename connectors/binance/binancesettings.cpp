#include "binance/binancesettings.h"

#include <QUrl>

namespace md::binance {

std::optional<Settings> Settings::parse(const QJsonObject& o, const std::string& path, std::string& error) {
    Settings s;
    auto url = [&](const QString& key, std::string& out, std::initializer_list<const char*> schemes) {
        const QJsonValue v = o.value(key);
        const QUrl u(v.toString());
        bool schemeOk = false;
        for (const char* scheme : schemes)
            schemeOk = schemeOk || u.scheme() == QLatin1String(scheme);
        if (!v.isString() || !u.isValid() || !schemeOk || u.host().isEmpty()) {
            error = path + "." + key.toStdString() + ": expected a URL (" + std::string(*schemes.begin()) + "://...)";
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
    auto secret = [&](const QString& key, std::string& out) {
        const QJsonValue v = o.value(key);
        if (!v.isString() || v.toString().trimmed().isEmpty()) {
            error = path + "." + key.toStdString() + ": expected a non-empty string";
            return false;
        }
        out = v.toString().trimmed().toStdString();
        return true;
    };
    auto name = [&](const QString& key, std::string& out) {
        const QJsonValue v = o.value(key);
        if (!v.isString() || v.toString().isEmpty()) {
            error = path + "." + key.toStdString() + ": expected the name of an environment variable";
            return false;
        }
        out = v.toString().toStdString();
        return true;
    };
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        bool ok = true;
        if (key == "rest_url")
            ok = url(key, s.restUrl, {"https", "http"});
        else if (key == "stream_url")
            ok = url(key, s.streamUrl, {"wss", "ws"});
        else if (key == "depth_limit")
            ok = integer(key, 5, 5000, s.depthLimit);
        else if (key == "backoff_initial_ms")
            ok = integer(key, 10, 600000, s.backoffInitialMs);
        else if (key == "backoff_max_ms")
            ok = integer(key, 10, 3600000, s.backoffMaxMs);
        else if (key == "request_timeout_ms")
            ok = integer(key, 100, 600000, s.requestTimeoutMs);
        else if (key == "user_stream_url")
            ok = url(key, s.userStreamUrl, {"wss", "ws"});
        else if (key == "recv_window_ms")
            ok = integer(key, 100, 60000, s.recvWindowMs);
        else if (key == "listen_key_keepalive_ms")
            ok = integer(key, 100, 59 * 60 * 1000, s.listenKeyKeepaliveMs);
        else if (key == "max_connection_age_ms")
            ok = integer64(key, 1000, 24LL * 60 * 60 * 1000, s.maxConnectionAgeMs);
        else if (key == "api_key")
            ok = secret(key, s.apiKey);
        else if (key == "api_secret")
            ok = secret(key, s.apiSecret);
        else if (key == "api_key_env")
            ok = name(key, s.apiKeyEnv);
        else if (key == "api_secret_env")
            ok = name(key, s.apiSecretEnv);
        else {
            error = path + "." + key.toStdString() +
                    ": unknown key (expected one of: rest_url, stream_url, user_stream_url, depth_limit, "
                    "backoff_initial_ms, backoff_max_ms, request_timeout_ms, recv_window_ms, "
                    "listen_key_keepalive_ms, max_connection_age_ms, api_key_env, api_secret_env, api_key, "
                    "api_secret)";
            return std::nullopt;
        }
        if (!ok)
            return std::nullopt;
    }
    if (s.apiKey.empty() != s.apiSecret.empty()) {
        error = path + (s.apiKey.empty() ? ".api_key" : ".api_secret") +
                ": api_key and api_secret go together (or leave both out and use the environment)";
        return std::nullopt;
    }
    return s;
}

} // namespace md::binance
