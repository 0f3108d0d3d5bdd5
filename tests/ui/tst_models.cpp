// Every item model of the window under QAbstractItemModelTester, fed the way the window feeds them.
#include "logmodel.h"
#include "marketsmodel.h"
#include "orderbookmodel.h"
#include "ordersmodel.h"
#include "reasoningmodel.h"
#include "uiroles.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace md;

namespace {

MarketHealth health(MarketId id, MarketState state, std::uint64_t events) {
    MarketHealth h;
    h.id = id;
    h.name = "M" + std::to_string(id);
    h.connector = "sim";
    h.symbol = "BTCUSDT";
    h.state = state;
    h.eventsTotal = events;
    h.eventsPerSecond = 1000;
    h.lastEventAgeSeconds = 0.05;
    return h;
}

std::shared_ptr<MarketView> view(int bidLevels, int askLevels) {
    auto v = std::make_shared<MarketView>();
    v->name = "M0";
    v->instrument.tick = Price(1, 2);
    v->instrument.step = Quantity(1, 4);
    for (int i = 0; i < bidLevels; ++i)
        v->bids.push_back({Price(10000 - i, 2), Quantity(100 + i, 4)});
    for (int i = 0; i < askLevels; ++i)
        v->asks.push_back({Price(10001 + i, 2), Quantity(100 + i, 4)});
    OrderView mine;
    mine.id = 7;
    mine.side = Side::Bid;
    mine.price = Price(9999, 2);
    mine.quantity = Quantity(5, 4);
    v->openOrders.push_back(mine);
    return v;
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void marketsModel() {
        MarketsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSnapshot({health(0, MarketState::Running, 10), health(1, MarketState::Failed, 0)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, MarketsModel::State).data().toString(), QString("RUNNING"));
        QCOMPARE(model.index(0, MarketsModel::On).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QCOMPARE(model.index(1, MarketsModel::On).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setSnapshot({health(0, MarketState::Running, 10), health(1, MarketState::Running, 5)});
        QCOMPARE(changed.count(), 1); // only the row that changed
        QSignalSpy toggles(&model, &MarketsModel::toggleRequested);
        QVERIFY(model.setData(model.index(1, MarketsModel::On), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(toggles.count(), 1);
        QCOMPARE(toggles.at(0).at(1).toBool(), false);
        model.setSnapshot({health(0, MarketState::Running, 10)}); // fewer markets: a reset
        QCOMPARE(model.rowCount(), 1);
    }

    void orderBookModel() {
        OrderBookModel model(5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setView(view(8, 3));
        QCOMPARE(model.rowCount(), 10);
        // Asks above (best ask just above the middle), bids below.
        QCOMPARE(model.index(model.bestAskRow(), OrderBookModel::Price).data().toString(), QString("100.01"));
        QCOMPARE(model.index(model.bestAskRow() + 1, OrderBookModel::Price).data().toString(), QString("100.00"));
        QVERIFY(!model.index(0, OrderBookModel::Price).data().isValid()); // only 3 asks
        QCOMPARE(model.index(model.bestAskRow() + 2, OrderBookModel::Mine).data(OwnOrderRole).toBool(), true);
        QCOMPARE(model.index(model.bestAskRow() + 2, OrderBookModel::Cumulative).data().toString(), QString("0.0201"));
        QVERIFY(model.index(9, OrderBookModel::Size).data(DepthFractionRole).toDouble() <= 1.0);
        model.setView(nullptr);
        QVERIFY(!model.index(5, OrderBookModel::Price).data().isValid());
    }

    void ordersAndFillsModels() {
        OrdersModel orders;
        FillsModel fills;
        QAbstractItemModelTester t1(&orders, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&fills, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto v = view(1, 1);
        orders.setOrders(v->openOrders, {"M0"});
        QCOMPARE(orders.rowCount(), 1);
        QCOMPARE(orders.index(0, OrdersModel::Side).data().toString(), QString("BUY"));
        QCOMPARE(orders.index(0, OrdersModel::Price).data().toString(), QString("99.99"));
        orders.setOrders({}, {"M0"});
        QCOMPARE(orders.rowCount(), 0);
        fills.setFills({FillView{0, 7, Side::Ask, Price(10001, 2), Quantity(5, 4), 1000}}, {"M0"});
        QCOMPARE(fills.rowCount(), 1);
        QCOMPARE(fills.index(0, FillsModel::Side).data().toString(), QString("SELL"));
    }

    void logModelStaysBoundedAndFilters() {
        LogModel model(100);
        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester t1(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<LogRecord> records;
        for (int i = 0; i < 150; ++i)
            records.push_back(LogRecord{std::uint64_t(i + 1), 0, i % 3 == 0 ? spdlog::level::warn : spdlog::level::info,
                                        i % 2 ? "market.A" : "engine", "message " + std::to_string(i)});
        model.append(records);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.dropped(), 50u);
        proxy.setMinimumLevel(spdlog::level::warn);
        QVERIFY(proxy.rowCount() > 0 && proxy.rowCount() < 100);
        proxy.setMinimumLevel(0);
        proxy.setMarket("A");
        QCOMPARE(proxy.rowCount(), 50);
        proxy.setText("message 149");
        QCOMPARE(proxy.rowCount(), 1);
    }

    void reasoningModel() {
        ReasoningModel model(3);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({{1, 0, 0, "A", "one"}, {2, 0, 0, "A", "two"}});
        model.append({{3, 0, 0, "B", "three"}, {4, 0, 0, "B", "four"}});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.lastSequence(), 4u);
        QCOMPARE(model.index(2, ReasoningModel::Reasoning).data().toString(), QString("four"));
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
