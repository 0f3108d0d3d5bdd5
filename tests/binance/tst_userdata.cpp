// User data and orders over the WebSocket API session (part 1 and 8 of issue 13), against the fake
// exchange: an HMAC key subscribes with userDataStream.subscribe.signature, an Ed25519 key logs on
// with session.logon and subscribes; the retired listenKey endpoints are never called; an
// eventStreamTerminated or a lost connection resubscribes with backoff and reconciles what was
// missed; serverShutdown reconnects before the cut; a silent session is declared dead; the
// server's pings are answered; clock skew (-1021) is measured again and the request retried.
#include "binancerig.h"

#include "logging/logging.h"

#include <QElapsedTimer>
#include <QTest>

#include <sys/stat.h>

using namespace md;
using namespace md::test;

class TestUserData : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void hmacKeySubscribesWithASignatureAndNeverUsesListenKeys() {
        BinanceRig rig;
        QVERIFY(rig.running());
        QCOMPARE(rig.exchange.logons(), 0); // session.logon is for Ed25519 keys only
        QVERIFY(rig.exchange.subscriptionsStarted() >= 1);
        QCOMPARE(rig.exchange.userStreamsConnected(), 1);
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        rig.exchange.fillRestingOrders();
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QCOMPARE(rig.exchange.retiredEndpointCalls(), 0);
        QCOMPARE(rig.exchange.signatureFailures(), 0);
    }

    void ed25519KeyLogsOnSubscribesAndTrades() {
        BinanceRig rig(test::withKeys(RigOptions::Keys::Ed25519));
        QVERIFY(rig.running());
        QCOMPARE(rig.exchange.logons(), 1);
        QCOMPARE(rig.exchange.userStreamsConnected(), 1);
        QVERIFY(detailText(rig.health(), "credentials") == "accepted");
        const int signedBefore = rig.exchange.signedRequests();
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        // Logged on: the placement carried no apiKey nor signature (web-socket-api.md "Session Authentication").
        QCOMPARE(rig.exchange.signedRequests(), signedBefore);
        rig.exchange.fillRestingOrders();
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000);
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00100@64000.00", "done"}));
        QCOMPARE(rig.exchange.signatureFailures(), 0);
    }

    void keyFileOthersCanReadFailsTheMarket() {
        RigOptions o;
        o.keys = RigOptions::Keys::Ed25519;
        o.prepare = [](FakeBinanceExchange&) {};
        // The rig writes the key 0600; loosen it before the market starts by pointing at a copy.
        QTemporaryDir dir;
        const QString loose = dir.filePath("loose.pem");
        const auto [privatePem, publicPem] = test::makeEd25519KeyPair();
        QFile f(loose);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(privatePem);
        f.close();
        ::chmod(QFile::encodeName(loose).constData(), 0640);
        o.extra = {{"private_key_file_env", "MD_TEST_LOOSE_KEYFILE"}};
        qputenv("MD_TEST_LOOSE_KEYFILE", loose.toUtf8());
        BinanceRig rig(o);
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Failed), 5000);
        QVERIFY2(rig.health().stateReason.find("mode is 0640") != std::string::npos &&
                     rig.health().stateReason.find("chmod 600") != std::string::npos,
                 rig.health().stateReason.c_str());
        QCOMPARE(rig.exchange.wsApiConnectionsAccepted(), 0);
    }

    // eventStreamTerminated: subscribe again (with backoff), and recover what happened meanwhile.
    void terminatedStreamResubscribesAndReconciles() {
        BinanceRig rig;
        QVERIFY(rig.running());
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        const int subscriptions = rig.exchange.subscriptionsStarted();
        rig.exchange.terminateUserStreams();
        rig.exchange.fillRestingOrders(); // nobody subscribed: the execution report is lost
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.subscriptionsStarted() > subscriptions, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 5000); // the reconciliation found it filled
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00100@64000.00", "done"}));
        QCOMPARE(detail(rig.health(), "stream_terminations"), 1.0);
        QTRY_COMPARE_WITH_TIMEOUT(detail(rig.health(), "order_stream_up"), 1.0, 5000);
    }

    void lostSessionHaltsAndWhatItMissedIsRecovered() {
        BinanceRig rig;
        QVERIFY(rig.running());
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        const int sessions = rig.exchange.wsApiConnectionsAccepted();
        rig.exchange.refuseConnectionsFor(800);
        rig.exchange.dropConnections();
        rig.exchange.fillRestingOrders(); // nobody listens: the execution report is lost
        QTRY_COMPARE_WITH_TIMEOUT(nameOf(rig.health().state), nameOf(MarketState::Degraded), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.health().breakerReason.find("order stream down") != std::string::npos, 3000);
        QCOMPARE(rig.health().tradingState, std::string("halted"));
        QTRY_VERIFY_WITH_TIMEOUT(rig.log->ended(id), 10000);
        QCOMPARE(rig.log->story(id), (Story{"placed", "filled 0.00100@64000.00", "done"}));
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.wsApiConnectionsAccepted() > sessions, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(rig.health().tradingState, std::string("active"), 5000);
    }

    void serverShutdownOnTheSessionReconnectsBeforeTheCut() {
        BinanceRig rig;
        QVERIFY(rig.running());
        const int sessions = rig.exchange.wsApiConnectionsAccepted();
        QElapsedTimer timer;
        timer.start();
        rig.exchange.announceShutdown(3000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.wsApiConnectionsAccepted() > sessions, 3000);
        QVERIFY2(timer.elapsed() < 3000, "reconnected only after the cut");
        QVERIFY(rig.running());
        QVERIFY(detail(rig.health(), "server_shutdowns") >= 2); // the stream and the session
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
    }

    void silentSessionIsDeclaredDeadAndPingsAreAnswered() {
        BinanceRig rig(test::withSettings({{"silence_timeout_ms", 900}}));
        QVERIFY(rig.running());
        rig.exchange.setPings(100, 300);
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.pingsSent() >= 10, 5000);
        QCOMPARE(rig.exchange.pongDeadlinesMissed(), 0);
        QCOMPARE(detail(rig.health(), "silent_drops"), 0.0);
        rig.exchange.stallConnections();
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(), "silent_drops") >= 2, 5000); // stream and session
        rig.exchange.resumeConnections();
        QVERIFY(rig.running());
    }

    // -1021: our clock is off from the exchange's; it is measured again and the request retried once.
    void clockSkewIsMeasuredAgainAndTheRequestRetried() {
        BinanceRig rig;
        QVERIFY(rig.running());
        rig.exchange.setClockSkewMs(4000); // the exchange's clock jumps ahead of ours
        const auto id = rig.place(Side::Bid, "64000.00", "0.00100");
        QTRY_COMPARE_WITH_TIMEOUT(rig.log->story(id), Story{"placed"}, 5000);
        QVERIFY(rig.exchange.timestampRefusals() >= 1);
        QVERIFY2(std::abs(detail(rig.health(), "clock_skew_ms") - 4000) < 500,
                 detailText(rig.health(), "clock_skew_ms").c_str());
        QCOMPARE(rig.exchange.placementsAccepted(), 1);
    }
};

QTEST_GUILESS_MAIN(TestUserData)
#include "tst_userdata.moc"
