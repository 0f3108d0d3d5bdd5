// Positions and P&L as a user meets them headless (issue 15): the close-out's money lines, the same
// figures from `--pnl-report` (the journal's fills replayed), and a restart that restores the day's
// realized P&L and fees from the journal, so a crash does not reset the day.
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

QString writeConfig(QTemporaryDir& dir, const QString& strategy) {
    const QString path = dir.filePath("config.json");
    QFile f(path);
    f.open(QIODevice::WriteOnly | QIODevice::Truncate);
    f.write(QString(R"({"markets": [{"name": "A", "connector": "sim",
        "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.0001"},
        "settings": {"seed": 5, "mid": "100.00", "events_per_second": 2000, "volatility": 0.6,
                     "maker_fee": "0.0002", "taker_fee": "0.001"}}],
        "strategy": %1, "grace_seconds": 2, "log_level": "info", "journal": "%2"})")
                .arg(strategy, dir.filePath("journal.sqlite"))
                .toUtf8());
    return path;
}

QByteArray run(const QStringList& args, int* exitCode = nullptr) {
    QProcess p;
    p.start(MARKETDESK_BIN, args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
    }
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput() + p.readAllStandardError();
}

// "P&L USDT: realized +1.23, unrealized -0.5, fees 0.01, net +0.72" from the close-out.
QStringList closeOutPnl(const QByteArray& output) {
    const auto m = QRegularExpression(R"(P&L USDT: realized ([-+0-9.]+), unrealized ([-+0-9.]+), fees ([0-9.]+))")
                       .match(QString::fromUtf8(output));
    return m.hasMatch() ? QStringList{m.captured(1), m.captured(2), m.captured(3)} : QStringList{};
}

QString unsigned_(QString s) {
    return s.startsWith('+') ? s.mid(1) : s;
}

} // namespace

class TestPnl : public QObject {
    Q_OBJECT
private slots:
    void closeOutReportAndRestartTellTheSameDay() {
        QTemporaryDir dir;
        const QString config = writeConfig(
            dir, R"({"kind": "market_maker", "market": "A", "half_spread_ticks": 1, "order_quantity": "0.01",
                     "max_position": "0.05", "requote_ticks": 1})");
        int code = -1;
        const QByteArray first = run({"--config", config, "--headless", "--run-for", "3"}, &code);
        QCOMPARE(code, 0);
        QVERIFY2(first.contains("position left [A]: BTC"), first.right(3000).constData());
        const QStringList pnl = closeOutPnl(first);
        QVERIFY2(pnl.size() == 3, first.right(3000).constData());
        QVERIFY2(pnl[2] != "0", "the market maker's fills paid no fee");
        QVERIFY(first.contains("desk P&L USDT") || first.contains("P&L USDT"));

        // --pnl-report replays the journal's fills: the same realized P&L and fees, to the last digit.
        const QByteArray report = run({"--config", config, "--pnl-report"}, &code);
        QCOMPARE(code, 0);
        QJsonObject market, currency;
        for (const QByteArray& line : report.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value("market").toString() == "A")
                market = o;
            if (o.value("currency").toString() == "USDT")
                currency = o;
        }
        QVERIFY2(!market.isEmpty() && !currency.isEmpty(), report.constData());
        QCOMPARE(currency.value("realized").toString(), unsigned_(pnl[0]));
        QCOMPARE(currency.value("fees").toString(), pnl[2]);
        QVERIFY(market.value("fills").toInt() > 0);
        QCOMPARE(market.value("fees").toObject().keys(), (QStringList{"BTC", "USDT"})); // buys pay base, sells quote

        // A restart (nothing traded in it) reports the day so far: realized and fees come back.
        writeConfig(dir, R"({"kind": "none"})");
        const QByteArray second = run({"--config", config, "--headless", "--run-for", "0.5"}, &code);
        QCOMPARE(code, 0);
        const QStringList restored = closeOutPnl(second);
        QVERIFY2(restored.size() == 3, second.right(3000).constData());
        QCOMPARE(restored[0], pnl[0]);
        QCOMPARE(restored[2], pnl[2]);
        QCOMPARE(restored[1], QString("0")); // no position in this run
    }
};

QTEST_GUILESS_MAIN(TestPnl)
#include "tst_pnl.moc"
