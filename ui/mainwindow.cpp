#include "mainwindow.h"

#include "alertbadge.h"
#include "alertspanel.h"
#include "appicon.h"
#include "balancespanel.h"
#include "bookpanel.h"
#include "chartpanel.h"
#include "configurationfiles.h"
#include "csvexporter.h"
#include "depthchart.h"
#include "deskstatus.h"
#include "desktopnotifier.h"
#include "docklayout.h"
#include "elidedlabel.h"
#include "leftoverordersbar.h"
#include "logmodel.h"
#include "logpanel.h"
#include "marketsmodel.h"
#include "marketspanel.h"
#include "numberformat.h"
#include "orderbookmodel.h"
#include "ordersmodel.h"
#include "orderspanel.h"
#include "orderticketpanel.h"
#include "positionspanel.h"
#include "reasoningmodel.h"
#include "reasoningpanel.h"
#include "shutdowndialog.h"
#include "steadysizebox.h"
#include "strategiespanel.h"
#include "tableview.h"
#include "tapepanel.h"
#include "theme.h"

#include "alerts/alertmonitor.h"
#include "engine/engine.h"
#include "logging/logging.h"
#include "positions/moneytext.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
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
#include <QResizeEvent>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>

#include <algorithm>
#include <array>
#include <utility>

namespace md {
namespace {

QDockWidget* dock(const QString& title, const char* name, QWidget* content, QMainWindow* window) {
    auto* d = new QDockWidget(title, window);
    d->setObjectName(name);
    d->setWidget(content);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    // An "&" in a title would make the next letter a mnemonic in the View menu ("Orders _fills" once did).
    QString text = title;
    d->toggleViewAction()->setText(text.replace('&', QStringLiteral("&&")));
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

MainWindow::MainWindow(Engine& engine, AlertMonitor* alerts, QWidget* parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_alerts(alerts ? alerts : new AlertMonitor(engine, {}, this))
    , m_reasoning(new ReasoningModel(5000, this))
    , m_timer(new QTimer(this)) {
    setWindowTitle(tr("MarketDesk"));
    setWindowIcon(appIcon());
    setObjectName("MainWindow");
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);
    buildPanels();
    buildToolbarAndMenus();
    m_layout = new DockLayout(this);
    QSettings settings;
    m_layout->restore(settings.value("window/geometry").toByteArray(), settings.value("window/state").toByteArray());

    m_notifier = new DesktopNotifier(this);
    m_notifier->setSoundEnabled(m_alertsPanel->soundBox()->isChecked());
    connect(m_alertsPanel, &AlertsPanel::soundToggled, m_notifier, &DesktopNotifier::setSoundEnabled);
    connect(m_notifier, &DesktopNotifier::activated, this, &MainWindow::showAlerts);
    connect(m_alerts, &AlertMonitor::alertRaised, this, &MainWindow::onAlertRaised);
    connect(m_alerts, &AlertMonitor::changed, this, [this] { m_alertBadge->setBook(m_alerts->book()); });
    m_alertBadge->setBook(m_alerts->book());

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
    // The trades tape and the depth chart follow the ladder's market (DockLayout: the depth chart under the
    // ladder, the tape on the right).
    m_tape = new TapePanel(this);
    addDockWidget(Qt::RightDockWidgetArea, dock(tr("Trades"), "tapeDock", m_tape, this));
    m_depth = new DepthChart(this);
    addDockWidget(Qt::LeftDockWidgetArea, dock(tr("Depth"), "depthDock", m_depth, this));

    // The trader's ticket under the ladder: a click on a level prepares (or sends) an order there.
    m_ticket = new OrderTicketPanel(names, m_engine.settings().manual, this);
    connect(m_book, &BookPanel::levelClicked, m_ticket, [this](Side side, Price price) {
        m_ticket->setMarket(m_selectedMarket);
        m_ticket->setView(m_engine.marketView(static_cast<MarketId>(m_selectedMarket)));
        m_ticket->clickLevel(side, price);
    });
    connect(m_ticket, &OrderTicketPanel::marketSelected, this, &MainWindow::selectMarket);
    connect(m_ticket, &OrderTicketPanel::orderRequested, this,
            [this](MarketId market, const ManualOrder& order) { m_engine.placeManualOrder(market, order); });
    connect(m_ticket, &OrderTicketPanel::cancelAllRequested, this,
            [this](MarketId market) { m_engine.cancelMarketOrders(market); });
    connect(m_ticket, &OrderTicketPanel::flattenRequested, this, [this](MarketId market) { m_engine.flatten(market); });
    addDockWidget(Qt::LeftDockWidgetArea, dock(tr("Order ticket"), "ticketDock", m_ticket, this));

    m_ordersPanel = new OrdersPanel(this);
    {
        // One strategy keeps its kind's name ("mirror"); a desk of several shows each one's id.
        QStringList names;
        if (m_engine.strategyIds().size() <= 1)
            names << QString::fromStdString(m_engine.strategyName());
        else
            for (const auto& id : m_engine.strategyIds())
                names << QString::fromStdString(id);
        m_ordersPanel->ordersModel()->setStrategyNames(names);
    }
    connect(m_ordersPanel, &OrdersPanel::cancelRequested, this, [this](MarketId market, ClientOrderId id) {
        m_engine.cancelOrder(market, id);
        statusBar()->showMessage(
            tr("cancel sent for %1").arg(orderIdText(QString::fromStdString(m_engine.marketSpec(market).name), id)),
            3000);
    });
    connect(m_ordersPanel, &OrdersPanel::exportRequested, this, &MainWindow::exportModel);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Orders and fills"), "ordersDock", m_ordersPanel, this));

    m_positionsPanel = new PositionsPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Positions"), "positionsDock", m_positionsPanel, this));
    m_balancesPanel = new BalancesPanel(this);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Balances"), "balancesDock", m_balancesPanel, this));

    // Issue 17: the desk's strategies, each started, paused, resumed and stopped on its own.
    m_strategiesPanel = new StrategiesPanel(this);
    m_strategiesPanel->setStrategies(m_engine.strategies(), names);
    connect(&m_engine, &Engine::strategiesChanged, m_strategiesPanel,
            [this, names] { m_strategiesPanel->setStrategies(m_engine.strategies(), names); });
    connect(m_strategiesPanel, &StrategiesPanel::startRequested, &m_engine, &Engine::startStrategy);
    connect(m_strategiesPanel, &StrategiesPanel::pauseRequested, &m_engine, &Engine::pauseStrategy);
    connect(m_strategiesPanel, &StrategiesPanel::resumeRequested, &m_engine, &Engine::resumeStrategy);
    connect(m_strategiesPanel, &StrategiesPanel::stopRequested, &m_engine, &Engine::stopStrategy);
    auto showParameters = [this](OwnerId owner) {
        m_strategiesPanel->setParameters(owner, m_engine.strategyParameters(owner), m_engine.strategyLiveKeys(owner));
    };
    connect(m_strategiesPanel, &StrategiesPanel::selectionChanged, this, showParameters);
    connect(m_strategiesPanel, &StrategiesPanel::parameterEdited, this,
            [this, showParameters](OwnerId owner, const QString& key, const QJsonValue& value) {
                if (auto error = m_engine.setStrategyParameter(owner, key, value))
                    statusBar()->showMessage(tr("parameter refused: %1").arg(QString::fromStdString(*error)), 8000);
                else
                    statusBar()->showMessage(
                        tr("parameter %1 changed: applied at the strategy's next decision").arg(key), 5000);
                showParameters(owner); // the value in force (the old one when refused)
            });
    showParameters(m_strategiesPanel->selectedOwner());
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Strategies"), "strategiesDock", m_strategiesPanel, this));

    m_log = new LogPanel(names, this);
    connect(m_log, &LogPanel::exportRequested, this, &MainWindow::exportModel);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Log"), "logDock", m_log, this));

    m_reasoningPanel = new ReasoningPanel(m_reasoning, this);
    addDockWidget(Qt::RightDockWidgetArea, dock(tr("Strategy reasoning"), "reasoningDock", m_reasoningPanel, this));

    m_alertsPanel = new AlertsPanel(*m_alerts, this);
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Alerts"), "alertsDock", m_alertsPanel, this));

    m_statusRate = new QLabel(this);
    m_statusUptime = new QLabel(this);
    m_statusMarkets = new QLabel(this);
    m_statusPnl = new QLabel(this);
    m_statusPnl->setObjectName("statusPnl");
    m_statusMarkets->setObjectName("statusMarkets");
    m_alertBadge = new AlertBadge(this);
    connect(m_alertBadge, &QToolButton::clicked, this, &MainWindow::showAlerts);
    m_exportProgress = new QProgressBar(this);
    m_exportProgress->setMaximumWidth(160);
    m_exportProgress->setMaximumHeight(14);
    m_exportProgress->hide();
    statusBar()->addWidget(m_alertBadge);
    statusBar()->addWidget(steady(m_statusMarkets));
    statusBar()->addWidget(steady(m_statusRate));
    statusBar()->addWidget(steady(m_statusPnl));
    statusBar()->addPermanentWidget(m_exportProgress);
    statusBar()->addPermanentWidget(steady(m_statusUptime));
}

void MainWindow::buildToolbarAndMenus() {
    auto* toolbar = addToolBar(tr("Trading"));
    toolbar->setObjectName("tradingToolbar");
    toolbar->setMovable(false);
    toolbar->toggleViewAction()->setVisible(false);
    // The kill switch only kills: however often it is pressed (double-click, key repeat, a signal), it
    // halts. Resume is another button, shown while halted, and asks first.
    m_halt = new QPushButton(tr("HALT TRADING"), toolbar);
    m_halt->setObjectName("haltButton");
    m_halt->setToolTip(tr("No new orders on any market, open orders cancelled, cancels still pass (Ctrl+Shift+H)"));
    connect(m_halt, &QPushButton::clicked, this, &MainWindow::haltTrading);
    toolbar->addWidget(m_halt);
    m_resume = new QPushButton(tr("Resume trading…"), toolbar);
    m_resume->setObjectName("resumeButton");
    m_resume->setToolTip(tr("Asks first, naming the markets that will trade again"));
    connect(m_resume, &QPushButton::clicked, this, &MainWindow::resumeTrading);
    m_resumeButtonAction = toolbar->addWidget(m_resume);
    m_resumeButtonAction->setVisible(false);
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
    m_haltedBanner = new ElidedLabel(tr("TRADING HALTED  —  no new orders · open orders cancelled · cancels pass  —  "
                                        "Resume: the Resume button or Trading ▸ Resume trading…"),
                                     m_haltBar);
    m_haltedBanner->setObjectName("haltedBanner");
    m_haltedBanner->setAlignment(Qt::AlignCenter);
    // On a narrow window its end is cut (the tooltip has it), it never widens the window.
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
    m_openConfig = fileMenu->addAction(tr("&Open configuration…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open configuration (restarts the desk)"),
                                                          m_configFiles->sourcePath(), tr("JSON (*.json)"));
        if (!path.isEmpty())
            openConfiguration(path);
    });
    m_openConfig->setObjectName("openConfiguration");
    m_openConfig->setShortcut(QKeySequence::Open);
    m_saveConfig = fileMenu->addAction(tr("&Save configuration as…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save configuration as"),
                                                          m_configFiles->sourcePath(), tr("JSON (*.json)"));
        if (!path.isEmpty())
            saveConfigurationAs(path);
    });
    m_saveConfig->setObjectName("saveConfiguration");
    // Ctrl+Shift+S everywhere (not every platform's key scheme binds Save As).
    m_saveConfig->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    // Until app/ gives the configuration (tests that build a window around a bare engine).
    m_openConfig->setEnabled(false);
    m_saveConfig->setEnabled(false);
    fileMenu->addSeparator();
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
    m_haltAction = tradingMenu->addAction(tr("&Halt trading"));
    m_haltAction->setObjectName("haltAction");
    m_haltAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    m_haltAction->setShortcutContext(Qt::ApplicationShortcut);
    connect(m_haltAction, &QAction::triggered, this, &MainWindow::haltTrading);
    addAction(m_haltAction);
    // No shortcut on purpose: resuming is never one keystroke away from halting.
    m_resumeAction = tradingMenu->addAction(tr("&Resume trading…"));
    m_resumeAction->setObjectName("resumeAction");
    m_resumeAction->setEnabled(false);
    connect(m_resumeAction, &QAction::triggered, this, &MainWindow::resumeTrading);

    // The trader's hotkeys (config "manual.hotkeys"), on the selected market, through the ticket (so the
    // fat-finger guard asks as it does for the Send button).
    tradingMenu->addSeparator();
    const ManualTradingSettings& manual = m_engine.settings().manual;
    const auto hotkey = [&](const QString& title, const char* name, const std::string& keys, auto call) {
        auto* action = tradingMenu->addAction(title);
        action->setObjectName(name);
        action->setShortcut(QKeySequence(QString::fromStdString(keys)));
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, call);
        addAction(action);
    };
    hotkey(tr("&Buy at the touch (best bid)"), "buyAtTouchAction", manual.hotkeyBuy,
           [this] { m_ticket->sendAtTouch(Side::Bid); });
    hotkey(tr("&Sell at the touch (best ask)"), "sellAtTouchAction", manual.hotkeySell,
           [this] { m_ticket->sendAtTouch(Side::Ask); });
    hotkey(tr("&Cancel all on this market"), "cancelAllAction", manual.hotkeyCancelAll,
           [this] { m_ticket->requestCancelAll(); });
    hotkey(tr("&Flatten this market"), "flattenAction", manual.hotkeyFlatten, [this] { m_ticket->requestFlatten(); });

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    for (auto* d : findChildren<QDockWidget*>())
        viewMenu->addAction(d->toggleViewAction());
    viewMenu->addSeparator();
    auto* reset = viewMenu->addAction(tr("Reset &layout"));
    reset->setObjectName("resetLayoutAction");
    connect(reset, &QAction::triggered, this, &MainWindow::resetLayout);
    auto* themeMenu = viewMenu->addMenu(tr("&Theme"));
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

void MainWindow::resetLayout() {
    m_layout->reset();
    logging::get("ui")->info("layout reset");
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
    if (panels & RefreshBook) {
        m_book->setView(selected);
        m_tape->setView(selected); // both diff only when the market published a new view
        m_depth->setView(selected);
        m_ticket->setView(selected);
    }
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
            m_strategiesPanel->setMoney(*money);
            m_statusPnl->setText(QString::fromStdString(moneytext::statusText(*money)));
        }
    }
    if (panels & RefreshStatus)
        refreshStatusBar(health);
    mark();
    auto ms = [&](int i) {
        return (lap[static_cast<std::size_t>(i)] - (i ? lap[static_cast<std::size_t>(i - 1)] : 0)) / 1e6;
    };
    for (int i = 0; i < 6; ++i) {
        m_lastRefreshMs[static_cast<std::size_t>(i)] = ms(i);
        m_refreshWorstMs[static_cast<std::size_t>(i)] = std::max(m_refreshWorstMs[static_cast<std::size_t>(i)], ms(i));
    }
    if (lap.back() > 30'000'000) {
        logging::get("ui")->warn(
            "slow refresh: {:.1f} ms (markets {:.1f}, book {:.1f}, orders {:.1f}, reasoning {:.1f}, "
            "log {:.1f}, chart+status {:.1f})",
            lap.back() / 1e6, ms(0), ms(1), ms(2), ms(3), ms(4), ms(5));
    }
    if (m_engine.isShuttingDown() && !m_shutdownShown)
        showShutdown(); // begun elsewhere (SIGTERM): show it all the same
}

std::array<double, 6> MainWindow::takeRefreshWorstMs() {
    return std::exchange(m_refreshWorstMs, {});
}

void MainWindow::refreshStatusBar(const std::vector<MarketHealth>& health) {
    double rate = 0;
    for (const auto& h : health)
        rate += h.eventsPerSecond;
    const DeskStatus status = DeskStatus::of(health, m_engine.isHalted(), m_engine.isShuttingDown());
    const char* tone = status.tone == Tone::Bad ? "danger" : status.tone == Tone::Warning ? "warning" : "ok";
    if (m_engineState->property("tone").toString() != tone) {
        m_engineState->setProperty("tone", tone);
        m_engineState->style()->unpolish(m_engineState);
        m_engineState->style()->polish(m_engineState);
    }
    m_engineState->setText(QStringLiteral("●  ") + status.text);
    m_engineState->setToolTip(status.marketsHalted
                                  ? tr("Halted markets place nothing (their breaker or their own switch); the "
                                       "Markets panel says why")
                                  : QString());
    m_statusMarkets->setText(tr("%1  ·  markets up %2 / %3").arg(status.text).arg(status.marketsUp).arg(health.size()));
    m_statusRate->setText(tr("%1 events/s").arg(QLocale().toString(rate, 'f', 0)));
    m_statusUptime->setText(tr("uptime %1").arg(duration(m_engine.uptimeSeconds())));
}

void MainWindow::selectMarket(int market) {
    if (market < 0 || market >= static_cast<int>(m_engine.marketCount()))
        return;
    const bool changed = market != m_selectedMarket;
    m_selectedMarket = market;
    m_book->setMarket(market);
    m_ticket->setMarket(market);
    m_marketsPanel->selectMarket(market);
    if (changed)
        m_chart->setView(m_engine.marketView(static_cast<MarketId>(market)));
    m_book->setView(m_engine.marketView(static_cast<MarketId>(market)));
    m_tape->setView(m_engine.marketView(static_cast<MarketId>(market)));
    m_depth->setView(m_engine.marketView(static_cast<MarketId>(market)));
    m_ticket->setView(m_engine.marketView(static_cast<MarketId>(market)));
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

void MainWindow::haltTrading() {
    if (m_engine.isShuttingDown())
        return;
    // Pressed again while halted: still halted (the engine ignores a second halt).
    if (!m_engine.isHalted())
        logging::get("ui")->warn("user halted trading");
    m_engine.halt();
    onHaltChanged(m_engine.isHalted());
}

QString MainWindow::resumeSummary() const {
    const std::vector<MarketHealth> health = m_engine.health();
    QStringList resume, held, down;
    for (const auto& h : health) {
        const QString name = QString::fromStdString(h.name);
        if (!isActive(h.state))
            down << name;
        else if (!h.breakerReason.empty())
            held << tr("%1 (its breaker: %2)").arg(name, QString::fromStdString(h.breakerReason));
        else if (m_marketsPanel->userState(h.id) != TradingState::Active)
            held << tr("%1 (its own switch: %2)")
                        .arg(name, QString::fromLatin1(nameOf(m_marketsPanel->userState(h.id)).data()));
        else
            resume << name;
    }
    QString text = resume.isEmpty() ? tr("No market will place orders again yet.")
                                    : tr("The strategy places orders again on: <b>%1</b>.").arg(resume.join(", "));
    if (!held.isEmpty())
        text += "<br>" + tr("Still held: %1.").arg(held.join(", "));
    if (!down.isEmpty())
        text += "<br>" + tr("Not running (unchanged): %1.").arg(down.join(", "));
    const std::string failure = m_engine.strategyFailure();
    if (!failure.empty())
        text += "<br><br>" + tr("Halted by its own failure (resume it from the Strategies panel): %1.")
                                 .arg(QString::fromStdString(failure).toHtmlEscaped());
    return text;
}

bool MainWindow::resumeTrading() {
    if (!m_engine.isHalted() || m_engine.isShuttingDown() || m_asking)
        return false;
    m_asking = true;
    QMessageBox box(QMessageBox::Question, tr("Resume trading?"), tr("<b>Resume trading?</b>"), QMessageBox::NoButton,
                    this);
    box.setObjectName("resumeConfirmation");
    box.setInformativeText(resumeSummary());
    QPushButton* resume = box.addButton(tr("Resume trading"), QMessageBox::AcceptRole);
    QPushButton* stay = box.addButton(tr("Stay halted"), QMessageBox::RejectRole);
    resume->setObjectName("confirmResume");
    box.setDefaultButton(stay); // Enter keeps the desk halted: resuming takes a deliberate click
    box.setEscapeButton(stay);
    box.exec();
    m_asking = false;
    if (box.clickedButton() != resume)
        return false;
    logging::get("ui")->warn("user resumed trading");
    m_engine.resume();
    onHaltChanged(m_engine.isHalted());
    return true;
}

void MainWindow::onHaltChanged(bool halted) {
    m_halt->setText(halted ? tr("HALTED") : tr("HALT TRADING"));
    m_resumeButtonAction->setVisible(halted);
    m_resumeAction->setEnabled(halted);
    m_haltBar->setVisible(halted);
    setWindowTitle(halted ? tr("MarketDesk — TRADING HALTED") : tr("MarketDesk"));
    if (m_engineState)
        refreshStatusBar(m_engine.health());
}

void MainWindow::onAlertRaised(const Alert& alert) {
    if (m_alerts->book().isMuted(alert.kind))
        return;
    m_notifier->notify(alert);
    if (alert.severity == AlertSeverity::Critical)
        showAlerts();
}

void MainWindow::showAlerts() {
    if (auto* d = findChild<QDockWidget*>("alertsDock")) {
        d->show();
        d->raise();
    }
    // After the panel has taken in every alert of this evaluation (they are raised one by one).
    QTimer::singleShot(0, m_alertsPanel, &AlertsPanel::showNewest);
}

bool MainWindow::confirmQuit() {
    std::uint64_t open = 0;
    QStringList where;
    for (const auto& h : m_engine.health()) {
        if (h.openOrders == 0)
            continue;
        open += h.openOrders;
        where << QString("%1: %2").arg(QString::fromStdString(h.name)).arg(h.openOrders);
    }
    if (open == 0)
        return true;
    if (m_asking)
        return false;
    return askFirst(
        {"quitConfirmation", tr("Quit MarketDesk?"),
         tr("<b>%n order(s) of ours are open</b> (%1).", nullptr, static_cast<int>(open)).arg(where.join(", ")),
         tr("Quitting runs the orderly shutdown: the strategy is told, open orders are "
            "cancelled and every market stops within its %1 s grace.")
             .arg(m_engine.settings().graceSeconds),
         tr("&Shut down and cancel them"), "confirmQuit", tr("&Keep trading")});
}

bool MainWindow::askFirst(const Question& q) {
    m_asking = true;
    QMessageBox box(QMessageBox::Warning, q.title, q.text, QMessageBox::NoButton, this);
    box.setObjectName(q.objectName);
    box.setInformativeText(q.detail);
    QPushButton* yes = box.addButton(q.yes, QMessageBox::AcceptRole);
    QPushButton* no = box.addButton(q.no, QMessageBox::RejectRole);
    yes->setObjectName(q.yesObjectName);
    box.setDefaultButton(no);
    box.setEscapeButton(no);
    box.exec();
    m_asking = false;
    return box.clickedButton() == yes;
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    if (m_layout)
        m_layout->adapt(event->size().width());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // The window stays until the orderly shutdown is over; a second close changes nothing.
    event->ignore();
    if (m_shutdownShown || m_asking)
        return;
    if (!m_engine.isShuttingDown() && m_confirmQuit && !confirmQuit())
        return;
    if (m_shutdownShown) // a signal began the shutdown while the question was open
        return;
    beginClose();
}

void MainWindow::beginClose() {
    saveLayout();
    showShutdown();
    m_engine.beginShutdown(); // does nothing when already under way
}

void MainWindow::showShutdown() {
    m_shutdownShown = true;
    m_marketsPanel->setEnabled(false); // no toggles while everything stops
    m_halt->setEnabled(false);
    m_resume->setEnabled(false);
    m_resumeAction->setEnabled(false);
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
    m_alerts->evaluate(); // what the shutdown left behind is in the panel too
    if (!m_shutdownDialog)
        showShutdown();
    if (m_shutdownDialog->showsReport())
        return;
    if (report.needsAttention()) {
        // Something was not clean: the report waits for the trader, however long that takes.
        m_shutdownDialog->showReport(report, -1);
        m_shutdownDialog->raise();
        m_shutdownDialog->activateWindow();
        return;
    }
    m_shutdownDialog->showReport(report, m_reportHoldMs);
    // A clean report stays on screen for a moment, then the application ends on its own.
    QTimer::singleShot(m_reportHoldMs, this, [this, report] { complete(report); });
}

void MainWindow::complete(const ShutdownReport& report) {
    if (m_completeEmitted)
        return;
    m_completeEmitted = true;
    emit shutdownComplete(report);
}

void MainWindow::setConfiguration(const AppConfig& config,
                                  std::function<std::optional<std::string>(const QString&)> check) {
    m_configFiles = std::make_unique<ConfigurationFiles>(m_engine, config, std::move(check));
    m_openConfig->setEnabled(true);
    m_saveConfig->setEnabled(true);
}

std::optional<QString> MainWindow::saveConfigurationAs(const QString& path) {
    const auto saved = m_configFiles->save(path);
    if (saved.error) {
        QMessageBox box(QMessageBox::Critical, tr("Configuration not saved"), tr("<b>Nothing was saved.</b>"),
                        QMessageBox::Close, this);
        box.setObjectName("saveConfigurationError");
        box.setInformativeText(*saved.error);
        box.exec();
        return saved.error;
    }
    QString message = tr("Configuration saved to %1 (the strategies' parameters as they are now)").arg(path);
    if (!saved.secretsLeftOut.isEmpty())
        message +=
            tr("; not written: %1 (give keys as api_key_env / api_secret_env)").arg(saved.secretsLeftOut.join(", "));
    statusBar()->showMessage(message, 10000);
    return std::nullopt;
}

bool MainWindow::openConfiguration(const QString& path) {
    if (m_shutdownShown || m_asking || m_engine.isShuttingDown())
        return false;
    if (const auto error = m_configFiles->check(path)) {
        QMessageBox box(QMessageBox::Critical, tr("Configuration refused"),
                        tr("<b>%1 cannot be opened.</b> The desk runs on unchanged.").arg(path.toHtmlEscaped()),
                        QMessageBox::Close, this);
        box.setObjectName("openConfigurationError");
        box.setInformativeText(*error);
        box.exec();
        return false;
    }
    std::uint64_t open = 0;
    for (const auto& h : m_engine.health())
        open += h.openOrders;
    const bool restart = askFirst(
        {"openConfirmation", tr("Restart on another configuration?"),
         tr("<b>Opening %1 restarts the desk.</b>").arg(path.toHtmlEscaped()),
         tr("The orderly shutdown runs first: every strategy is told, %n open order(s) will be cancelled and every "
            "market stops within its %1 s grace. Then MarketDesk starts again on the new configuration.",
            nullptr, static_cast<int>(open))
             .arg(m_engine.settings().graceSeconds),
         tr("&Restart on it"), "confirmOpen", tr("&Keep running")});
    if (!restart || m_shutdownShown || m_engine.isShuttingDown())
        return false;
    emit openConfigurationConfirmed(path);
    beginClose();
    return true;
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
