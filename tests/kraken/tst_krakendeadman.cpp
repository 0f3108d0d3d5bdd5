// The dead man's switch when MarketDesk dies: the real marketdesk executable trades on the fake Kraken
// (which lives in this test process and outlives it) with a market maker whose orders rest; it is killed
// with SIGKILL, so nothing of ours can cancel anything. The orders must still be open right after the
// kill, and the exchange itself must cancel them when the cancel_all_orders_after timer runs out
// (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/cancel_after).
#include "fakekrakenexchange.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class TestKrakenDeadMan : public QObject {
    Q_OBJECT
private slots:
    void sigkilledMarketDeskIsCancelledByTheExchangeWhenTheTimerRunsOut() {
        md::test::FakeKrakenExchange exchange;
        exchange.setUpdateIntervalMs(50);
        QVERIFY(exchange.listen());
        QTemporaryDir dir;
        const QString config = dir.filePath("kraken.json");
        {
            QJsonObject settings = exchange.settings();
            settings["api_key_env"] = "MD_DEADMAN_KEY";
            settings["api_secret_env"] = "MD_DEADMAN_SECRET";
            settings["dead_man_timeout_seconds"] = 4;
            settings["dead_man_refresh_seconds"] = 1;
            // A market maker quoting 2000 USD either side of the mid: its two orders rest.
            const QJsonObject market{{"name", "KRK"},
                                     {"connector", "kraken"},
                                     {"instrument", QJsonObject{{"symbol", "BTC/USD"},
                                                                {"base", "BTC"},
                                                                {"quote", "USD"},
                                                                {"price_tick", "0.1"},
                                                                {"quantity_step", "0.00000001"}}},
                                     {"settings", settings}};
            const QJsonObject root{{"markets", QJsonArray{market}},
                                   {"strategy", QJsonObject{{"kind", "market_maker"},
                                                            {"market", "KRK"},
                                                            {"half_spread_ticks", 20000},
                                                            {"order_quantity", "0.001"},
                                                            {"max_position", "1"},
                                                            {"requote_ticks", 100000}}},
                                   {"grace_seconds", 5},
                                   {"log_level", "info"},
                                   {"journal", dir.filePath("journal.sqlite")}};
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(root).toJson());
        }
        QProcess desk;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("MD_DEADMAN_KEY", "fake-kraken-key");
        env.insert("MD_DEADMAN_SECRET", "ZmFrZS1rcmFrZW4tc2VjcmV0LWZvci10ZXN0cy1vbmx5LXBhZGRpbmctcGFkZGluZw==");
        desk.setProcessEnvironment(env);
        desk.setProcessChannelMode(QProcess::MergedChannels);
        desk.start(MARKETDESK_BIN, {"--config", config, "--headless", "--run-for", "120"});
        QVERIFY(desk.waitForStarted());
        QVERIFY2(QTest::qWaitFor([&] { return exchange.openOrders().size() == 2 && exchange.deadManArmed(); }, 30000),
                 desk.readAll().constData());
        QVERIFY(exchange.deadManArms() >= 1);
        // Let it refresh the switch at least once more, then kill it outright.
        const int arms = exchange.deadManArms();
        QVERIFY(QTest::qWaitFor([&] { return exchange.deadManArms() > arms; }, 5000));
        ::kill(static_cast<pid_t>(desk.processId()), SIGKILL);
        QVERIFY(desk.waitForFinished(5000));
        QElapsedTimer sinceKill;
        sinceKill.start();
        QTest::qWait(500);
        QCOMPARE(exchange.openOrders().size(), std::size_t(2)); // the connection's end cancels nothing
        QCOMPARE(exchange.deadManTriggers(), 0);
        QVERIFY(QTest::qWaitFor([&] { return exchange.deadManTriggers() == 1; }, 8000));
        const qint64 ms = sinceKill.elapsed();
        QVERIFY(exchange.openOrders().empty());
        // The last refresh was at most ~1 s before the kill, with a 4 s timeout: the cancel comes 2.5-4.5 s later.
        QVERIFY2(ms >= 2000 && ms <= 5500, qPrintable(QString::number(ms)));
        qInfo("orders cancelled by the fake exchange's dead man's switch %lld ms after SIGKILL", ms);
    }
};

QTEST_GUILESS_MAIN(TestKrakenDeadMan)
#include "tst_krakendeadman.moc"
