// What the exchange says wins, and says why (issue 13 part 11): after a reconnect, orders the
// exchange answers -2013 for ("does not exist": it restarted and forgot them) are settled, not left
// open; refused keys (-2015 revoked, -1022 bad signature) are shown as "credentials refused" with
// Binance's words and the order stream stops asking; placements then fail fast with that reason.
#include "binancerig.h"

#include "logging/logging.h"

#include <QElapsedTimer>
#include <QTest>

using namespace md;
using namespace md::test;

class TestExchangeTruth : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void ordersTheExchangeForgotAreSettledAfterReconnecting() {
        BinanceRig rig;
        QVERIFY(rig.running());
        const auto a = rig.place(Side::Bid, "63000.00", "0.00100");
        const auto b = rig.place(Side::Ask, "65000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->story(a).size() == 1 && rig.log->story(b).size() == 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.health().openOrders, 2u, 5000);
        QElapsedTimer timer;
        timer.start();
        rig.exchange.forgetOrders(); // a restart: no open orders any more, every connection dropped
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(a) && rig.log->ended(b), 8000);
        QCOMPARE(rig.log->story(a), (Story{"placed", "cancelled"}));
        QCOMPARE(rig.log->story(b), (Story{"placed", "cancelled"}));
        qInfo("settled %.1f s after the exchange forgot them", timer.elapsed() / 1000.0);
        QTRY_COMPARE_WITH_TIMEOUT(rig.health().openOrders, 0u, 3000);
        QCOMPARE(detail(rig.health(), "settled_orders"), 2.0);
        QVERIFY(rig.running());
    }

    void revokedKeyIsShownWithBinancesWordsAndNotHammered() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.revokeKeys();
        rig.exchange.dropConnections(); // the session comes back, and its subscription is refused
        const std::string words = "credentials refused: Binance -2015: Invalid API-key, IP, or permissions for action.";
        QTRY_COMPARE_WITH_TIMEOUT(detailText(rig.health(), "credentials"), words, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().stateReason.find(words) != std::string::npos, 5000);
        const int subscriptions = rig.exchange.subscriptionsStarted();
        const int refusals = rig.exchange.keyRefusals();
        const int sessions = rig.exchange.wsApiConnectionsAccepted();
        QTest::qWait(1500); // a stream that kept retrying would have asked again (backoff 100..800 ms)
        QCOMPARE(rig.exchange.subscriptionsStarted(), subscriptions);
        QVERIFY2(rig.exchange.keyRefusals() <= refusals + 1, qPrintable(QString::number(rig.exchange.keyRefusals())));
        QCOMPARE(rig.exchange.wsApiConnectionsAccepted(), sessions);
        rig.engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->shutdownReport().has_value(), 15000);
    }

    void wrongSecretIsRefusedOnceAndSaysSo() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.setCredentials("test-key-0123", "another-secret");
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QVERIFY2(rig.log->last(id).find("-1022") != std::string::npos, rig.log->last(id).c_str());
        QTRY_VERIFY_WITH_TIMEOUT(
            detailText(rig.health(), "credentials").find("credentials refused: Binance -1022") == 0, 5000);
        const int failures = rig.exchange.signatureFailures();
        const auto again = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(again), 5000);
        QVERIFY2(rig.log->last(again).find("credentials refused") != std::string::npos, rig.log->last(again).c_str());
        QCOMPARE(rig.exchange.signatureFailures(), failures); // not sent again
    }
};

QTEST_GUILESS_MAIN(TestExchangeTruth)
#include "tst_exchangetruth.moc"
