// The PositionKeeper on a real thread of its own: fills and balance reports pushed from another
// thread (as the event network does) reach its published snapshot, marks come from the published
// market views, and current() takes what is still in the inbox (the close-out's figures).
#include "engine/viewstore.h"
#include "positions/positionkeeper.h"

#include <QTest>
#include <QThread>

#include <thread>

using namespace md;

namespace {
MarketSpec market(const char* name) {
    MarketSpec s;
    s.name = name;
    s.instrument.symbol = "BTCUSDT";
    s.instrument.base = "BTC";
    s.instrument.quote = "USDT";
    s.instrument.tick = Price(1, 2);
    s.instrument.step = Quantity(1, 4);
    return s;
}
Decimal dec(const char* s) {
    return *Decimal::parse(s);
}
} // namespace

class TestPositionKeeper : public QObject {
    Q_OBJECT
private slots:
    void fillsFromAnotherThreadArePublishedAndMarked() {
        ViewStore views(1);
        auto* keeper = new PositionKeeper({market("A")}, views, 10);
        QThread thread;
        thread.setObjectName("positions");
        keeper->moveToThread(&thread);
        connect(&thread, &QThread::finished, keeper, &QObject::deleteLater);
        thread.start();
        QMetaObject::invokeMethod(keeper, &PositionKeeper::start, Qt::QueuedConnection);

        auto inbox = keeper->inbox();
        std::thread network([inbox] { // stands for the event network: it only pushes
            for (int i = 0; i < 100; ++i)
                inbox->push(0, OrderFilled{1, Side::Bid, Price(10000, 2), Quantity(100, 4), Decimal(1, 6), "BTC"});
            inbox->push(0, BalanceUpdated{"USDT", Quantity(900, 0), Quantity(100, 0)});
        });
        network.join();
        QTRY_COMPARE(keeper->published()->markets.at(0).fills, std::uint64_t(100));
        const auto s = keeper->published();
        QCOMPARE(s->markets[0].position, dec("0.9999"));  // 100 * (0.01 - 0.000001)
        QCOMPARE(s->markets[0].feesInQuote, dec("0.01")); // 100 * 0.000001 BTC at 100.00
        QCOMPARE(s->balances.size(), 1u);
        QCOMPARE(s->balances[0].locked, dec("100"));
        QVERIFY(!s->markets[0].marked);

        auto view = std::make_shared<MarketView>();
        view->bids = {BookLevel{Price(10100, 2), Quantity(1, 0)}};
        view->asks = {BookLevel{Price(10300, 2), Quantity(1, 0)}};
        views.publish(0, view);
        QTRY_VERIFY(keeper->published()->markets.at(0).marked);
        QCOMPARE(keeper->published()->markets[0].unrealized, dec("1.9998")); // 0.9999 * (102 - 100)

        inbox->push(0, OrderFilled{2, Side::Ask, Price(10200, 2), Quantity(9999, 4), Decimal(), ""});
        const auto now = keeper->current(); // does not wait for the timer
        QCOMPARE(now->markets[0].position, Decimal());
        QCOMPARE(now->markets[0].realized, dec("1.9998"));
        QCOMPARE(now->currency("USDT")->net, dec("1.9898"));

        thread.quit();
        QVERIFY(thread.wait(5000));
    }
};

QTEST_GUILESS_MAIN(TestPositionKeeper)
#include "tst_positionkeeper.moc"
