// One rate budget per exchange host (issue 13 part 6): Binance counts weight per IP, so every
// Binance market of the process draws on one budget. Two markets on one fake host with a small
// limit resync again and again: the shared budget slows them before the limit — the exchange never
// answers 429, let alone 418. And a 429 one market gets pauses the other as well until Retry-After.
#include "binancerig.h"

#include "logging/logging.h"

#include <QElapsedTimer>
#include <QTest>

using namespace md;
using namespace md::test;

namespace {

RigOptions twoMarkets() {
    RigOptions o;
    o.keys = RigOptions::Keys::None;
    o.symbols = {"BTCUSDT", "ETHUSDT"};
    o.extra = {{"depth_limit", 100}}; // a snapshot weighs 5
    return o;
}

bool synced(BinanceRig& rig, MarketId market) {
    return QTest::qWaitFor(
        [&] {
            const auto h = rig.health(market);
            return h.state == MarketState::Running && detail(h, "stream_age_seconds") >= 0;
        },
        20000);
}

} // namespace

class TestSharedLimits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { logging::init({spdlog::level::warn, true, {}}); }

    void marketsOnOneHostShareTheBudgetAndSlowDownBeforeA429() {
        RigOptions o = twoMarkets();
        o.prepare = [](FakeBinanceExchange& e) { e.setRateLimits(60, 2, 100, 10); }; // 60 weight per 2 s
        BinanceRig rig(o);
        QVERIFY(synced(rig, 0));
        QVERIFY(synced(rig, 1));
        // Both books resync over and over: 5 weight a snapshot; more snapshots than one window allows
        // (54 of 60 weight) are wanted, so the shared budget must spread them over several windows.
        QElapsedTimer timer;
        timer.start();
        while (rig.exchange.snapshotsServed() < 16 && timer.elapsed() < 15000) {
            rig.exchange.book("BTCUSDT").dropNext = true;
            rig.exchange.book("ETHUSDT").dropNext = true;
            QTest::qWait(25);
        }
        QVERIFY(rig.exchange.snapshotsServed() >= 16);
        QVERIFY(synced(rig, 0));
        QVERIFY(synced(rig, 1));
        QCOMPARE(rig.exchange.tooManyRequests(), 0);
        QCOMPARE(rig.exchange.bans(), 0);
        const auto budget = rig.factory.budgets().budget("127.0.0.1");
        QVERIFY2(budget->waits() > 0, "the budget never had to hold a request back: the test proves nothing");
        QVERIFY(detail(rig.health(0), "resyncs") >= 1 && detail(rig.health(1), "resyncs") >= 1);
        qInfo("%llu requests held back by the shared budget; %s", static_cast<unsigned long long>(budget->waits()),
              detailText(rig.health(1), "weight_headroom").c_str());
        QVERIFY(detailText(rig.health(0), "weight_headroom").find("shared by its markets") != std::string::npos);
    }

    void a429OnOneMarketPausesEveryMarketOnTheHost() {
        BinanceRig rig(twoMarkets());
        QVERIFY(synced(rig, 0));
        QVERIFY(synced(rig, 1));
        rig.exchange.setRateLimits(6000, 3, 100, 10); // windows of 3 s, so Retry-After is short
        rig.exchange.exhaustWeight();                 // another program on this IP spent it all
        rig.exchange.book("BTCUSDT").dropNext = true; // market 0 asks for a snapshot: 429
        QTRY_VERIFY_WITH_TIMEOUT(rig.exchange.tooManyRequests() >= 1, 5000);
        rig.exchange.book("ETHUSDT").dropNext = true; // market 1 needs one too: it must wait
        QTRY_VERIFY_WITH_TIMEOUT(detail(rig.health(1), "cooldown_seconds") > 0, 3000);
        QVERIFY(synced(rig, 0));
        QVERIFY(synced(rig, 1));
        QCOMPARE(rig.exchange.tooManyRequests(), 1);
        QCOMPARE(rig.exchange.requestsDuringCooldown(), 0);
        QCOMPARE(rig.exchange.bans(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSharedLimits)
#include "tst_sharedlimits.moc"
