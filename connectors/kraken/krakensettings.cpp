#include "kraken/krakensettings.h"

#include <QUrl>

namespace md::kraken {

std::optional<RateTier> RateTier::named(const std::string& name) {
    if (name == "starter")
        return RateTier{name, 60, 1.0};
    if (name == "intermediate")
        return RateTier{name, 125, 2.34};
    if (name == "pro")
        return RateTier{name, 180, 3.75};
    return std::nullopt;
}

namespace {

/// Reads one settings object, naming the field in every error.
class Reader {
public:
    Reader(const QJsonObject& o, const std::string& path, std::string& error)
        : m_o(o)
        , m_path(path)
        , m_error(error) {}

    bool fail(const QString& key, const std::string& what) {
        m_error = m_path + "." + key.toStdString() + ": " + what;
        return false;
    }
    bool url(const QString& key, std::string& out, const char* secure, const char* plain) {
        const QJsonValue v = m_o.value(key);
        const QUrl u(v.toString());
        if (!v.isString() || !u.isValid() || (u.scheme() != secure && u.scheme() != plain) || u.host().isEmpty())
            return fail(key, std::string("expected a URL (") + secure + "://...)");
        out = v.toString().toStdString();
        while (!out.empty() && out.back() == '/')
            out.pop_back();
        return true;
    }
    bool integer(const QString& key, int min, int max, int& out) {
        const QJsonValue v = m_o.value(key);
        if (!v.isDouble() || v.toDouble() != static_cast<int>(v.toDouble()) || v.toDouble() < min || v.toDouble() > max)
            return fail(key, "expected an integer between " + std::to_string(min) + " and " + std::to_string(max));
        out = static_cast<int>(v.toDouble());
        return true;
    }
    bool text(const QString& key, std::string& out, const char* what) {
        const QJsonValue v = m_o.value(key);
        if (!v.isString() || v.toString().trimmed().isEmpty())
            return fail(key, what); // a secret's value is never echoed
        out = v.toString().trimmed().toStdString();
        return true;
    }

private:
    const QJsonObject& m_o;
    const std::string& m_path;
    std::string& m_error;
};

} // namespace

std::optional<Settings> Settings::parse(const QJsonObject& o, const std::string& path, std::string& error) {
    Settings s;
    Reader r(o, path, error);
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString key = it.key();
        bool ok = true;
        if (key == "ws_url")
            ok = r.url(key, s.wsUrl, "wss", "ws");
        else if (key == "auth_ws_url")
            ok = r.url(key, s.authWsUrl, "wss", "ws");
        else if (key == "rest_url")
            ok = r.url(key, s.restUrl, "https", "http");
        else if (key == "depth") {
            ok = r.integer(key, 10, 1000, s.depth);
            if (ok && s.depth != 10 && s.depth != 25 && s.depth != 100 && s.depth != 500 && s.depth != 1000)
                ok = r.fail(key, "expected one of Kraken's book depths: 10, 25, 100, 500, 1000");
        } else if (key == "backoff_initial_ms")
            ok = r.integer(key, 10, 600000, s.backoffInitialMs);
        else if (key == "backoff_max_ms")
            ok = r.integer(key, 10, 3600000, s.backoffMaxMs);
        else if (key == "request_timeout_ms")
            ok = r.integer(key, 100, 600000, s.requestTimeoutMs);
        else if (key == "answer_timeout_ms")
            ok = r.integer(key, 50, 600000, s.answerTimeoutMs);
        else if (key == "ping_interval_ms")
            ok = r.integer(key, 100, 600000, s.pingIntervalMs);
        else if (key == "silence_timeout_ms")
            ok = r.integer(key, 100, 600000, s.silenceTimeoutMs);
        else if (key == "dead_man_timeout_seconds")
            ok = r.integer(key, 0, 86400, s.deadManTimeoutS);
        else if (key == "dead_man_refresh_seconds")
            ok = r.integer(key, 1, 3600, s.deadManRefreshS);
        else if (key == "rate_tier") {
            std::string name;
            ok = r.text(key, name, "expected starter, intermediate or pro");
            if (ok) {
                const auto tier = RateTier::named(name);
                ok = tier ? (s.rateTier = *tier, true) : r.fail(key, "expected starter, intermediate or pro");
            }
        } else if (key == "rate_headroom")
            ok = r.integer(key, 0, 100, s.rateHeadroom);
        else if (key == "cancel_all_account") {
            ok = o.value(key).isBool() ? (s.cancelAllAccount = o.value(key).toBool(), true)
                                       : r.fail(key, "expected true or false");
        } else if (key == "api_key")
            ok = r.text(key, s.apiKey, "expected a non-empty string");
        else if (key == "api_secret")
            ok = r.text(key, s.apiSecret, "expected a non-empty string");
        else if (key == "api_key_env")
            ok = r.text(key, s.apiKeyEnv, "expected the name of an environment variable");
        else if (key == "api_secret_env")
            ok = r.text(key, s.apiSecretEnv, "expected the name of an environment variable");
        else
            ok = r.fail(key, "unknown key (expected one of: ws_url, auth_ws_url, rest_url, depth, backoff_initial_ms, "
                             "backoff_max_ms, request_timeout_ms, answer_timeout_ms, ping_interval_ms, "
                             "silence_timeout_ms, dead_man_timeout_seconds, dead_man_refresh_seconds, rate_tier, "
                             "rate_headroom, rate_max_wait_ms, cancel_all_account, api_key_env, api_secret_env, "
                             "api_key, api_secret)");
        if (!ok)
            return std::nullopt;
    }
    if (s.apiKey.empty() != s.apiSecret.empty()) {
        error = path + (s.apiKey.empty() ? ".api_key" : ".api_secret") +
                ": api_key and api_secret go together (or leave both out and use the environment)";
        return std::nullopt;
    }
    if (s.deadManTimeoutS > 0 && s.deadManRefreshS >= s.deadManTimeoutS) {
        error = path + ".dead_man_refresh_seconds: must be shorter than dead_man_timeout_seconds (" +
                std::to_string(s.deadManTimeoutS) + ")";
        return std::nullopt;
    }
    if (s.backoffMaxMs < s.backoffInitialMs) {
        error = path + ".backoff_max_ms: must be at least backoff_initial_ms";
        return std::nullopt;
    }
    return s;
}

} // namespace md::kraken
