#pragma once

#include <QFuture>
#include <QString>
#include <QStringList>

#include <vector>

class QAbstractItemModel;

namespace md {

/// Exports a table off the UI thread: the rows are copied from the model on the UI thread (cheap
/// strings), then written as CSV by QtConcurrent, reporting progress through the future.
/// Thread: exportModel() on the UI thread; the writing on a pool thread.
class CsvExporter {
public:
    using Rows = std::vector<QStringList>;

    /// Snapshot of every row (header first) of a model, as text.
    static Rows snapshot(const QAbstractItemModel& model);
    /// Writes the rows; the future's result is an empty string on success, else the error.
    static QFuture<QString> write(QString path, Rows rows);
};

} // namespace md
