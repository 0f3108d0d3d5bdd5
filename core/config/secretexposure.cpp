#include "config/secretexposure.h"

#include <QJsonArray>

#include <fmt/format.h>

namespace md {
namespace {

// Removes the secrets under `value` (in place), naming each removed one's path in `out`.
void strip(QJsonValue& value, const std::string& path, std::vector<std::string>& out) {
    if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonValue item = array[i];
            strip(item, fmt::format("{}[{}]", path, i), out);
            array[i] = item;
        }
        value = array;
        return;
    }
    if (!value.isObject())
        return;
    QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end();) {
        const std::string child = path + "." + it.key().toStdString();
        if (SecretExposure::isSecretKey(it.key()) && it.value().isString() &&
            !it.value().toString().trimmed().isEmpty()) {
            out.push_back(child);
            it = object.erase(it);
            continue;
        }
        QJsonValue inner = it.value();
        strip(inner, child, out);
        it.value() = inner;
        ++it;
    }
    value = object;
}

} // namespace

bool SecretExposure::isSecretKey(const QString& key) {
    return key == QLatin1String("api_key") || key == QLatin1String("api_secret") ||
           key.endsWith(QLatin1String("_secret"));
}

std::vector<std::string> SecretExposure::secretFields(const QJsonObject& root) {
    std::vector<std::string> fields;
    withoutSecrets(root, &fields);
    return fields;
}

QJsonObject SecretExposure::withoutSecrets(const QJsonObject& root, std::vector<std::string>* removed) {
    std::vector<std::string> fields;
    QJsonObject out = root;
    QJsonArray markets = root.value("markets").toArray();
    for (qsizetype i = 0; i < markets.size(); ++i) {
        QJsonObject market = markets[i].toObject();
        if (!market.contains("settings"))
            continue;
        QJsonValue settings = market.value("settings");
        strip(settings, fmt::format("markets[{}].settings", i), fields);
        market["settings"] = settings;
        markets[i] = market;
    }
    if (root.contains("markets") && root.value("markets").isArray())
        out["markets"] = markets;
    if (removed)
        *removed = std::move(fields);
    return out;
}

std::optional<ConfigError> SecretExposure::check(const QJsonObject& root, std::optional<unsigned> mode,
                                                 const std::string& filePath) {
    // 066: group or others may read it, or change it — one who can write it can point rest_url at
    // their own server and receive the API key in the X-MBX-APIKEY header.
    if (!mode || (*mode & 066u) == 0)
        return std::nullopt;
    const std::vector<std::string> fields = secretFields(root);
    if (fields.empty())
        return std::nullopt;
    std::string also;
    for (std::size_t i = 1; i < fields.size(); ++i)
        also += (also.empty() ? " (also " : ", ") + fields[i];
    if (!also.empty())
        also += ")";
    return ConfigError{fields.front(),
                       fmt::format("holds a secret but {} by other users (mode {:04o}){}; chmod 600 {}",
                                   (*mode & 044u) ? "is readable" : "can be changed", *mode & 07777u, also, filePath)};
}

} // namespace md
