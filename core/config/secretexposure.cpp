#include "config/secretexposure.h"

#include <QJsonArray>

#include <fmt/format.h>

namespace md {
namespace {

void collect(const QJsonValue& value, const std::string& path, std::vector<std::string>& out) {
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            collect(array[i], fmt::format("{}[{}]", path, i), out);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string child = path + "." + it.key().toStdString();
        if (SecretExposure::isSecretKey(it.key()) && it.value().isString() &&
            !it.value().toString().trimmed().isEmpty())
            out.push_back(child);
        else
            collect(it.value(), child, out);
    }
}

} // namespace

bool SecretExposure::isSecretKey(const QString& key) {
    return key == QLatin1String("api_key") || key == QLatin1String("api_secret") ||
           key.endsWith(QLatin1String("_secret"));
}

std::vector<std::string> SecretExposure::secretFields(const QJsonObject& root) {
    std::vector<std::string> fields;
    const QJsonArray markets = root.value("markets").toArray();
    for (qsizetype i = 0; i < markets.size(); ++i)
        collect(markets[i].toObject().value("settings"), fmt::format("markets[{}].settings", i), fields);
    return fields;
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
