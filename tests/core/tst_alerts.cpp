// The alert model (GUI-free): conditions become alerts raised once and cleared once per market and
// kind; acknowledge one or all; mute a kind; the rules that turn a health snapshot into conditions.
#include "alerts/alertbook.h"
#include "alerts/alertrules.h"
#include "metrics/prometheusformatter.h"

#include <QTest>

using namespace md;

namespace {

AlertCondition condition(AlertKind kind, const char* market, const char* what = "x") {
    return AlertCondition{kind, market, AlertSeverity::Critical, what, "do y"};
}

MarketHealth market(MarketId id, const char* name, MarketState state) {
    MarketHealth h;
    h.id = id;
    h.name = name;
    h.state = state;
    return h;
}

std::vector<AlertKind> kinds(const std::vector<AlertCondition>& conditions, const std::string& market) {
    std::vector<AlertKind> out;
    for (const auto& c : conditions)
        if (c.market == market)
            out.push_back(c.kind);
    return out;
}

} // namespace

class TestAlerts : public QObject {
    Q_OBJECT
private slots:
    void raisedOnceWhileItLastsAndClearedOnce() {
        AlertBook book(3000);
        auto changes = book.update({condition(AlertKind::MarketKilled, "SIM-THIN", "killed: stuck")}, 1000);
        QCOMPARE(changes.raised.size(), 1u);
        QCOMPARE(changes.raised[0].sinceMs, 1000);
        // Still there for a minute: never raised again; its text follows.
        for (std::int64_t t = 1250; t < 61000; t += 250) {
            changes = book.update({condition(AlertKind::MarketKilled, "SIM-THIN", "killed: stuck 2")}, t);
            QVERIFY(!changes.any());
        }
        QCOMPARE(book.alerts().size(), 1u);
        QCOMPARE(book.alerts().front().what, std::string("killed: stuck 2"));
        QCOMPARE(book.raisedTotal(AlertKind::MarketKilled), 1u);
        // Gone: cleared once, after it stayed away for the hold time.
        QVERIFY(!book.update({}, 61000).any());
        changes = book.update({}, 64000);
        QCOMPARE(changes.cleared.size(), 1u);
        QCOMPARE(changes.cleared[0].clearedMs, 64000);
        QVERIFY(!book.update({}, 70000).any());
        QCOMPARE(book.clearedTotal(AlertKind::MarketKilled), 1u);
        QCOMPARE(book.activeCount(), 0u);
    }

    void aFlappingConditionIsOneAlert() {
        AlertBook book(3000);
        std::size_t raised = 0;
        for (std::int64_t t = 0; t < 20000; t += 250) {
            const bool present = (t / 1000) % 2 == 0; // on one second, off the next
            raised += book.update(present ? std::vector{condition(AlertKind::MarketDegraded, "A")}
                                          : std::vector<AlertCondition>{},
                                  t)
                          .raised.size();
        }
        QCOMPARE(raised, 1u);
    }

    void onePerMarketAndKind() {
        AlertBook book;
        auto changes = book.update({condition(AlertKind::MarketKilled, "A"), condition(AlertKind::MarketKilled, "A"),
                                    condition(AlertKind::MarketKilled, "B"), condition(AlertKind::BreakerTripped, "A")},
                                   0);
        QCOMPARE(changes.raised.size(), 3u);
        QCOMPARE(book.activeCount(AlertKind::MarketKilled), 2u);
    }

    void acknowledgeOneOrAllAndMuteAKind() {
        AlertBook book;
        book.update({condition(AlertKind::MarketKilled, "A"), condition(AlertKind::RejectionBurst, "A"),
                     condition(AlertKind::StrategyFailed, "")},
                    0);
        QCOMPARE(book.unacknowledged(), 3u);
        const std::uint64_t first = book.alerts().front().id;
        QVERIFY(book.acknowledge(first));
        QVERIFY(book.find(first)->acknowledged);
        QCOMPARE(book.unacknowledged(), 2u);
        QVERIFY(!book.acknowledge(999));
        book.setMuted(AlertKind::RejectionBurst, true);
        QVERIFY(book.isMuted(AlertKind::RejectionBurst));
        QCOMPARE(book.unacknowledged(), 1u); // a muted kind is not counted
        const auto version = book.version();
        QCOMPARE(book.acknowledgeAll(), 2u);
        QVERIFY(book.version() != version);
        QCOMPARE(book.unacknowledged(), 0u);
        // A new alert of the muted kind is still kept (and shown, greyed), not counted.
        book.update({condition(AlertKind::RejectionBurst, "B")}, 100);
        QCOMPARE(book.alerts().back().market, std::string("B"));
        QCOMPARE(book.unacknowledged(), 0u);
    }

    void historyIsBoundedAndKeepsWhatLasts() {
        AlertBook book(0, 10);
        book.update({condition(AlertKind::JournalTrouble, "")}, 0); // lasts throughout
        for (int i = 0; i < 50; ++i) {
            book.update({condition(AlertKind::JournalTrouble, ""), condition(AlertKind::MarketFailed, "A")},
                        i * 10 + 1);
            book.update({condition(AlertKind::JournalTrouble, "")}, i * 10 + 5);
        }
        QVERIFY(book.alerts().size() <= 10u);
        QCOMPARE(book.alerts().front().kind, AlertKind::JournalTrouble);
        QVERIFY(book.alerts().front().active());
        QCOMPARE(book.raisedTotal(AlertKind::MarketFailed), 50u);
    }

    void rulesForTheMarketsLifecycle() {
        AlertRules rules;
        AlertInputs in;
        in.nowMs = 1000;
        auto killed = market(0, "K", MarketState::Killed);
        killed.stateReason = "executor stuck in an action after the grace period; thread abandoned";
        auto quarantined = market(1, "Q", MarketState::Killed);
        quarantined.stateReason = "quarantined: its threads hung and were abandoned 3 times in this run";
        auto failed = market(2, "F", MarketState::Failed);
        failed.stateReason = "simulated producer failure";
        auto degraded = market(3, "D", MarketState::Degraded);
        degraded.stateReason = "executor stuck: oldest action 12 s";
        degraded.breakerReason = "connector degraded: executor stuck: oldest action 12 s";
        auto stale = market(4, "S", MarketState::Running);
        stale.breakerReason = "book stale for 10.2 s";
        auto fine = market(5, "OK", MarketState::Running);
        fine.queueDepth = 3;
        fine.oldestActionAgeSeconds = 0.2; // a queue that moves
        auto hung = market(7, "H", MarketState::Running);
        hung.queueDepth = 4;
        hung.oldestActionAgeSeconds = 12.4;
        hung.executorStuck = true; // a hung gateway: the breaker saw it, the state is not Degraded yet
        auto stopped = market(6, "L", MarketState::Stopped);
        stopped.openOrders = 3;
        in.health = {killed, quarantined, failed, degraded, stale, fine, stopped, hung};
        in.unknownOrders = {0, 0, 0, 0, 0, 0, 1, 0};
        const auto c = rules.evaluate(in);
        QCOMPARE(kinds(c, "K"), std::vector{AlertKind::MarketKilled});
        QCOMPARE(kinds(c, "Q"), std::vector{AlertKind::MarketQuarantined});
        QCOMPARE(kinds(c, "F"), std::vector{AlertKind::MarketFailed});
        QCOMPARE(kinds(c, "D"), (std::vector{AlertKind::MarketDegraded, AlertKind::BreakerTripped}));
        QCOMPARE(kinds(c, "S"), (std::vector{AlertKind::MarketDegraded, AlertKind::BreakerTripped}));
        QVERIFY(kinds(c, "OK").empty());
        QCOMPARE(kinds(c, "L"), std::vector{AlertKind::OrdersLeft});
        QCOMPARE(kinds(c, "H"), std::vector{AlertKind::MarketDegraded});
        for (const auto& x : c) {
            QVERIFY2(!x.todo.empty(), qPrintable(QString::fromStdString(x.what)));
            if (x.market == "D" && x.kind == AlertKind::MarketDegraded)
                QVERIFY(x.what.find("executor stuck: oldest action 12 s") != std::string::npos);
            if (x.market == "H")
                QVERIFY2(x.what == "H degraded: executor stuck: oldest action 12 s", x.what.c_str());
            if (x.market == "L")
                QVERIFY2(x.what.find("2 orders left open and 1 order of unknown outcome") != std::string::npos,
                         x.what.c_str());
        }
    }

    void rulesForTheDesk() {
        AlertRules rules;
        AlertInputs in;
        in.journalFailure = "disk full";
        in.strategyFailure = "strategy threw: boom";
        const auto c = rules.evaluate(in);
        QCOMPARE(kinds(c, ""), (std::vector{AlertKind::JournalTrouble, AlertKind::StrategyFailed}));
        QVERIFY(c[0].what.find("disk full") != std::string::npos);
    }

    void aBurstOfRejectionsLastsUntilQuiet() {
        AlertRules rules({20, 10000, 30000});
        auto h = market(0, "T", MarketState::Running);
        auto at = [&](std::int64_t ms, std::uint64_t rejected) {
            h.ordersRejected = rejected;
            h.lastRejection = "insufficient balance: BTC free 0, needs 0.05";
            AlertInputs in;
            in.nowMs = ms;
            in.health = {h};
            return !kinds(rules.evaluate(in), "T").empty();
        };
        QVERIFY(!at(0, 100)); // what happened before it looked is not a burst
        QVERIFY(!at(5000, 110));
        QVERIFY(!at(9000, 115));  // 15 in 10 s: not yet
        QVERIFY(at(12000, 131));  // 21 in the last 10 s
        QVERIFY(at(30000, 131));  // quiet for 18 s: still lasting
        QVERIFY(!at(42100, 131)); // quiet for 30 s: over
        // Slowly rising counts are no burst.
        for (std::int64_t t = 50000; t < 200000; t += 1000)
            QVERIFY(!at(t, 131 + static_cast<std::uint64_t>((t - 50000) / 1000)));
    }

    void metricsCountAlerts() {
        AlertBook book(0);
        book.update({condition(AlertKind::MarketKilled, "A")}, 0);
        book.update({}, 1);
        book.update({condition(AlertKind::MarketKilled, "A"), condition(AlertKind::BreakerTripped, "B")}, 2);
        const std::string text = formatPrometheusAlerts(book);
        QVERIFY(text.find("marketdesk_alerts_raised_total{kind=\"killed\"} 2") != std::string::npos);
        QVERIFY(text.find("marketdesk_alerts_cleared_total{kind=\"killed\"} 1") != std::string::npos);
        QVERIFY(text.find("marketdesk_alerts_active{kind=\"killed\",severity=\"critical\"} 1") != std::string::npos);
        QVERIFY(text.find("marketdesk_alerts_unacknowledged 3") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
