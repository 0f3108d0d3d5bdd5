#include "config/configwriter.h"

#include "config/secretexposure.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace md {
namespace {

// The strategy's object as loaded (id, kind, markets, limits, its keys) with its current keys over it.
QJsonObject updated(QJsonObject item, const QJsonObject& current) {
    for (auto it = current.begin(); it != current.end(); ++it)
        if (it.key() != QLatin1String("kind"))
            item[it.key()] = it.value();
    return item;
}

} // namespace

ConfigWriter::Document ConfigWriter::withCurrentParameters(const AppConfig& config,
                                                           const std::vector<QJsonObject>& parameters) {
    QJsonObject root = config.document;
    auto current = [&](std::size_t owner) { return owner < parameters.size() ? parameters[owner] : QJsonObject{}; };
    if (root.value("strategies").isArray()) {
        QJsonArray list = root.value("strategies").toArray();
        for (qsizetype i = 0; i < list.size(); ++i)
            list[i] = updated(list[i].toObject(), current(static_cast<std::size_t>(i)));
        root["strategies"] = list;
    } else if (root.value("strategy").isObject()) {
        root["strategy"] = updated(root.value("strategy").toObject(), current(0));
    }
    Document out;
    out.json = SecretExposure::withoutSecrets(root, &out.secretsLeftOut);
    return out;
}

std::optional<std::string> ConfigWriter::write(const QJsonObject& json, const QString& path) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return "cannot write " + path.toStdString() + ": " + file.errorString().toStdString();
    // Owner-only before a byte is written: a configuration names accounts and limits.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return "cannot write " + path.toStdString() + ": " + file.errorString().toStdString();
    return std::nullopt;
}

} // namespace md
