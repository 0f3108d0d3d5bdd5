// Export (log, orders, fills) runs off the UI thread with progress, and writes proper CSV.
#include "csvexporter.h"

#include <QFile>
#include <QFutureWatcher>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTest>

using namespace md;

class TestCsvExporter : public QObject {
    Q_OBJECT
private slots:
    void writesQuotedCsvOffTheUiThreadWithProgress() {
        QStandardItemModel model(0, 2);
        model.setHorizontalHeaderLabels({"Time", "Message"});
        for (int i = 0; i < 5000; ++i)
            model.appendRow(
                {new QStandardItem(QString::number(i)), new QStandardItem(QString("say \"%1\", ok").arg(i))});
        const CsvExporter::Rows rows = CsvExporter::snapshot(model);
        QCOMPARE(rows.size(), std::size_t(5001));

        QTemporaryDir dir;
        const QString path = dir.filePath("log.csv");
        QFutureWatcher<QString> watcher;
        QSignalSpy progress(&watcher, &QFutureWatcherBase::progressValueChanged);
        QSignalSpy finished(&watcher, &QFutureWatcherBase::finished);
        watcher.setFuture(CsvExporter::write(path, rows));
        QVERIFY(finished.wait(10000));
        QCOMPARE(watcher.result(), QString());
        QVERIFY(progress.count() >= 1);
        QCOMPARE(progress.last().at(0).toInt(), 5001);

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5001);
        QCOMPARE(lines.at(0), QString("Time,Message"));
        QCOMPARE(lines.at(8), QString("7,\"say \"\"7\"\", ok\""));
    }

    void reportsAnUnwritablePath() {
        auto future = CsvExporter::write("/nonexistent-dir/x.csv", {{"a"}});
        future.waitForFinished();
        QVERIFY(future.result().contains("cannot write"));
    }
};

QTEST_MAIN(TestCsvExporter)
#include "tst_csvexporter.moc"
