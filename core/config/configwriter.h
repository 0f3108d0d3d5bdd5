#pragma once

#include "config/appconfig.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <string>
#include <vector>

namespace md {

/// Writes a running desk's configuration back to a file (issue 17 part 5, File → Save configuration
/// as…): the document the desk was loaded from, each strategy's parameters as they are now (live
/// changes included), and never a secret (keys written inline are left out and named, so the file
/// can be shared; give them as api_key_env/api_secret_env). What it writes loads back, with the
/// ConfigLoader, to the running desk's configuration.
/// Thread: any. Errors: returned, never thrown.
class ConfigWriter {
public:
    struct Document {
        QJsonObject json;
        std::vector<std::string> secretsLeftOut; // paths such as "markets[0].settings.api_secret"
    };
    /// `parameters`: each strategy's current parameters by owner (Engine::strategyParameters: the
    /// kind's own keys, without "kind"); an empty or missing one keeps the loaded one.
    static Document withCurrentParameters(const AppConfig& config, const std::vector<QJsonObject>& parameters);
    /// Writes `json` to `path` whole or not at all (a temporary file renamed over it), owner-only (0600).
    static std::optional<std::string> write(const QJsonObject& json, const QString& path);
};

} // namespace md
