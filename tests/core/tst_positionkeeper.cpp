// The PositionKeeper on a real thread of its own: fills and balance reports pushed from another
// thread (as the event network does) reach its published snapshot, marks come from the published
// market views, and current() takes what is still in the inbox (the close-out's figures).
#include "engine/viewstore.h"
#include "positions/moneytext.h"
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

/// A keeper on its own "positions" thread, as the engine runs it; the thread ends with the object.
struct KeeperOnItsThread {
    PositionKeeper* keeper;
    QThread thread;
    explicit KeeperOnItsThread(PositionKeeper* k)
        : keeper(k) {
        thread.setObjectName("positions");
        keeper->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, keeper, &QObject::deleteLater);
        thread.start();
        QMetaObject::invokeMethod(keeper, &PositionKeeper::start, Qt::QueuedConnection);
    }
    ~KeeperOnItsThread() {
        thread.quit();
        thread.wait();
    }
};
} // namespace

class TestPositionKeeper : public QObject {
    Q_OBJECT
private slots:
    void fillsFromAnotherThreadArePublishedAndMarked() {
        ViewStore views(1);
        KeeperOnItsThread k(new PositionKeeper({market("A")}, views, 10));
        PositionKeeper* keeper = k.keeper;

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
    }

    // Issue 17 part 2: P&L per strategy beside per market, on the positions thread, fees included.
    // Two strategies and the trader trade one market against each other's prices: each owner's figures
    // are its own fills' (average cost, fees in quote), marked at the same mid; their nets add up to
    // the market's net; a market without fills of an owner has no row for it.
    void pnlPerStrategyBesideThePerMarket() {
        ViewStore views(2);
        KeeperOnItsThread k(new PositionKeeper({market("A"), market("B")}, views, 10, {"mm", "mirror"}));
        PositionKeeper* keeper = k.keeper;
        auto inbox = keeper->inbox();
        std::thread network([inbox] {
            // mm buys 1 at 100.00 (fee 0.1 USDT), mirror sells 0.5 at 103.00 (fee 0.0005 BTC),
            // the trader buys 0.2 at 101.00 (no fee), mm sells 0.4 at 104.00 (fee 0.2 USDT).
            inbox->push(0, OrderFilled{1, Side::Bid, Price(10000, 2), Quantity(10000, 4), dec("0.1"), "USDT"}, 0);
            inbox->push(0, OrderFilled{2, Side::Ask, Price(10300, 2), Quantity(5000, 4), dec("0.0005"), "BTC"}, 1);
            inbox->push(0, OrderFilled{999999, Side::Bid, Price(10100, 2), Quantity(2000, 4), Decimal(), ""},
                        kManualOwner);
            inbox->push(0, OrderFilled{3, Side::Ask, Price(10400, 2), Quantity(4000, 4), dec("0.2"), "USDT"}, 0);
        });
        network.join();
        auto view = std::make_shared<MarketView>();
        view->bids = {BookLevel{Price(10100, 2), Quantity(1, 0)}};
        view->asks = {BookLevel{Price(10300, 2), Quantity(1, 0)}};
        views.publish(0, view); // mid 102.00
        QTRY_VERIFY(keeper->published()->markets.at(0).fills == 4 && keeper->published()->markets[0].marked);
        const auto s = keeper->current();
        auto row = [&](const char* strategy) -> const StrategyMoney* {
            for (const auto& r : s->strategies)
                if (r.strategy == strategy)
                    return &r;
            return nullptr;
        };
        QCOMPARE(s->strategies.size(), 3u); // nothing on B
        const StrategyMoney* mm = row("mm");
        const StrategyMoney* mirror = row("mirror");
        const StrategyMoney* manual = row("manual");
        QVERIFY(mm && mirror && manual);
        QCOMPARE(mm->marketName, std::string("A"));
        QCOMPARE(mm->fills, std::uint64_t(2));
        QCOMPARE(mm->position, dec("0.6"));
        QCOMPARE(mm->realized, dec("1.6"));           // 0.4 * (104 - 100)
        QCOMPARE(mm->unrealized, dec("1.2"));         // 0.6 * (102 - 100)
        QCOMPARE(mm->feesInQuote, dec("0.3"));        // 0.1 + 0.2 USDT
        QCOMPARE(mm->net, dec("2.5"));                // 1.6 + 1.2 - 0.3
        QCOMPARE(mirror->position, dec("-0.5005"));   // short 0.5, and the 0.0005 BTC fee shorts it further
        QCOMPARE(mirror->feesInQuote, dec("0.0515")); // 0.0005 BTC at 103.00
        QCOMPARE(manual->unrealized, dec("0.2"));     // 0.2 * (102 - 101)
        QCOMPARE(mm->net + mirror->net + manual->net, s->markets[0].net);
        QCOMPARE(mm->feesInQuote + mirror->feesInQuote + manual->feesInQuote, s->markets[0].feesInQuote);
        QCOMPARE(mm->position + mirror->position + manual->position, s->markets[0].position);
        // What the Strategies panel and `--control list` show: this figure, fees included.
        QCOMPARE(QString::fromStdString(moneytext::strategyText(*s, "mm")), QString("+2.5 USDT (fees 0.3)"));
        QCOMPARE(QString::fromStdString(moneytext::strategyText(*s, "nobody")), QString("—"));
    }
};

QTEST_GUILESS_MAIN(TestPositionKeeper)
#include "tst_positionkeeper.moc"
