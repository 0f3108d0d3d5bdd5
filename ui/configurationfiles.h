#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace md {

class Engine;
struct AppConfig;

/// The running desk's configuration as files (issue 17 part 5): File → Save configuration as… writes
/// it with every strategy's parameters as they are now (ConfigWriter: live changes included, no
/// secret); File → Open checks a file as the desk would load it (app/ gives the check: only app/ knows
/// the connectors). Thread: the UI thread.
class ConfigurationFiles {
public:
    /// The error naming the field, or none.
    using Validator = std::function<std::optional<std::string>(const QString& path)>;

    ConfigurationFiles(const Engine& engine, const AppConfig& config, Validator validate);
    ~ConfigurationFiles();

    struct Saved {
        std::optional<QString> error;
        QStringList secretsLeftOut; // fields written inline in the loaded file, not in the saved one
    };
    Saved save(const QString& path) const;
    /// The error naming the field (the file is not one the desk would start on), or none.
    std::optional<QString> check(const QString& path) const;
    /// Where the desk was loaded from (the dialogs start there).
    QString sourcePath() const;

private:
    const Engine& m_engine;
    std::unique_ptr<AppConfig> m_config;
    Validator m_validate;
};

} // namespace md
