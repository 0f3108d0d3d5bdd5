// The window over a real engine and two simulated markets, offscreen: toggles, halt, log filter,
// the orderly shutdown on close, layout persistence. With MD_SCREENSHOT_DIR set, it also saves
// screenshots of the running window (docs/screenshot.png is made this way).
#include "logmodel.h"
#include "logpanel.h"
#include "mainwindow.h"
#include "marketsmodel.h"
#include "shutdowndialog.h"
#include "theme.h"

#include "engine/engine.h"
#include "logging/logging.h"
#include "sim/simconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QTest>

using namespace md;

namespace {

QString st(MarketState s) {
    return QString::fromLatin1(nameOf(s).data(), static_cast<int>(nameOf(s).size()));
}

MarketSpec simSpec(MarketId id, const char* name, const char* tick, QJsonObject settings) {
    MarketSpec spec;
    spec.id = id;
    spec.name = name;
    spec.connector = "sim";
    spec.instrument.symbol = "BTCUSDT";
    spec.instrument.base = "BTC";
    spec.instrument.quote = "USDT";
    spec.instrument.tick = *Price::parse(tick);
    spec.instrument.step = *Quantity::parse("0.0001");
    spec.settings = std::move(settings);
    return spec;
}

struct Desk {
    SimConnectorFactory sim;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<MainWindow> window;

    explicit Desk(const QJsonObject& strategy, double grace = 1.0, int liquidRate = 3000) {
        std::vector<MarketSpec> specs{
            simSpec(0, "SIM-LIQUID", "0.01",
                    {{"seed", 7}, {"mid", "64250.00"}, {"events_per_second", liquidRate}, {"latency_ms", 3}}),
            simSpec(1, "SIM-THIN", "0.10",
                    {{"seed", 11}, {"mid", "64250.00"}, {"events_per_second", 200}, {"latency_ms", 5}})};
        const StrategyFactory* sf = findStrategyFactory(strategy.value("kind").toString().toStdString());
        EngineSettings settings;
        settings.graceSeconds = grace;
        settings.strategyTimeoutSeconds = 0.3;
        settings.risk.maxOrdersPerSecond = 100;
        settings.risk.orderBurst = 100;
        engine =
            std::make_unique<Engine>(settings, std::vector<MarketSetup>{{specs[0], &sim, true}, {specs[1], &sim, true}},
                                     sf->create(strategy, specs));
        window = std::make_unique<MainWindow>(*engine);
        window->setReportHoldMs(0);
        window->show();
        engine->start();
    }
    ~Desk() {
        window.reset();
        engine.reset();
    }
    MarketHealth health(MarketId m) const { return engine->health().at(m); }
};

QJsonObject mirror() {
    return {{"kind", "mirror"},
            {"source", "SIM-LIQUID"},
            {"destination", "SIM-THIN"},
            {"max_exposure", "0.5"},
            {"order_quantity", "0.05"}};
}
QJsonObject marketMaker() {
    return {{"kind", "market_maker"},
            {"market", "SIM-THIN"},
            {"half_spread_ticks", 8},
            {"order_quantity", "0.01"},
            {"max_position", "1"}};
}

// Clicks the check indicator of a checkable cell, as a user does.
void clickCheck(QTableView* view, const QModelIndex& index) {
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.rect = view->visualRect(index);
    option.features |= QStyleOptionViewItem::HasCheckIndicator;
    const QRect check = view->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, view);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, check.center());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("MarketDeskTests");
        QCoreApplication::setApplicationName("MarketDesk");
        QSettings().clear();
        logging::init({spdlog::level::info, false, {}});
        applyTheme(*qApp, ThemeChoice::Dark);
    }

    void toggleStopsAndRestartsOneMarketWhileTheOtherTrades() {
        Desk desk(mirror());
        QTRY_VERIFY_WITH_TIMEOUT(desk.health(1).eventsTotal > 5, 5000);
        desk.window->refresh();
        QTableView* view = desk.window->marketsView();
        clickCheck(view, desk.window->marketsModel()->index(1, MarketsModel::On));
        QTRY_COMPARE_WITH_TIMEOUT(st(desk.health(1).state), st(MarketState::Stopped), 5000);
        const auto liquid = desk.health(0).eventsTotal;
        QTRY_VERIFY_WITH_TIMEOUT(desk.health(0).eventsTotal > liquid + 300, 5000);
        QCOMPARE(st(desk.health(0).state), st(MarketState::Running));
        desk.window->refresh();
        QCOMPARE(desk.window->marketsModel()->index(1, MarketsModel::On).data(Qt::CheckStateRole).toInt(),
                 int(Qt::Unchecked));
        clickCheck(view, desk.window->marketsModel()->index(1, MarketsModel::On));
        QTRY_COMPARE_WITH_TIMEOUT(st(desk.health(1).state), st(MarketState::Running), 5000);
    }

    void haltStopsPlacementsAndCancelsOpenOrders() {
        Desk desk(marketMaker());
        QTRY_VERIFY_WITH_TIMEOUT(desk.health(1).openOrders >= 1, 8000);
        QTest::mouseClick(desk.window->haltButton(), Qt::LeftButton);
        QVERIFY(desk.engine->isHalted());
        QTRY_COMPARE_WITH_TIMEOUT(desk.health(1).openOrders, 0u, 5000);
        QVERIFY(desk.window->haltedBanner()->isVisible());
        QCOMPARE(desk.window->haltButton()->text(), QString("RESUME TRADING"));
        QVERIFY(desk.window->windowTitle().contains("HALTED"));
        // While halted the strategy keeps asking, and every placement is refused before its queue.
        const auto rejectedBefore = desk.health(1).actionsRejected;
        QTRY_VERIFY_WITH_TIMEOUT(desk.health(1).actionsRejected > rejectedBefore, 5000);
        QCOMPARE(desk.health(1).openOrders, 0u);
        QTest::mouseClick(desk.window->haltButton(), Qt::LeftButton);
        QVERIFY(!desk.engine->isHalted());
        QTRY_VERIFY_WITH_TIMEOUT(desk.health(1).openOrders >= 1, 5000);
        QVERIFY(!desk.window->haltedBanner()->isVisible());
    }

    void logFilterWorks() {
        Desk desk(mirror());
        QTRY_VERIFY_WITH_TIMEOUT(desk.window->logPanel()->model()->rowCount() > 5, 8000);
        LogPanel* log = desk.window->logPanel();
        log->marketBox()->setCurrentIndex(log->marketBox()->findText("SIM-THIN"));
        QTest::keyClicks(log->textBox(), "place");
        QTRY_VERIFY_WITH_TIMEOUT(log->proxy()->rowCount() > 0, 8000);
        for (int r = 0; r < log->proxy()->rowCount(); ++r) {
            const QString text = log->proxy()->index(r, LogModel::Message).data().toString();
            const QString source = log->proxy()->index(r, LogModel::Source).data().toString();
            QVERIFY2(text.contains("place", Qt::CaseInsensitive), qPrintable(text));
            QVERIFY2(source == "market.SIM-THIN" || text.contains("[SIM-THIN]"), qPrintable(source + " " + text));
        }
        log->levelBox()->setCurrentIndex(spdlog::level::critical);
        QCOMPARE(log->proxy()->rowCount(), 0);
        // Paused: nothing new is shown; resumed: what waited in the buffer arrives.
        log->levelBox()->setCurrentIndex(spdlog::level::trace);
        log->textBox()->clear();
        log->marketBox()->setCurrentIndex(0);
        log->pauseBox()->setChecked(true);
        const int shown = log->model()->rowCount();
        logging::get("ui")->info("written while paused");
        desk.window->refresh();
        QCOMPARE(log->model()->rowCount(), shown);
        log->pauseBox()->setChecked(false);
        desk.window->refresh();
        QVERIFY(log->model()->rowCount() > shown);
    }

    void closingRunsTheOrderlyShutdownWithinTheGrace() {
        Desk desk(marketMaker(), 1.0);
        QTRY_VERIFY_WITH_TIMEOUT(desk.health(1).openOrders >= 1, 8000);
        QSignalSpy complete(desk.window.get(), &MainWindow::shutdownComplete);
        QElapsedTimer timer;
        timer.start();
        desk.window->close();
        QVERIFY(desk.window->isVisible()); // the window stays while shutting down
        QVERIFY(desk.window->shutdownDialog() && desk.window->shutdownDialog()->isVisible());
        desk.window->close(); // a second close does not start a second shutdown
        QVERIFY(complete.wait(3000));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(complete.count(), 1);
        const auto report = complete.at(0).at(0).value<ShutdownReport>();
        QVERIFY(report.allClean());
        QCOMPARE(report.markets.at(1).ordersLeftOpen, 0u); // the shutdown cancelled them
    }

    void layoutIsRestoredOnTheNextStart() {
        {
            Desk desk(mirror());
            desk.window->resize(1234, 777);
            desk.window->findChild<QDockWidget*>("logDock")->hide();
            desk.window->saveLayout();
        }
        Desk desk(mirror());
        QCOMPARE(desk.window->size(), QSize(1234, 777));
        QVERIFY(desk.window->findChild<QDockWidget*>("logDock")->isHidden());
        QSettings().clear();
    }

    void screenshots() {
        const QString dir = qEnvironmentVariable("MD_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set MD_SCREENSHOT_DIR to write screenshots");
        for (const char* theme : {"dark", "light"}) {
            applyTheme(*qApp, themeChoiceFromString(theme));
            Desk desk(mirror());
            desk.window->resize(1600, 940);
            QTest::qWait(8000);
            desk.window->refresh();
            const QString file = dir + (QString(theme) == "dark" ? "/screenshot.png" : "/screenshot-light.png");
            QVERIFY(desk.window->grab().save(file));
        }
        applyTheme(*qApp, ThemeChoice::Dark);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
