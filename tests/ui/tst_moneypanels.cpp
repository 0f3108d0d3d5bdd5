// The Positions and Balances panels and the status bar's P&L (issue 15): the models under
// QAbstractItemModelTester with exact texts, and the window over a real engine with two simulated
// markets charging fees. With MD_SCREENSHOT_DIR set, it saves docs/screenshot-positions.png.
#include "balancesmodel.h"
#include "balancespanel.h"
#include "mainwindow.h"
#include "positionsmodel.h"
#include "positionspanel.h"
#include "uiroles.h"

#include "engine/closeouttext.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "sim/simconnectorfactory.h"
#include "strategy/strategyfactory.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

#include <cstring>

using namespace md;

namespace {

Decimal dec(const char* s) {
    return *Decimal::parse(s);
}

MoneySnapshot sample() {
    MoneySnapshot s;
    s.version = 1;
    MarketMoney a;
    a.market = 0;
    a.name = "A";
    a.base = "BTC";
    a.quote = "USDT";
    a.position = dec("0.999");
    a.averageEntry = dec("100");
    a.mid = dec("110");
    a.marked = true;
    a.unrealized = dec("9.99");
    a.feesInQuote = dec("0.1");
    a.net = dec("9.89");
    a.fees = {{"BTC", dec("0.001")}, {"BNB", dec("0.0002")}};
    a.fills = 1;
    MarketMoney idle; // nothing traded: no row
    idle.market = 1;
    idle.name = "B";
    s.markets = {a, idle};
    s.currencies = {{"USDT", Decimal(), dec("9.99"), dec("0.1"), dec("9.89")}};
    s.balances = {{0, "A", "BTC", dec("50.999"), dec("0")}, {0, "A", "USDT", dec("99900"), dec("100")}};
    return s;
}

MarketSpec simSpec(MarketId id, const char* name, const char* quote, const char* tick, QJsonObject settings) {
    MarketSpec spec;
    spec.id = id;
    spec.name = name;
    spec.connector = "sim";
    spec.instrument.symbol = std::string("BTC") + quote;
    spec.instrument.base = "BTC";
    spec.instrument.quote = quote;
    spec.instrument.tick = *Price::parse(tick);
    spec.instrument.step = *Quantity::parse("0.0001");
    spec.settings = std::move(settings);
    return spec;
}

} // namespace

class TestMoneyPanels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        logging::init({spdlog::level::warn, false, {}});
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void positionsModelShowsExactFiguresPerMarketThatTraded() {
        PositionsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMoney(sample());
        QCOMPARE(model.rowCount(), 1);
        auto text = [&](int column) { return model.index(0, column).data().toString(); };
        QCOMPARE(text(PositionsModel::Market), QString("A"));
        QCOMPARE(text(PositionsModel::Position), QString("+0.999"));
        QCOMPARE(text(PositionsModel::AverageEntry), QString("100"));
        QCOMPARE(text(PositionsModel::Mid), QString("110"));
        QCOMPARE(text(PositionsModel::Unrealized), QString("+9.99"));
        QCOMPARE(text(PositionsModel::Fees), QString("0.1 + 0.0002 BNB")); // a third asset is never converted
        QCOMPARE(text(PositionsModel::Net), QString("+9.89"));
        QCOMPARE(model.index(0, PositionsModel::Net).data(ToneRole).toInt(), static_cast<int>(Tone::Good));
        MoneySnapshot later = sample();
        later.markets[0].net = dec("-1");
        later.markets[0].unrealized = dec("-0.9");
        model.setMoney(later); // updated in place, no reset
        QCOMPARE(text(PositionsModel::Net), QString("-1"));
        QCOMPARE(model.index(0, PositionsModel::Net).data(ToneRole).toInt(), static_cast<int>(Tone::Bad));
    }

    void positionsTotalsArePlainTextAndCostNoDocumentPerUpdate() {
        // The totals change with every mark (several times a second): a rich-text or selectable QLabel
        // parses and lays out a QTextDocument for each, and again for each size hint (5 % of the UI
        // thread in bench_ui). Plain text, one line per currency, the whole figures kept.
        PositionsPanel panel;
        panel.resize(700, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        MoneySnapshot money = sample();
        money.currencies.push_back({"EUR", dec("1.5"), dec("-0.25"), dec("0.05"), dec("1.2")});
        panel.setMoney(money);
        QLabel* totals = panel.totals();
        QCOMPARE(totals->text(), QString("Desk — USDT: realized 0 · unrealized +9.99 · fees 0.1 · net +9.89\n"
                                         "EUR: realized +1.5 · unrealized -0.25 · fees 0.05 · net +1.2"));
        QCOMPARE(totals->textFormat(), Qt::PlainText);
        for (QObject* child : totals->children())
            QVERIFY2(std::strcmp(child->metaObject()->className(), "QWidgetTextControl") != 0,
                     "the totals label keeps a text document");
        QVERIFY(totals->sizeHint().height() >= 2 * totals->fontMetrics().height()); // two lines shown
    }

    void balancesModelListsFreeAndLocked() {
        BalancesModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setBalances(sample().balances);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(1, BalancesModel::Asset).data().toString(), QString("USDT"));
        QCOMPARE(model.index(1, BalancesModel::Free).data().toString(), QString("99900"));
        QCOMPARE(model.index(1, BalancesModel::Locked).data().toString(), QString("100"));
    }

    void panelsAndStatusBarFollowTheEngine() {
        SimConnectorFactory& sim = *new SimConnectorFactory; // lives as long as the process (ConnectorFactory)
        const QJsonObject fees{{"maker_fee", "0.0002"}, {"taker_fee", "0.001"}};
        QJsonObject liquid{{"seed", 7}, {"mid", "64250.00"}, {"events_per_second", 2000}, {"latency_ms", 3}};
        QJsonObject thin{
            {"seed", 11}, {"mid", "64250.00"}, {"events_per_second", 200}, {"latency_ms", 5}, {"volatility", 0.6}};
        for (auto it = fees.begin(); it != fees.end(); ++it) {
            liquid.insert(it.key(), it.value());
            thin.insert(it.key(), it.value());
        }
        std::vector<MarketSpec> specs{simSpec(0, "SIM-LIQUID", "USDT", "0.01", liquid),
                                      simSpec(1, "SIM-THIN", "EUR", "0.10", thin)};
        const QJsonObject strategy{{"kind", "market_maker"},   {"market", "SIM-THIN"},   {"half_spread_ticks", 1},
                                   {"order_quantity", "0.01"}, {"max_position", "0.05"}, {"requote_ticks", 1}};
        EngineSettings settings;
        settings.graceSeconds = 1;
        settings.strategyTimeoutSeconds = 0.3;
        auto engine =
            std::make_unique<Engine>(settings, std::vector<MarketSetup>{{specs[0], &sim, true}, {specs[1], &sim, true}},
                                     findStrategyFactory("market_maker")->create(strategy, specs));
        auto window = std::make_unique<MainWindow>(*engine);
        window->setReportHoldMs(0);
        window->resize(1600, 940);
        window->show();
        engine->start();

        PositionsModel* positions = window->positionsPanel()->model();
        QTRY_VERIFY_WITH_TIMEOUT(positions->rowCount() == 1, 15000); // SIM-THIN traded
        QCOMPARE(positions->index(0, PositionsModel::Currency).data().toString(), QString("EUR"));
        QTRY_VERIFY_WITH_TIMEOUT(window->balancesPanel()->model()->rowCount() == 4, 5000); // 2 markets x 2 assets
        auto* pnl = window->statusBar()->findChild<QLabel*>("statusPnl");
        QVERIFY(pnl);
        QTRY_VERIFY(pnl->text().startsWith("P&L EUR "));
        // The window shows what the positions thread published, figure for figure.
        const auto money = engine->money();
        QTRY_COMPARE(window->positionsPanel()->totals()->text().contains("EUR"), true);

        if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR")) {
            const QString dir = qEnvironmentVariable("MD_SCREENSHOT_DIR");
            window->findChild<QDockWidget*>("positionsDock")->raise();
            QTest::qWait(1500);
            QVERIFY(window->grab().save(dir + "/screenshot-positions.png"));
            window->findChild<QDockWidget*>("balancesDock")->raise();
            QTest::qWait(300);
            QVERIFY(window->findChild<QDockWidget*>("balancesDock")->grab().save(dir + "/screenshot-balances.png"));
        }
        engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(engine->shutdownReport().has_value(), 10000);
        QVERIFY(!engine->shutdownReport()->money.markets.empty());
        // The close-out report in the window tells the position left and the P&L per currency.
        auto* closeOut = window->findChild<QLabel*>("closeOutMoney");
        QVERIFY(closeOut);
        QTRY_VERIFY(closeOut->text().contains("position left [SIM-THIN]: BTC"));
        QVERIFY(closeOut->text().contains("P&amp;L EUR: realized"));
        // One position figure: the money's per asset (fees taken in BTC included), said once.
        auto* positionLeft = window->findChild<QLabel*>("closeOutPositions");
        QVERIFY(positionLeft);
        const auto report = *engine->shutdownReport(); // a copy: shutdownReport() returns by value
        QVERIFY(!report.money.assets.empty());
        QVERIFY2(positionLeft->text().contains(
                     QString::fromStdString("BTC " + signedDecimal(report.money.assets.front().position))),
                 qPrintable(positionLeft->text()));
        QVERIFY(!positionLeft->text().contains("Net position left"));
        QVERIFY(!closeOut->text().contains("position left per asset")); // said once, above
        if (qEnvironmentVariableIsSet("MD_SCREENSHOT_DIR"))
            QVERIFY(closeOut->window()->grab().save(qEnvironmentVariable("MD_SCREENSHOT_DIR") +
                                                    "/screenshot-closeout-positions.png"));
        window.reset();
        engine.reset();
    }
};

QTEST_MAIN(TestMoneyPanels)
#include "tst_moneypanels.moc"
