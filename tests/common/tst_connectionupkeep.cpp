// Connection upkeep helpers: the reconnect backoff grows with jitter and starts over when told; a
// connection silent longer than allowed is declared dead, one that keeps talking is not.
#include "common/reconnectbackoff.h"
#include "common/staleconnectionwatch.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace md::venue;

class TestConnectionUpkeep : public QObject {
    Q_OBJECT
private slots:
    void backoffGrowsWithJitterToItsCeilingAndResets() {
        ReconnectBackoff backoff(100, 800, 42);
        std::vector<int> delays;
        for (int i = 0; i < 6; ++i)
            delays.push_back(backoff.next());
        const std::vector<int> base{100, 200, 400, 800, 800, 800};
        for (std::size_t i = 0; i < delays.size(); ++i) {
            QVERIFY2(delays[i] >= base[i] * 0.8 - 1 && delays[i] <= base[i] * 1.2 + 1,
                     qPrintable(QString("attempt %1: %2 ms").arg(i).arg(delays[i])));
        }
        QCOMPARE(backoff.attempts(), 6);
        backoff.reset();
        QVERIFY(backoff.next() <= 120);
        ReconnectBackoff same(100, 800, 42);
        QCOMPARE(same.next(), delays.front()); // seeded: reproducible
    }

    void silentConnectionIsDeclaredDeadTalkingOneIsNot() {
        StaleConnectionWatch watch(120);
        QSignalSpy silent(&watch, &StaleConnectionWatch::silent);
        QTimer talk;
        talk.setInterval(20);
        connect(&talk, &QTimer::timeout, &watch, &StaleConnectionWatch::heard);
        watch.start();
        talk.start();
        QTest::qWait(400); // talking all along: never silent
        QCOMPARE(silent.count(), 0);
        talk.stop();
        QVERIFY(silent.wait(2000));
        QCOMPARE(silent.count(), 1);
        QCOMPARE(silent.at(0).at(0).toInt(), 120);
    }
};

QTEST_GUILESS_MAIN(TestConnectionUpkeep)
#include "tst_connectionupkeep.moc"
