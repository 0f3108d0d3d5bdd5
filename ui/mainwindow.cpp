#include "mainwindow.h"

#include "appicon.h"
#include "balancespanel.h"
#include "bookpanel.h"
#include "chartpanel.h"
#include "csvexporter.h"
#include "leftoverordersbar.h"
#include "logmodel.h"
#include "logpanel.h"
#include "marketsmodel.h"
#include "marketspanel.h"
#include "orderbookmodel.h"
#include "orderspanel.h"
#include "positionspanel.h"
#include "reasoningmodel.h"
#include "shutdowndialog.h"
#include "tableview.h"
#include "theme.h"

#include "engine/engine.h"
#include "logging/logging.h"
#include "positions/moneytext.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolBar>

#include <array>

namespace md {
namespace {

QDockWidget* dock(const QString& title, const char* name, QWidget* content, QMainWindow* window) {
    auto* d = new QDockWidget(title, window);
    d->setObjectName(name);
    d->setWidget(content);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    return d;
}

QString duration(double seconds) {
    const int s = static_cast<int>(seconds);
    return QString("%1:%2:%3")
        .arg(s / 3600, 2, 10, QChar('0'))
        .arg(s / 60 % 60, 2, 10, QChar('0'))
        .arg(s % 60, 2, 10, QChar('0'));
}

QStringList marketNames(const Engine& engine) {
    QStringList names;
    for (std::size_t i = 0; i < engine.marketCount(); ++i)
        names << QString::fromStdString(engine.marketSpec(static_cast<MarketId>(i)).name);
    return names;
}

} // namespace

MainWindow::MainWindow(Engine& engine, QWidget* parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_reasoning(new ReasoningModel(5000, this))
    , m_timer(new QTimer(this)) {
    setWindowTitle(tr("MarketDesk"));
    setWindowIcon(appIcon());
    setObjectName("MainWindow");
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);
    buildPanels();
    buildToolbarAndMenus();
    restoreLayout();

    connect(&m_engine, &Engine::haltChanged, this, &MainWindow::onHaltChanged);
    connect(&m_engine, &Engine::shutdownFinished, this, &MainWindow::onShutdownFinished);
    // Bounded UI work at any event rate: a few panels per 50 ms tick (see onTick).
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, &MainWindow::onTick);
    m_timer->start();
    onHaltChanged(m_engine.isHalted());
    refresh();
}

MainWindow::~MainWindow() = default;

MarketsModel* MainWindow::marketsModel() const {
    return m_marketsPanel->model();
}

QTableView* MainWindow::marketsView() const {
    return m_marketsPanel->view();
}

OrdersModel* MainWindow::ordersModel() const {
    return m_ordersPanel->ordersModel();
}

OrderBookModel* MainWindow::bookModel() const {
    return m_book->model();
}

void MainWindow::buildPanels() {
    const QStringList names = marketNames(m_engine);
    m_chart = new ChartPanel(this);
    setCentralWidget(m_chart);

    m_marketsPanel = new MarketsPanel(m_engine, this);
    connect(m_marketsPanel, &MarketsPanel::marketSelected, this, &MainWindow::selectMarket);
    addDockWidget(Qt::TopDockWidgetArea, dock(tr("Markets"), "marketsDock", m_marketsPanel, this));

    m_book = new BookPanel(names, 20, this);
    connect(m_book, &BookPanel::marketSelected, this, &MainWindow::selectMarket);
    addDockWidget(Qt::LeftDockWidgetArea, dock(tr("Order book"), "bookDock", m_book, this));

    m_ordersPanel = new OrdersPanel(this);
    connect(m_ordersPanel, &OrdersPanel::cancelRequested, this, [this](MarketId market, ClientOrderId id) {
        m_engine.cancelOrder(market, id);
        statusBar()->showMessage(tr("cancel sent for order #%1").arg(id), 3000);
    });
    connect(m_ordersPanel, &OrdersPanel::exportRequested, this, &MainWindow::exportModel);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Orders & fills"), "ordersDock", m_ordersPanel, this));

    m_positionsPanel = new PositionsPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Positions"), "positionsDock", m_positionsPanel, this));
    m_balancesPanel = new BalancesPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Balances"), "balancesDock", m_balancesPanel, this));

    m_log = new LogPanel(names, this);
    connect(m_log, &LogPanel::exportRequested, this, &MainWindow::exportModel);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Log"), "logDock", m_log, this));

    auto* reasoningView = makeTable(m_reasoning, this, "reasoningView", false);
    reasoningView->horizontalHeader()->setStretchLastSection(true);
    reasoningView->setColumnWidth(ReasoningModel::Time, 100);
    reasoningView->setColumnWidth(ReasoningModel::Market, 92);
    connect(m_reasoning, &QAbstractItemModel::rowsInserted, reasoningView, [reasoningView] {
        if (reasoningView->verticalScrollBar()->value() >= reasoningView->verticalScrollBar()->maximum() - 2)
            QTimer::singleShot(0, reasoningView, &QTableView::scrollToBottom);
    });
    addDockWidget(Qt::RightDockWidgetArea, dock(tr("Strategy reasoning"), "reasoningDock", reasoningView, this));

    m_statusRate = new QLabel(this);
    m_statusUptime = new QLabel(this);
    m_statusMarkets = new QLabel(this);
    m_statusPnl = new QLabel(this);
    m_statusPnl->setObjectName("statusPnl");
    m_exportProgress = new QProgressBar(this);
    m_exportProgress->setMaximumWidth(160);
    m_exportProgress->setMaximumHeight(14);
    m_exportProgress->hide();
    statusBar()->addWidget(m_statusMarkets);
    statusBar()->addWidget(m_statusRate);
    statusBar()->addWidget(m_statusPnl);
    statusBar()->addPermanentWidget(m_exportProgress);
    statusBar()->addPermanentWidget(m_statusUptime);
}

void MainWindow::buildToolbarAndMenus() {
    auto* toolbar = addToolBar(tr("Trading"));
    toolbar->setObjectName("tradingToolbar");
    toolbar->setMovable(false);
    toolbar->toggleViewAction()->setVisible(false);
    m_halt = new QPushButton(tr("HALT TRADING"), toolbar);
    m_halt->setObjectName("haltButton");
    m_halt->setCheckable(true);
    m_halt->setToolTip(tr("No new orders on any market, open orders cancelled, cancels still pass (Ctrl+Shift+H)"));
    connect(m_halt, &QPushButton::clicked, this, [this](bool halt) {
        if (halt)
            m_engine.halt();
        else
            m_engine.resume();
        onHaltChanged(m_engine.isHalted());
    });
    toolbar->addWidget(m_halt);
    auto* spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_engineState = new QLabel(toolbar);
    m_engineState->setObjectName("engineState");
    toolbar->addWidget(m_engineState);

    // The halted bar: a full-width red strip under the toolbar while trading is halted.
    addToolBarBreak(Qt::TopToolBarArea);
    m_haltBar = addToolBar(tr("Halted"));
    m_haltBar->setObjectName("haltBar");
    m_haltBar->setMovable(false);
    m_haltBar->setFloatable(false);
    m_haltBar->toggleViewAction()->setVisible(false);
    m_haltedBanner =
        new QLabel(tr("TRADING HALTED  —  no new orders on any market · open orders cancelled · cancels still pass  —  "
                      "Resume with the button or Ctrl+Shift+H"),
                   m_haltBar);
    m_haltedBanner->setObjectName("haltedBanner");
    m_haltedBanner->setAlignment(Qt::AlignCenter);
    m_haltedBanner->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_haltBar->addWidget(m_haltedBanner);
    m_haltBar->hide();

    // Orders an earlier run left open: an amber strip with one-click cancel, until the exchange
    // confirms they are gone.
    addToolBarBreak(Qt::TopToolBarArea);
    m_leftoverBar = new LeftoverOrdersBar(this);
    addToolBar(Qt::TopToolBarArea, m_leftoverBar);
    connect(m_leftoverBar, &LeftoverOrdersBar::cancelRequested, this, [this](const QStringList& markets) {
        for (MarketId id = 0; id < m_engine.marketCount(); ++id) {
            if (!markets.contains(QString::fromStdString(m_engine.marketSpec(id).name)))
                continue;
            m_engine.cancelEarlierRunOrders(id);
            // The cancels queue behind the market's other actions; ask the exchange again shortly,
            // and twice more later for a busy or slow market (each answer updates the banner).
            for (int delayMs : {1500, 5000, 15000})
                QTimer::singleShot(delayMs, this, [this, id] { m_engine.recheckOpenOrders(id); });
        }
    });

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* exportLog = fileMenu->addAction(tr("Export log…"));
    connect(exportLog, &QAction::triggered, m_log, [this] { exportModel(m_log->proxy(), "marketdesk-log.csv"); });
    fileMenu->addSeparator();
    auto* quit = fileMenu->addAction(tr("&Quit (orderly shutdown)"), this, &QWidget::close);
    // Ctrl+Q everywhere (some platforms' key schemes have no Quit binding at all).
    QList<QKeySequence> quitKeys = QKeySequence::keyBindings(QKeySequence::Quit);
    if (!quitKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_Q)))
        quitKeys.prepend(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setShortcuts(quitKeys);
    quit->setShortcutContext(Qt::ApplicationShortcut);
    addAction(quit);

    auto* tradingMenu = menuBar()->addMenu(tr("&Trading"));
    m_haltAction = tradingMenu->addAction(tr("Halt trading"));
    m_haltAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    m_haltAction->setShortcutContext(Qt::ApplicationShortcut);
    connect(m_haltAction, &QAction::triggered, m_halt, &QPushButton::click);
    addAction(m_haltAction);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    for (auto* d : findChildren<QDockWidget*>())
        viewMenu->addAction(d->toggleViewAction());
    viewMenu->addSeparator();
    auto* themeMenu = viewMenu->addMenu(tr("Theme"));
    auto* themes = new QActionGroup(themeMenu);
    const QString current = QSettings().value("theme", "system").toString();
    for (ThemeChoice choice : {ThemeChoice::System, ThemeChoice::Dark, ThemeChoice::Light}) {
        const QString name = themeChoiceName(choice);
        auto* action = themeMenu->addAction(choice == ThemeChoice::System ? tr("Follow the system")
                                            : choice == ThemeChoice::Dark ? tr("Dark")
                                                                          : tr("Light"));
        action->setCheckable(true);
        action->setChecked(name == current);
        themes->addAction(action);
        connect(action, &QAction::triggered, this, [this, choice] {
            QSettings().setValue("theme", themeChoiceName(choice));
            applyTheme(*qApp, choice);
            m_chart->applyTheme();
            refresh();
        });
    }
}

void MainWindow::restoreLayout() {
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(1600, 940);
    if (restoreState(settings.value("window/state").toByteArray()))
        return;
    // First start: markets strip on top, ladder left, chart in the middle, reasoning right, orders
    // and log side by side at the bottom.
    auto* markets = findChild<QDockWidget*>("marketsDock");
    auto* book = findChild<QDockWidget*>("bookDock");
    auto* reasoning = findChild<QDockWidget*>("reasoningDock");
    auto* orders = findChild<QDockWidget*>("ordersDock");
    auto* log = findChild<QDockWidget*>("logDock");
    splitDockWidget(orders, log, Qt::Horizontal);
    // Positions and balances are tabs beside the orders: the money next to the orders that made it.
    tabifyDockWidget(orders, findChild<QDockWidget*>("positionsDock"));
    tabifyDockWidget(orders, findChild<QDockWidget*>("balancesDock"));
    orders->raise();
    resizeDocks({markets}, {96}, Qt::Vertical);
    resizeDocks({book, reasoning}, {330, 430}, Qt::Horizontal);
    resizeDocks({orders, log}, {700, 900}, Qt::Horizontal);
    resizeDocks({orders}, {280}, Qt::Vertical);
}

void MainWindow::saveLayout() {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
}

void MainWindow::refresh() {
    refreshPanels(RefreshAll);
}

void MainWindow::onTick() {
    // 20 ticks a second, each refreshing a few panels, so one tick never repaints the whole window:
    // the ladder 10 times a second, markets, log, reasoning and orders 5 times, the chart twice.
    static constexpr unsigned kPhases[4] = {RefreshMarkets | RefreshStatus | RefreshBook, RefreshLog | RefreshChart,
                                            RefreshBook | RefreshReasoning, RefreshOrders | RefreshMoney};
    const unsigned phase = static_cast<unsigned>(m_tick % 4);
    unsigned panels = kPhases[phase];
    if (phase == 1 && m_tick % 10 != 1)
        panels &= ~RefreshChart;
    refreshPanels(panels);
}

void MainWindow::refreshPanels(unsigned panels) {
    Q_ASSERT(QThread::currentThread() == thread());
    ++m_tick;
    // Each step is timed; a slow refresh is logged with the breakdown (the UI budget is ~10 ms).
    QElapsedTimer clock;
    clock.start();
    std::array<qint64, 6> lap{};
    int step = 0;
    auto mark = [&] { lap[static_cast<std::size_t>(step++)] = clock.nsecsElapsed(); };

    std::vector<MarketHealth> health;
    if (panels & (RefreshMarkets | RefreshStatus))
        health = m_engine.health();
    if (panels & RefreshMarkets)
        m_marketsPanel->setSnapshot(health);
    mark();
    std::shared_ptr<const MarketView> selected;
    if (panels & (RefreshBook | RefreshChart))
        selected = m_engine.marketView(static_cast<MarketId>(m_selectedMarket));
    if (panels & RefreshBook)
        m_book->setView(selected);
    mark();
    if (panels & RefreshOrders) {
        // Orders and fills of every market, diffed only when some market published a new view.
        std::vector<std::shared_ptr<const MarketView>> views;
        bool changed = false;
        m_viewVersions.resize(m_engine.marketCount(), 0);
        for (std::size_t i = 0; i < m_engine.marketCount(); ++i) {
            views.push_back(m_engine.marketView(static_cast<MarketId>(i)));
            const std::uint64_t version = views.back() ? views.back()->version : 0;
            changed = changed || version != m_viewVersions[i];
            m_viewVersions[i] = version;
        }
        if (changed)
            m_ordersPanel->setViews(views);
    }
    mark();
    if (panels & RefreshReasoning)
        m_reasoning->append(m_engine.reasoningSince(m_reasoning->lastSequence(), 500));
    mark();
    if (panels & RefreshLog)
        m_log->pull();
    mark();
    if (panels & RefreshChart)
        m_chart->setView(selected);
    if (panels & RefreshMoney) {
        // The positions thread's last snapshot (published ~10 Hz): applied only when it changed.
        const auto money = m_engine.money();
        if (money->version != m_moneyVersion) {
            m_moneyVersion = money->version;
            m_positionsPanel->setMoney(*money);
            m_balancesPanel->setMoney(*money);
            m_statusPnl->setText(QString::fromStdString(moneytext::statusText(*money)));
        }
    }
    if (panels & RefreshStatus)
        refreshStatusBar(health);
    mark();
    if (lap.back() > 30'000'000) {
        auto ms = [&](int i) {
            return (lap[static_cast<std::size_t>(i)] - (i ? lap[static_cast<std::size_t>(i - 1)] : 0)) / 1e6;
        };
        logging::get("ui")->warn(
            "slow refresh: {:.1f} ms (markets {:.1f}, book {:.1f}, orders {:.1f}, reasoning {:.1f}, "
            "log {:.1f}, chart+status {:.1f})",
            lap.back() / 1e6, ms(0), ms(1), ms(2), ms(3), ms(4), ms(5));
    }
    if (m_engine.isShuttingDown() && !m_shutdownShown)
        showShutdown(); // begun elsewhere (SIGTERM): show it all the same
}

void MainWindow::refreshStatusBar(const std::vector<MarketHealth>& health) {
    double rate = 0;
    int up = 0;
    for (const auto& h : health) {
        rate += h.eventsPerSecond;
        up += h.state == MarketState::Running || h.state == MarketState::Degraded;
    }
    QString state;
    const char* tone;
    if (m_engine.isShuttingDown()) {
        state = tr("SHUTTING DOWN");
        tone = "warning";
    } else if (m_engine.isHalted()) {
        state = tr("HALTED");
        tone = "danger";
    } else {
        state = tr("TRADING");
        tone = "ok";
    }
    if (m_engineState->property("tone").toString() != tone) {
        m_engineState->setProperty("tone", tone);
        m_engineState->style()->unpolish(m_engineState);
        m_engineState->style()->polish(m_engineState);
    }
    m_engineState->setText(QStringLiteral("●  ") + state);
    m_statusMarkets->setText(tr("%1  ·  markets up %2 / %3").arg(state).arg(up).arg(health.size()));
    m_statusRate->setText(tr("%1 events/s").arg(QLocale().toString(rate, 'f', 0)));
    m_statusUptime->setText(tr("uptime %1").arg(duration(m_engine.uptimeSeconds())));
}

void MainWindow::selectMarket(int market) {
    if (market < 0 || market >= static_cast<int>(m_engine.marketCount()))
        return;
    const bool changed = market != m_selectedMarket;
    m_selectedMarket = market;
    m_book->setMarket(market);
    m_marketsPanel->selectMarket(market);
    if (changed)
        m_chart->setView(m_engine.marketView(static_cast<MarketId>(market)));
    m_book->setView(m_engine.marketView(static_cast<MarketId>(market)));
}

void MainWindow::exportModel(QAbstractItemModel* model, const QString& suggestedName) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"), suggestedName, tr("CSV (*.csv)"));
    if (!path.isEmpty())
        exportTo(model, path);
}

QFuture<QString> MainWindow::exportTo(QAbstractItemModel* model, const QString& path) {
    // The rows are copied here (strings only); the file is written on a pool thread.
    auto* watcher = new QFutureWatcher<QString>(this);
    m_exportProgress->show();
    m_exportProgress->setValue(0);
    connect(watcher, &QFutureWatcherBase::progressRangeChanged, m_exportProgress, &QProgressBar::setRange);
    connect(watcher, &QFutureWatcherBase::progressValueChanged, m_exportProgress, &QProgressBar::setValue);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        const QString error = watcher->result();
        m_exportProgress->hide();
        statusBar()->showMessage(error.isEmpty() ? tr("exported %1").arg(path) : error, 5000);
        watcher->deleteLater();
    });
    QFuture<QString> future = CsvExporter::write(path, CsvExporter::snapshot(*model));
    watcher->setFuture(future);
    return future;
}

void MainWindow::setLeftoverOrders(std::vector<JournalOrder> orders) {
    m_leftoverBar->setOrders(std::move(orders));
}

void MainWindow::onHaltChanged(bool halted) {
    m_halt->setChecked(halted);
    m_halt->setText(halted ? tr("RESUME TRADING") : tr("HALT TRADING"));
    m_haltAction->setText(halted ? tr("Resume trading") : tr("Halt trading"));
    m_haltBar->setVisible(halted);
    setWindowTitle(halted ? tr("MarketDesk — TRADING HALTED") : tr("MarketDesk"));
    if (m_engineState)
        refreshStatusBar(m_engine.health());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // The window stays until the orderly shutdown is over; a second close changes nothing.
    event->ignore();
    if (m_shutdownShown)
        return;
    saveLayout();
    showShutdown();
    m_engine.beginShutdown(); // does nothing when already under way
}

void MainWindow::showShutdown() {
    m_shutdownShown = true;
    m_marketsPanel->setEnabled(false); // no toggles while everything stops
    m_halt->setEnabled(false);
    m_shutdownDialog = new ShutdownDialog(m_engine, this);
    connect(m_shutdownDialog, &ShutdownDialog::acknowledged, this, [this] {
        if (auto report = m_engine.shutdownReport())
            complete(*report);
    });
    m_shutdownDialog->open();
}

void MainWindow::onShutdownFinished(const ShutdownReport& report) {
    m_timer->stop();
    refresh();
    if (!m_shutdownDialog)
        showShutdown();
    if (m_shutdownDialog->showsReport())
        return;
    m_shutdownDialog->showReport(report, m_reportHoldMs);
    // The report stays on screen for a moment, then the application ends on its own.
    QTimer::singleShot(m_reportHoldMs, this, [this, report] { complete(report); });
}

void MainWindow::complete(const ShutdownReport& report) {
    if (m_completeEmitted)
        return;
    m_completeEmitted = true;
    emit shutdownComplete(report);
}

void showConfigError(const QString& message) {
    QMessageBox box(QMessageBox::Critical, QObject::tr("MarketDesk — configuration refused"),
                    QObject::tr("<b>MarketDesk did not start.</b> Nothing was traded."), QMessageBox::Close);
    box.setObjectName("configErrorBox");
    box.setInformativeText(message);
    box.setWindowIcon(appIcon());
    box.exec();
}

} // namespace md
