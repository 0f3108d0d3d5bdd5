#include "configurationfiles.h"

#include "config/configwriter.h"
#include "engine/engine.h"

#include <QStringList>

namespace md {

ConfigurationFiles::ConfigurationFiles(const Engine& engine, const AppConfig& config, Validator validate)
    : m_engine(engine)
    , m_config(std::make_unique<AppConfig>(config))
    , m_validate(std::move(validate)) {}

ConfigurationFiles::~ConfigurationFiles() = default;

ConfigurationFiles::Saved ConfigurationFiles::save(const QString& path) const {
    // The parameters as the engine applies them now: the Strategies panel's live changes included.
    std::vector<QJsonObject> parameters;
    for (std::size_t owner = 0; owner < m_engine.strategyIds().size(); ++owner)
        parameters.push_back(m_engine.strategyParameters(static_cast<OwnerId>(owner)));
    const auto document = ConfigWriter::withCurrentParameters(*m_config, parameters);
    Saved saved;
    for (const auto& field : document.secretsLeftOut)
        saved.secretsLeftOut << QString::fromStdString(field);
    if (auto error = ConfigWriter::write(document.json, path))
        saved.error = QString::fromStdString(*error);
    return saved;
}

std::optional<QString> ConfigurationFiles::check(const QString& path) const {
    if (auto error = m_validate(path))
        return QString::fromStdString(*error);
    return std::nullopt;
}

QString ConfigurationFiles::sourcePath() const {
    return QString::fromStdString(m_config->sourcePath);
}

} // namespace md
