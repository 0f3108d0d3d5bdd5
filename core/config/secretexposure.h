#pragma once

#include "config/appconfig.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace md {

/// Refuses a configuration file that holds a secret when people other than its owner can read it:
/// keys written inline are only as private as the file, and a world-readable key is a leaked key.
/// A secret is a key named `api_key`, `api_secret` or ending in `_secret`, at any depth of a
/// market's `settings`, with a non-empty string value. Keys that name an environment variable
/// (`api_key_env`, `api_secret_env`) hold no secret. Values are never put into an error.
/// Thread: any. Errors: returned, never thrown.
class SecretExposure {
public:
    static bool isSecretKey(const QString& key);
    /// Paths such as "markets[1].settings.api_secret", in document order.
    static std::vector<std::string> secretFields(const QJsonObject& root);
    /// `root` with those secrets removed (a configuration written back to a file never holds one);
    /// `removed` gets their paths.
    static QJsonObject withoutSecrets(const QJsonObject& root, std::vector<std::string>* removed = nullptr);
    /// `mode` is the file's st_mode (permission bits are enough); nullopt when it is not known
    /// (a Qt resource, a platform without POSIX modes), which refuses nothing.
    static std::optional<ConfigError> check(const QJsonObject& root, std::optional<unsigned> mode,
                                            const std::string& filePath);
};

} // namespace md
