#pragma once

#include "config/appconfig.h"

#include <QByteArray>
#include <QString>

#include <variant>

namespace md {

/// Reads and validates a configuration strictly: bad JSON, a missing or wrong-typed field, an
/// unknown connector or an unknown key is refused with the field named. It never guesses.
/// Thread: any. Errors: returned, never thrown.
class ConfigLoader {
public:
    explicit ConfigLoader(const ConnectorRegistry& connectors)
        : m_connectors(connectors) {}

    /// Also refuses a file that holds a secret and that others can read (SecretExposure), and reads
    /// at most kMaxFileBytes (a larger file is refused).
    std::variant<AppConfig, ConfigError> loadFile(const QString& path) const;
    static constexpr qint64 kMaxFileBytes = 1024 * 1024;
    std::variant<AppConfig, ConfigError> parse(const QByteArray& json) const;

private:
    const ConnectorRegistry& m_connectors;
};

} // namespace md
