#include "csvexporter.h"

#include "uiroles.h"

#include <QAbstractItemModel>
#include <QFile>
#include <QPromise>
#include <QTextStream>
#include <QtConcurrent/QtConcurrentRun>

namespace md {
namespace {
QString csvField(QString text) {
    if (text.contains(',') || text.contains('"') || text.contains('\n')) {
        text.replace('"', "\"\"");
        return '"' + text + '"';
    }
    return text;
}
} // namespace

CsvExporter::Rows CsvExporter::snapshot(const QAbstractItemModel& model) {
    Rows rows;
    rows.reserve(static_cast<std::size_t>(model.rowCount()) + 1);
    QStringList header;
    for (int c = 0; c < model.columnCount(); ++c)
        header << model.headerData(c, Qt::Horizontal).toString();
    rows.push_back(header);
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < model.columnCount(); ++c) {
            // What a file needs may differ from what fits on screen: times carry their date.
            const QModelIndex index = model.index(r, c);
            const QVariant exported = index.data(ExportRole);
            row << (exported.isValid() ? exported : index.data()).toString();
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

QFuture<QString> CsvExporter::write(QString path, Rows rows) {
    return QtConcurrent::run([path = std::move(path), rows = std::move(rows)](QPromise<QString>& promise) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
            promise.addResult(QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
            return;
        }
        promise.setProgressRange(0, static_cast<int>(rows.size()));
        QTextStream out(&file);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QStringList fields;
            for (const auto& f : rows[i])
                fields << csvField(f);
            out << fields.join(',') << '\n';
            if (i % 500 == 0)
                promise.setProgressValue(static_cast<int>(i));
        }
        out.flush();
        promise.setProgressValue(static_cast<int>(rows.size()));
        promise.addResult(file.error() == QFile::NoError ? QString() : file.errorString());
    });
}

} // namespace md
