// OutcomeResolver: an order whose placement had no certain answer is asked about until the answer
// is certain — found at once, or "does not exist" asked after the request could no longer land.
// A manual clock: the pauses are counted, never slept.
#include "common/outcomeresolver.h"

#include <QTest>

#include <vector>

using namespace md::venue;
using Answer = OutcomeResolver::Answer;
using Verdict = OutcomeResolver::Verdict;

namespace {

struct Rig {
    ManualClock clock{10'000};
    std::vector<Answer> script; // answers in order; the last repeats
    std::vector<std::int64_t> askedAt;
    std::vector<int> pauses;
    OutcomeResolver::Result run(OutcomeResolver::Policy policy) {
        std::size_t i = 0;
        return OutcomeResolver::resolve(
            policy,
            [&] {
                askedAt.push_back(clock.nowMs());
                const Answer a = script[std::min(i, script.size() - 1)];
                ++i;
                return a;
            },
            clock,
            [&](int ms) {
                pauses.push_back(ms);
                clock.advance(ms);
                return true;
            });
    }
};

} // namespace

class TestOutcomeResolver : public QObject {
    Q_OBJECT
private slots:
    // The fake exchange's fault: the order lands after two queries said "does not exist".
    void orderLandingAfterTwoNotFoundAnswersIsFound() {
        Rig rig;
        rig.script = {Answer::NotFound, Answer::NotFound, Answer::Found};
        const auto r = rig.run({10'000 + 5'000, 0, 100, 2000});
        QCOMPARE(r.verdict, Verdict::Found);
        QCOMPARE(r.queries, 3);
        QCOMPARE(r.notFoundAnswers, 2);
    }

    void notFoundIsOnlyFinalAfterTheLastChance() {
        Rig rig;
        rig.script = {Answer::NotFound};
        const std::int64_t lastChance = 10'000 + 5'000 + 1'000; // timestamp + recvWindow + margin
        const auto r = rig.run({lastChance, 0, 100, 2000});
        QCOMPARE(r.verdict, Verdict::NotPlaced);
        QVERIFY(rig.askedAt.back() > lastChance);
        for (std::size_t i = 0; i + 1 < rig.askedAt.size(); ++i)
            QVERIFY(rig.askedAt[i] <= lastChance); // every earlier "no" was only "not yet"
        // The pauses grow, and none waits past what is needed.
        QVERIFY(rig.pauses.front() < rig.pauses.at(2));
        QVERIFY(rig.askedAt.back() - lastChance <= 1);
    }

    void failuresToAskLeaveItUnknownAfterTheGiveUpTime() {
        Rig rig;
        rig.script = {Answer::Failed};
        const auto r = rig.run({11'000, 20'000, 100, 2000});
        QCOMPARE(r.verdict, Verdict::StillUnknown);
        QVERIFY(rig.clock.nowMs() >= 20'000);
        QVERIFY(r.queries > 3);
    }

    void failureThenNotFoundAfterTheLastChanceIsNotPlaced() {
        Rig rig;
        rig.script = {Answer::Failed, Answer::Failed, Answer::NotFound};
        const auto r = rig.run({10'000, 60'000, 100, 2000}); // the last chance has passed already
        QCOMPARE(r.verdict, Verdict::NotPlaced);
        QCOMPARE(r.queries, 3);
    }

    void stoppingEndsTheWaitUnknown() {
        ManualClock clock(0);
        int asked = 0;
        const auto r = OutcomeResolver::resolve(
            {5'000, 0, 100, 2000},
            [&] {
                ++asked;
                return Answer::NotFound;
            },
            clock, [](int) { return false; });
        QCOMPARE(r.verdict, Verdict::StillUnknown);
        QCOMPARE(asked, 1);
    }
};

QTEST_GUILESS_MAIN(TestOutcomeResolver)
#include "tst_outcomeresolver.moc"
