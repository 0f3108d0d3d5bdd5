#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

namespace md::test {

/// The recorded Binance session in tests/data/binance (cryptofeed's sample data, see its LICENSE).
struct RecordedSession {
    QList<QByteArray> frames;                    // combined-stream frames, in order
    QList<double> receivedAt;                    // when each frame was received (unix seconds)
    QList<double> snapshotReceivedAt;            // when each snapshot was received
    QList<QPair<QString, QByteArray>> snapshots; // (symbol, body of GET /api/v3/depth)

    static RecordedSession load() {
        RecordedSession s;
        const QString dir = qEnvironmentVariable("MD_TEST_DATA", "tests/data") + "/binance/";
        QFile ws(dir + "BINANCE.ws.1.0");
        if (ws.open(QIODevice::ReadOnly)) {
            ws.readLine(); // the subscribed URL
            while (!ws.atEnd()) {
                const QByteArray line = ws.readLine().trimmed();
                const int colon = line.indexOf(": ");
                if (colon > 0) {
                    s.frames.append(line.mid(colon + 2));
                    s.receivedAt.append(line.left(colon).toDouble());
                }
            }
        }
        QFile http(dir + "BINANCE.http.0.0");
        if (http.open(QIODevice::ReadOnly)) {
            while (!http.atEnd()) {
                const QByteArray line = http.readLine().trimmed();
                const int symbolAt = line.indexOf("symbol=") + 7;
                const int symbolEnd = line.indexOf('&', symbolAt);
                const int body = line.indexOf(": {");
                const int arrow = line.indexOf(" -> ");
                if (symbolAt > 7 && body > 0) {
                    s.snapshots.append(
                        {QString::fromLatin1(line.mid(symbolAt, symbolEnd - symbolAt)), line.mid(body + 2)});
                    s.snapshotReceivedAt.append(line.mid(arrow + 4, body - arrow - 4).toDouble());
                }
            }
        }
        return s;
    }
    /// One symbol's frames, and how many of them arrived before its snapshot did.
    std::pair<QList<QByteArray>, int> framesOf(const QString& symbol) const {
        double snapshotAt = 0;
        for (int i = 0; i < snapshots.size(); ++i)
            if (snapshots[i].first == symbol)
                snapshotAt = snapshotReceivedAt.value(i);
        const QByteArray prefix = "{\"stream\":\"" + symbol.toLower().toUtf8() + "@";
        QList<QByteArray> out;
        int before = 0;
        for (int i = 0; i < frames.size(); ++i)
            if (frames[i].startsWith(prefix)) {
                out.append(frames[i]);
                if (receivedAt.value(i) < snapshotAt)
                    ++before;
            }
        return {out, before};
    }
    QByteArray snapshot(const QString& symbol) const {
        for (const auto& [s, body] : snapshots)
            if (s == symbol)
                return body;
        return {};
    }
};

} // namespace md::test
