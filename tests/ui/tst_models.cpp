// Every item model of the window under QAbstractItemModelTester, fed the way the window feeds them.
#include "alertsmodel.h"
#include "bookpanel.h"
#include "celltextcache.h"
#include "closeoutview.h"
#include "columnfitter.h"
#include "deskstatus.h"
#include "docklayout.h"
#include "logmodel.h"
#include "marketsmodel.h"
#include "numberformat.h"
#include "orderbookmodel.h"
#include "ordersmodel.h"
#include "reasoningmodel.h"
#include "segmentedlabel.h"
#include "tableview.h"
#include "theme.h"
#include "uiroles.h"

#include "alerts/alertbook.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDateTime>
#include <QLabel>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTest>

#include <algorithm>
#include <ctime>
#include <random>
#include <set>

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
        QCOMPARE(model.index(0, MarketsModel::State).data(StateRole).toInt(), int(MarketState::Running));
        QVERIFY(model.index(0, MarketsModel::On).data(ToggleRole).toBool());
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

    void latencyQuantilesFromTheHistogram() {
        LatencyHistogram h;
        QCOMPARE(MarketsModel::latencyQuantileUs(h, 0.5), -1.0);
        h.counts[1] = 60; // <= 10 us
        h.counts[3] = 39; // <= 30 us
        h.counts[7] = 1;  // <= 500 us
        QCOMPARE(MarketsModel::latencyQuantileUs(h, 0.5), 10.0);
        QCOMPARE(MarketsModel::latencyQuantileUs(h, 0.99), 30.0);
        QCOMPARE(MarketsModel::latencyQuantileUs(h, 1.0), 500.0);
        MarketsModel model;
        MarketHealth m = health(0, MarketState::Running, 10);
        m.tickToAction = h;
        model.setSnapshot({m});
        QCOMPARE(model.index(0, MarketsModel::Latency).data().toString(), QString("≤10 µs / ≤30 µs"));
    }

    void failedMarketShowsItsReason() {
        MarketsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        MarketHealth failed = health(0, MarketState::Failed, 3);
        failed.stateReason = "producer threw: feed exploded";
        model.setSnapshot({failed});
        QVERIFY(model.index(0, MarketsModel::Detail).data().toString().contains("feed exploded"));
        QCOMPARE(model.index(0, MarketsModel::Detail).data(ToneRole).toInt(), int(Tone::Bad));
        QVERIFY(model.index(0, MarketsModel::State).data(Qt::ToolTipRole).toString().contains("feed exploded"));
        // Off, so its switch turns it back on (a restart).
        QCOMPARE(model.index(0, MarketsModel::On).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
        QSignalSpy toggles(&model, &MarketsModel::toggleRequested);
        QVERIFY(model.setData(model.index(0, MarketsModel::On), Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(toggles.at(0).at(1).toBool(), true);
    }

    void ordersDiffKeepsRowsAndSelection() {
        OrdersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto order = [](ClientOrderId id, OrderStatus status) {
            OrderView o;
            o.id = id;
            o.price = Price(10000 + static_cast<int>(id), 2);
            o.quantity = Quantity(100, 4);
            o.status = status;
            return o;
        };
        const std::vector<MarketLabel> labels{{"M0", 2, 4}};
        model.setOrders({order(1, OrderStatus::Open), order(2, OrderStatus::Open), order(3, OrderStatus::Open)},
                        labels);
        QPersistentModelIndex third = model.index(2, OrdersModel::Status);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // #2 goes away, #3 fills, #4 arrives.
        model.setOrders({order(1, OrderStatus::Open), order(3, OrderStatus::Filled), order(4, OrderStatus::Pending)},
                        labels);
        QCOMPARE(resets.count(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(changed.count(), 1);
        QVERIFY(third.isValid());
        QCOMPARE(third.row(), 1);
        QCOMPARE(third.data().toString(), QString("filled"));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2, OrdersModel::Id).data().toString(), QString("M0 #4")); // ids name their market
        QCOMPARE(model.index(1, OrdersModel::Id).data(OpenRole).toBool(), false);
    }

    void ordersDiffRandomized() {
        OrdersModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::mt19937 random(42);
        const std::vector<MarketLabel> labels{{"M0", 2, 4}, {"M1", 1, 3}};
        for (int round = 0; round < 300; ++round) {
            std::vector<OrderView> orders;
            std::set<std::pair<MarketId, ClientOrderId>> keys;
            const int n = static_cast<int>(random() % 40);
            for (int i = 0; i < n; ++i) {
                OrderView o;
                o.market = static_cast<MarketId>(random() % 2);
                o.id = random() % 60;
                o.status = static_cast<OrderStatus>(random() % 6);
                o.price = Price(100000 + static_cast<int>(o.id), 2);
                if (keys.insert({o.market, o.id}).second)
                    orders.push_back(o);
            }
            model.setOrders(orders, labels);
            QCOMPARE(model.rowCount(), static_cast<int>(orders.size()));
            std::set<std::pair<MarketId, ClientOrderId>> shown;
            for (int r = 0; r < model.rowCount(); ++r) {
                const OrderView* o = model.order(r);
                shown.insert({o->market, o->id});
                const auto it = std::find_if(orders.begin(), orders.end(), [o](const OrderView& x) {
                    return x.market == o->market && x.id == o->id;
                });
                QVERIFY(it != orders.end());
                QCOMPARE(int(it->status), int(o->status));
            }
            QCOMPARE(shown, keys);
        }
    }

    void numbersUseTheInstrumentsDecimals() {
        OrderBookModel model(3);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto v = std::make_shared<MarketView>();
        v->instrument.tick = Price(1, 1);                         // 0.1
        v->instrument.step = Quantity(1, 3);                      // 0.001
        v->bids.push_back({Price(642500, 1), Quantity(1500, 4)}); // 64250.0, 0.1500
        v->asks.push_back({Price(6425010, 2), Quantity(2, 0)});   // 64250.10, 2
        model.setView(v);
        QCOMPARE(model.index(model.bestAskRow(), OrderBookModel::Price).data().toString(), QString("64250.1"));
        QCOMPARE(model.index(model.bestAskRow(), OrderBookModel::Size).data().toString(), QString("2.000"));
        QCOMPARE(model.index(model.bestAskRow() + 1, OrderBookModel::Size).data().toString(), QString("0.150"));
        QCOMPARE(model.index(model.bestAskRow() + 1, OrderBookModel::Price).data(Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
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
        QCOMPARE(model.index(model.bestAskRow() + 2, OrderBookModel::Mine).data().toString(), QString("0.0005"));
        QVERIFY(!model.index(model.bestAskRow() + 1, OrderBookModel::Mine).data(OwnOrderRole).toBool());
        QVERIFY(model.index(model.bestAskRow(), OrderBookModel::Price).data(SpreadEdgeRole).toBool());
        QCOMPARE(model.index(model.bestAskRow(), OrderBookModel::Price).data(SideRole).toInt(), int(Side::Ask));
        QCOMPARE(model.index(model.bestAskRow() + 1, OrderBookModel::Price).data(SideRole).toInt(), int(Side::Bid));
        // The deepest bid shown carries the longest bar.
        QCOMPARE(model.index(9, OrderBookModel::Cumulative).data(DepthFractionRole).toDouble(), 1.0);
        QCOMPARE(model.index(model.bestAskRow() + 2, OrderBookModel::Cumulative).data().toString(), QString("0.0201"));

        model.setView(nullptr);
        QVERIFY(!model.index(5, OrderBookModel::Price).data().isValid());
    }

    void ordersAndFillsModels() {
        OrdersModel orders;
        FillsModel fills;
        QAbstractItemModelTester t1(&orders, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&fills, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto v = view(1, 1);
        const std::vector<MarketLabel> labels{MarketLabel::of("M0", v->instrument)};
        orders.setOrders(v->openOrders, labels);
        QCOMPARE(orders.rowCount(), 1);
        QCOMPARE(orders.index(0, OrdersModel::Side).data().toString(), QString("BUY"));
        QCOMPARE(orders.index(0, OrdersModel::Price).data().toString(), QString("99.99"));
        QCOMPARE(orders.index(0, OrdersModel::Quantity).data().toString(), QString("0.0005"));
        QCOMPARE(orders.index(0, OrdersModel::Id).data(OpenRole).toBool(), true);
        orders.setOrders({}, labels);
        QCOMPARE(orders.rowCount(), 0);
        fills.setFills({FillView{0, 7, Side::Ask, Price(10001, 2), Quantity(5, 4), 1000}}, labels);
        QCOMPARE(fills.rowCount(), 1);
        QCOMPARE(fills.index(0, FillsModel::Side).data().toString(), QString("SELL"));
        // The same fill again plus a new one: one row inserted, nothing reset.
        QSignalSpy resets(&fills, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&fills, &QAbstractItemModel::rowsInserted);
        fills.setFills({FillView{0, 7, Side::Ask, Price(10001, 2), Quantity(5, 4), 1000},
                        FillView{0, 7, Side::Ask, Price(10001, 2), Quantity(5, 4), 1000},
                        FillView{0, 8, Side::Bid, Price(10000, 2), Quantity(1, 4), 1200}},
                       labels);
        QCOMPARE(fills.rowCount(), 3); // a repeated fill (same id, time, price, size) is still its own row
        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserted.count(), 1);
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

    void alertsModel() {
        AlertBook book(0);
        AlertsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        book.update({{AlertKind::MarketKilled, "SIM-THIN", AlertSeverity::Critical, "SIM-THIN was killed", "check"}},
                    1'700'000'000'000);
        model.setAlerts(book);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, AlertsModel::Severity).data().toString(), QString("CRITICAL"));
        QCOMPARE(model.index(0, AlertsModel::What).data().toString(), QString("Market killed: SIM-THIN was killed"));
        QCOMPARE(model.index(0, AlertsModel::Todo).data().toString(), QString("check"));
        QCOMPARE(model.index(0, AlertsModel::ColumnCount - 1).data().toString(), QString("active"));
        QCOMPARE(model.index(0, AlertsModel::Severity).data(ToneRole).toInt(), int(Tone::Bad));
        QVERIFY(model.index(0, AlertsModel::Time).data(ExportRole).toString().contains("2023-11-14"));
        // Acknowledged, muted, cleared: the same row, updated in place.
        QPersistentModelIndex row(model.index(0, 0));
        book.acknowledgeAll();
        book.setMuted(AlertKind::MarketKilled, true);
        book.update({}, 1'700'000'012'000);
        model.setAlerts(book);
        QVERIFY(row.isValid());
        QCOMPARE(model.index(0, AlertsModel::State).data().toString(),
                 QString("cleared after 12 s · acknowledged · muted"));
        QCOMPARE(model.index(0, AlertsModel::Severity).data(ToneRole).toInt(), int(Tone::Muted));
    }

    void columnsShrinkByPriorityAndNeverBelowTheirMinimum() {
        const std::vector<int> preferred{100, 200, 100}, minimum{80, 60, 40};
        QCOMPARE(ColumnFitter::widthsFor(500, preferred, minimum, {1, 1, 1}), preferred);
        // 100 px too many: the column that gives readily gives first.
        auto w = ColumnFitter::widthsFor(300, preferred, minimum, {0, 1, 1});
        QCOMPARE(w[0], 100);
        QCOMPARE(w[0] + w[1] + w[2], 300);
        QVERIFY(w[1] >= 60 && w[2] >= 40);
        // Far too narrow: every column at its minimum (a scroll bar, not squashed titles).
        QCOMPARE(ColumnFitter::widthsFor(50, preferred, minimum, {0, 1, 1}), minimum);
    }

    void deskStatusCountsWhatIsNotTrading() {
        std::vector<MarketHealth> markets{health(0, MarketState::Running, 1), health(1, MarketState::Running, 1),
                                          health(2, MarketState::Killed, 1), health(3, MarketState::Stopped, 1)};
        QCOMPARE(DeskStatus::of(markets, false, false).text, QString("TRADING · 1 market down"));
        markets[1].tradingState = "halted";
        markets[3].tradingState = "halted"; // not running: nothing to halt
        const DeskStatus s = DeskStatus::of(markets, false, false);
        QCOMPARE(s.text, QString("TRADING · 1 market halted · 1 market down"));
        QCOMPARE(int(s.tone), int(Tone::Warning));
        QCOMPARE(s.marketsUp, 2);
        markets[2].state = MarketState::Running;
        markets[0].tradingState = "reduce-only";
        QCOMPARE(DeskStatus::of(markets, false, false).text, QString("TRADING · 1 market halted · 1 reduce-only"));
        QCOMPARE(DeskStatus::of(markets, true, false).text, QString("HALTED"));
        QCOMPARE(int(DeskStatus::of(markets, true, false).tone), int(Tone::Bad));
        QCOMPARE(DeskStatus::of(markets, true, true).text, QString("SHUTTING DOWN"));
        markets = {health(0, MarketState::Running, 1)};
        QCOMPARE(DeskStatus::of(markets, false, false).text, QString("TRADING"));
        QCOMPARE(int(DeskStatus::of(markets, false, false).tone), int(Tone::Good));
    }

    void floatingDocksAreKeptOnScreen() {
        const QRect screen(0, 0, 1920, 1080);
        QCOMPARE(DockLayout::keptOnScreen(QRect(100, 100, 400, 300), screen), QRect(100, 100, 400, 300));
        // On a monitor that is gone: back on this one, whole.
        QCOMPARE(DockLayout::keptOnScreen(QRect(-5000, -5000, 400, 300), screen), QRect(0, 0, 400, 300));
        QCOMPARE(DockLayout::keptOnScreen(QRect(3000, 200, 400, 300), screen), QRect(1520, 200, 400, 300));
        // Its title bar above the screen's top: moved down, so it can be grabbed.
        QCOMPARE(DockLayout::keptOnScreen(QRect(100, -50, 400, 300), screen), QRect(100, 0, 400, 300));
        // Bigger than the screen: shrunk to it.
        QCOMPARE(DockLayout::keptOnScreen(QRect(-10, -10, 3000, 2000), screen), screen);
    }

    void closeOutSaysUnknownWhenNobodyCounted() {
        // A market cut short (its runner never finished, or the watchdog ended the process): nobody
        // counted its open orders (issue 11: nullopt) — the view says "unknown", never 0, with what the
        // desk last saw beside it, and shows the actions of unknown outcome in their own column.
        ShutdownReport report;
        report.seconds = 3.02;
        MarketShutdownReport clean;
        clean.name = "SIM-LIQUID";
        clean.actionsExecuted = 40;
        clean.ordersLeftOpen = 0;
        MarketShutdownReport cut;
        cut.id = 1;
        cut.name = "SIM-THIN";
        cut.clean = false;
        cut.detail = "did not finish stopping in time";
        cut.actionsExecuted = 12;
        cut.actionsNotExecuted = 3;
        cut.actionsOutcomeUnknown = 1;
        cut.ordersLeft = {OrderView{1,
                                    9,
                                    Side::Ask,
                                    *Price::parse("64250.30"),
                                    *Quantity::parse("0.0500"),
                                    *Quantity::parse("0"),
                                    OrderStatus::Open,
                                    {},
                                    0,
                                    0}};
        MarketShutdownReport none = cut;
        none.id = 2;
        none.name = "SIM-STALL";
        none.ordersLeft.clear();
        report.markets = {clean, cut, none};
        QVERIFY(report.needsAttention());
        CloseOutView view;
        view.resize(860, 400);
        view.setReport(report);
        QTableWidget* t = view.marketsTable();
        QCOMPARE(t->horizontalHeaderItem(4)->text(), QString("Outcome unknown"));
        QCOMPARE(t->item(0, 5)->text(), QString("0"));
        QCOMPARE(t->item(1, 4)->text(), QString("1"));
        QCOMPARE(t->item(1, 5)->text(), QString("unknown (last seen: 1)"));
        QCOMPARE(t->item(2, 5)->text(), QString("unknown"));
        QCOMPARE(view.ordersTable()->rowCount(), 1);
        if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR"))
            QVERIFY(view.grab().save(qEnvironmentVariable("MD_SCREENSHOT_DIR") + "/closeout-unknown.png"));
    }

    // Table text is laid out once and kept: elided to the cell as the style would, bounded.
    void cellTextIsElidedToItsCellAndKeptBounded() {
        CellTextCache cache(64);
        const QFont font = QApplication::font();
        const QFontMetrics metrics(font);
        const QString longText = "[SIM-LIQUID → SIM-THIN] copy source ask level 0 (64250.11): place #417 ask 0.05";
        const QStaticText& right = cache.text(longText, font, 120, Qt::ElideRight);
        QVERIFY2(right.text().endsWith(QChar(0x2026)), qPrintable(right.text()));
        QVERIFY(metrics.horizontalAdvance(right.text()) <= 120);
        QCOMPARE(right.text(), metrics.elidedText(longText, Qt::ElideRight, 120));
        const QStaticText& middle = cache.text(longText, font, 120, Qt::ElideMiddle);
        QVERIFY(middle.text().startsWith("[SIM") && middle.text().endsWith("0.05"));
        QCOMPARE(cache.text("64250.10", font, 120, Qt::ElideRight).text(), QString("64250.10")); // fits: as is
        QCOMPARE(&cache.text(longText, font, 120, Qt::ElideRight), &right); // kept, not laid out again
        QFont bold = font;
        bold.setBold(true);
        QVERIFY(&cache.text(longText, bold, 120, Qt::ElideRight) != &right); // another font is another text
        for (int i = 0; i < 1000; ++i)
            cache.text(QString::number(i), font, 80, Qt::ElideRight);
        QCOMPARE(cache.size(), cache.capacity());
    }

    // The book's top line (bid / ask, spread): coloured segments painted without rich text. A new quote of
    // the same width asks no layout of anyone; too narrow, the bid and ask stay whole and the rest goes
    // (whole in the tooltip).
    void segmentedLabelShowsBidAndAskFirstAndAsksNoLayoutPerQuote() {
        QWidget parent;
        parent.resize(400, 40);
        auto* label = new md::SegmentedLabel(&parent);
        label->setGeometry(0, 0, 400, 30);
        const QColor bid(0, 200, 0), ask(220, 0, 0);
        auto quote = [&](int cents) {
            const QString b = QString("64250.%1").arg(cents, 2, 10, QLatin1Char('0'));
            const QString a = QString("64250.%1").arg(cents + 10, 2, 10, QLatin1Char('0'));
            label->setSegments({{b, bid}, {" / ", {}}, {a, ask}, {"   spread ", Qt::gray}, {"0.10", {}}});
        };
        quote(10);
        parent.show();
        QVERIFY(QTest::qWaitForWindowExposed(&parent));
        QCOMPARE(label->text(), QString("64250.10 / 64250.20   spread 0.10"));
        QCOMPARE(label->shownSegments(), 5);
        QVERIFY(label->toolTip().isEmpty());
        const QImage image = label->grab().toImage();
        bool sawBid = false, sawAsk = false;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                sawBid = sawBid || image.pixelColor(x, y) == bid;
                sawAsk = sawAsk || image.pixelColor(x, y) == ask;
            }
        QVERIFY(sawBid && sawAsk);

        struct LayoutRequests : QObject {
            int count = 0;
            bool eventFilter(QObject*, QEvent* e) override {
                count += e->type() == QEvent::LayoutRequest;
                return false;
            }
        } requests;
        parent.installEventFilter(&requests);
        for (int cents = 11; cents < 60; ++cents) {
            quote(cents);
            QCoreApplication::processEvents();
        }
        QCOMPARE(requests.count, 0);

        const QFontMetrics metrics(label->font());
        label->resize(metrics.horizontalAdvance("64250.59 / 64250.69") + 4, 30);
        quote(59);
        QCOMPARE(label->shownSegments(), 3);
        QCOMPARE(label->toolTip(), QString("64250.59 / 64250.69   spread 0.10"));
    }

    void clockTextIsLocalTimeAcrossDaylightSavingAndOddOffsets() {
        // clockText() keeps the UTC offset per quarter of an hour: it must say what QDateTime says, to the
        // millisecond, in zones with DST, with 30- and 45-minute offsets, and at each side of a change.
        const QByteArray savedTz = qgetenv("TZ");
        std::mt19937_64 random(20261202);
        const std::int64_t from = 1767225600000; // 2026-01-01T00:00:00Z
        const std::int64_t year = 365LL * 24 * 3600 * 1000;
        for (const char* zone :
             {"Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "UTC"}) {
            qputenv("TZ", zone);
            tzset();
            forgetClockOffsets();
            std::vector<std::int64_t> times;
            for (int i = 0; i < 3000; ++i)
                times.push_back(from + static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(year)));
            // Around each change of offset in the year, found by QDateTime itself: every 250 ms for 3 s.
            int changes = 0;
            for (std::int64_t t = from; t < from + year; t += 15 * 60 * 1000) {
                const auto before = QDateTime::fromMSecsSinceEpoch(t).offsetFromUtc();
                const auto after = QDateTime::fromMSecsSinceEpoch(t + 15 * 60 * 1000).offsetFromUtc();
                if (before == after)
                    continue;
                ++changes;
                for (std::int64_t d = -3000; d <= 3000; d += 250)
                    times.push_back(t + 15 * 60 * 1000 + d);
            }
            if (std::string(zone) != "UTC" && std::string(zone) != "Asia/Kathmandu")
                QVERIFY2(changes == 2, zone);      // the zone data is there: two DST changes in 2026
            std::sort(times.begin(), times.end()); // in order, as a live table asks, then shuffled
            std::vector<std::int64_t> shuffled = times;
            std::shuffle(shuffled.begin(), shuffled.end(), random);
            times.insert(times.end(), shuffled.begin(), shuffled.end());
            for (const std::int64_t t : times)
                QCOMPARE(clockText(t), QDateTime::fromMSecsSinceEpoch(t).toString("HH:mm:ss.zzz"));
        }
        if (savedTz.isNull())
            qunsetenv("TZ");
        else
            qputenv("TZ", savedTz);
        tzset();
        forgetClockOffsets();
    }

    // View → Theme while a market is not quoting: the book's top line takes the new theme's bid and ask
    // colours at once, not at the market's next quote (which a stopped market never sends).
    void bookTopLineTakesTheNewThemeWithoutANewQuote() {
        applyTheme(*qApp, ThemeChoice::Dark);
        BookPanel panel({"M0"}, 10);
        panel.setView(view(5, 5));
        const auto* top = panel.findChild<SegmentedLabel*>("bookTop");
        QVERIFY(top);
        QCOMPARE(top->segments().at(0).colour, themeColors().bid);
        const QColor darkBid = themeColors().bid;
        applyTheme(*qApp, ThemeChoice::Light);
        QVERIFY(themeColors().bid != darkBid);
        QCOMPARE(top->segments().at(0).colour, themeColors().bid);
        QCOMPARE(top->segments().at(2).colour, themeColors().ask);
        applyTheme(*qApp, ThemeChoice::Dark);
        QCOMPARE(top->segments().at(0).colour, darkBid);
    }

    // Last: it sets the application's theme. The delegate paints a plain-text cell's background itself
    // (no style call per cell): the selected row in the theme's highlight, the others not, the text
    // inside the item's padding (the style sheet's 6 px) — after a theme switch as well.
    void tableCellsPaintSelectionAndTextInEitherTheme() {
        for (const ThemeChoice theme : {ThemeChoice::Dark, ThemeChoice::Light}) {
            applyTheme(*qApp, theme);
            QStandardItemModel model(3, 2);
            for (int row = 0; row < 3; ++row)
                for (int column = 0; column < 2; ++column)
                    model.setItem(row, column, new QStandardItem("W"));
            QWidget host;
            host.resize(300, 120);
            QTableView* view = makeTable(&model, &host, "probe", false);
            view->resize(300, 120);
            host.show();
            QVERIFY(QTest::qWaitForWindowExposed(&host));
            view->selectRow(1);
            const QImage image = view->viewport()->grab().toImage();
            const QColor highlight = view->palette().color(QPalette::Highlight);
            const QRect selected = view->visualRect(model.index(1, 0));
            const QRect other = view->visualRect(model.index(0, 0));
            const int y = selected.center().y();
            QCOMPARE(image.pixelColor(selected.right() - 2, y), highlight);
            QVERIFY(image.pixelColor(other.right() - 2, other.center().y()) != highlight);
            int firstInk = -1;
            for (int x = selected.left(); x <= selected.right() && firstInk < 0; ++x)
                for (int dy = -4; dy <= 4; ++dy)
                    if (image.pixelColor(x, y + dy) != highlight) {
                        firstInk = x;
                        break;
                    }
            QVERIFY2(firstInk >= selected.left() + 6 && firstInk < selected.left() + 20,
                     qPrintable(QString("text starts %1 px into the cell").arg(firstInk - selected.left())));
        }
    }
};

QTEST_MAIN(TestModels)
#include "tst_models.moc"
