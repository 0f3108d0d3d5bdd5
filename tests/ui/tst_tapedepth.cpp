// The trades tape and the depth chart (issue 15 part 6): the tape model under QAbstractItemModelTester
// (public trades and our fills marked, newest first, bounded), the depth chart's cumulative sums, and
// both following the selected market in the window over a real engine with two simulated markets.
// With MD_SCREENSHOT_DIR set, it saves docs/screenshot-tape-depth.png.
#include "bookpanel.h"
#include "depthchart.h"
#include "desk.h"
#include "tapemodel.h"
#include "tapepanel.h"
#include "uiroles.h"

#include "logging/logging.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

using namespace md;

namespace {

TapeTrade trade(std::uint64_t sequence, const char* price, const char* qty, Side side, bool ours = false,
                ClientOrderId id = 0) {
    return TapeTrade{sequence,
                     1'700'000'000'000 + static_cast<std::int64_t>(sequence),
                     *Price::parse(price),
                     *Quantity::parse(qty),
                     side,
                     ours,
                     id};
}

} // namespace

class TestTapeDepth : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        logging::init({spdlog::level::warn, false, {}});
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void tapeShowsPublicTradesAndMarksOurFills() {
        TapeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        MarketView v;
        v.id = 1;
        v.name = "SIM-THIN";
        v.instrument.tick = *Price::parse("0.01");
        v.instrument.step = *Quantity::parse("0.0001");
        v.version = 1;
        v.tape = {trade(1, "100.00", "0.5", Side::Ask), trade(2, "100.01", "0.01", Side::Bid, true, 17)};
        model.setView(&v);
        QCOMPARE(model.rowCount(), 2);
        auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(text(0, TapeModel::Side), QString("SELL")); // a public trade: the aggressor sold
        QCOMPARE(text(0, TapeModel::Price), QString("100.00"));
        QCOMPARE(text(0, TapeModel::Quantity), QString("0.5000"));
        QCOMPARE(text(0, TapeModel::Ours), QString());
        QCOMPARE(text(1, TapeModel::Ours), QString("ours #17"));
        QVERIFY(model.index(1, TapeModel::Price).data(OwnOrderRole).toBool());
        QVERIFY(!model.index(0, TapeModel::Price).data(OwnOrderRole).toBool());
        QCOMPARE(model.index(1, TapeModel::Side).data(SideRole).toInt(), static_cast<int>(Side::Bid));
        // Newer trades arrive; the oldest leaves the bounded tape: rows are diffed, not reset.
        v.version = 2;
        v.tape = {trade(2, "100.01", "0.01", Side::Bid, true, 17), trade(3, "99.99", "1", Side::Ask)};
        model.setView(&v);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(1, TapeModel::Price), QString("99.99"));
        // Another market replaces every row.
        MarketView other = v;
        other.id = 0;
        other.tape = {trade(1, "5.00", "1", Side::Bid)};
        model.setView(&other);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(text(0, TapeModel::Price), QString("5.00"));
    }

    void tapePanelShowsTheNewestFirst() {
        TapePanel panel;
        auto v = std::make_shared<MarketView>();
        v->name = "A";
        v->version = 1;
        v->tape = {trade(1, "1.00", "1", Side::Bid), trade(2, "2.00", "1", Side::Ask),
                   trade(3, "3.00", "1", Side::Bid)};
        panel.setView(v);
        QCOMPARE(panel.view()->model()->index(0, TapeModel::Price).data().toString(), QString("3.00"));
        QCOMPARE(panel.view()->model()->index(2, TapeModel::Price).data().toString(), QString("1.00"));
    }

    void depthChartCumulatesEachSideFromTheTouch() {
        const std::vector<BookLevel> bids{{*Price::parse("99.99"), *Quantity::parse("0.1")},
                                          {*Price::parse("99.98"), *Quantity::parse("0.2")},
                                          {*Price::parse("99.90"), *Quantity::parse("1.5")}};
        const auto steps = DepthChart::cumulate(bids);
        QCOMPARE(steps.size(), std::size_t(3));
        QCOMPARE(steps[0].cumulative, 0.1);
        QCOMPARE(steps[1].cumulative, 0.3); // summed exactly, then shown
        QCOMPARE(steps[2].cumulative, 1.8);
        QCOMPARE(steps[2].price, 99.90);
        DepthChart chart;
        chart.resize(300, 200);
        auto v = std::make_shared<MarketView>();
        v->version = 1;
        v->bids = bids;
        v->asks = {{*Price::parse("100.01"), *Quantity::parse("0.4")}};
        chart.setView(v);
        QCOMPARE(chart.askSteps().size(), std::size_t(1));
        QVERIFY(!chart.grab().isNull());
        chart.setView(nullptr);
        QVERIFY(chart.bidSteps().empty());
    }

    void tapeAndDepthFollowTheSelectedMarket() {
        // The market maker quotes one tick from the touch on SIM-THIN, so it fills soon.
        QJsonObject maker = test::marketMaker();
        maker["half_spread_ticks"] = 1;
        maker["requote_ticks"] = 1;
        maker["max_position"] = "0.05";
        test::Desk desk(maker, 1.0, 2000, {{"taker_fee", "0.001"}, {"events_per_second", 300}});
        auto& window = desk.window;
        auto& engine = desk.engine;
        window->resize(1600, 940);
        window->resetLayout(); // the default arrangement for this size: ladder, tape beside it, depth under both
        TapeModel* tape = window->tapePanel()->model();
        DepthChart* depth = window->depthChart();
        // Market 0 is selected first: its public trades and book.
        QTRY_VERIFY_WITH_TIMEOUT(tape->rowCount() > 5, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!depth->bidSteps().empty() && !depth->askSteps().empty(), 5000);
        const auto liquidView = engine->marketView(0);
        QVERIFY(liquidView && !liquidView->tape.empty());
        QVERIFY(liquidView->tape.size() <= MarketView::kTape);
        // The market maker trades SIM-THIN: select it; the tape shows its fills marked as ours.
        window->bookPanel()->setMarket(1);
        emit window->bookPanel()->marketSelected(1);
        auto oursShown = [&] {
            for (int r = 0; r < tape->rowCount(); ++r)
                if (tape->index(r, TapeModel::Ours).data().toString().startsWith("ours #"))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(oursShown(), 20000);
        const auto thinView = engine->marketView(1);
        QVERIFY(thinView);
        QTRY_COMPARE(window->tapePanel()->findChild<QLabel*>("tapeTitle")->text().startsWith("SIM-THIN"), true);
        // The chart's deepest cumulative size is the sum of the view's levels (same market as the ladder).
        QTRY_VERIFY(depth->askSteps().size() == engine->marketView(1)->asks.size());
        for (auto* d : {"tapeDock", "depthDock"})
            QVERIFY2(window->findChild<QDockWidget*>(d)->isVisible(), d);

        if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR")) {
            QTest::qWait(1500);
            QVERIFY(window->grab().save(qEnvironmentVariable("MD_SCREENSHOT_DIR") + "/screenshot-tape-depth.png"));
        }
        engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(engine->shutdownReport().has_value(), 10000);
    }
};

QTEST_MAIN(TestTapeDepth)
#include "tst_tapedepth.moc"
