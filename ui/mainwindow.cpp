#include "mainwindow.h"

#include "appicon.h"
#include "chartpanel.h"
#include "csvexporter.h"
#include "logpanel.h"
#include "marketsmodel.h"
#include "orderbookmodel.h"
#include "ordersmodel.h"
#include "reasoningmodel.h"
#include "shutdowndialog.h"
#include "theme.h"
#include "tradingdelegate.h"
#include "uiroles.h"

#include "engine/engine.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace md {
namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent, const char* name) {
    auto* view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setItemDelegate(new TradingDelegate(view));
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(20);
    view->horizontalHeader()->setHighlightSections(false);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    QFont mono("DejaVu Sans Mono");
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(view->font().pointSizeF() * 0.95);
    view->setFont(mono);
    return view;
}

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

} // namespace

MainWindow::MainWindow(Engine& engine, QWidget* parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_markets(new MarketsModel(this))
    , m_book(new OrderBookModel(15, this))
    , m_orders(new OrdersModel(this))
    , m_fills(new FillsModel(this))
    , m_reasoning(new ReasoningModel(5000, this))
    , m_timer(new QTimer(this)) {
    setWindowTitle(tr("MarketDesk"));
    setWindowIcon(appIcon());
    setObjectName("MainWindow");
    setDockNestingEnabled(true);
    buildPanels();
    buildToolbarAndMenus();
    restoreLayout();

    connect(m_markets, &MarketsModel::toggleRequested, this, [this](int market, bool on) {
        if (on)
            m_engine.startMarket(static_cast<MarketId>(market));
        else
            m_engine.stopMarket(static_cast<MarketId>(market));
    });
    connect(&m_engine, &Engine::haltChanged, this, &MainWindow::onHaltChanged);
    connect(&m_engine, &Engine::shutdownFinished, this, &MainWindow::onShutdownFinished);
    // At most 10 refreshes a second: what the eye can use, and bounded UI work at any event rate.
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &MainWindow::refresh);
    m_timer->start();
    onHaltChanged(m_engine.isHalted());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanels() {
    // Centre: the price chart, with the HALTED banner above it.
    auto* centre = new QWidget(this);
    auto* centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    m_haltedBanner =
        new QLabel(tr("TRADING HALTED — no new orders, open orders cancelled, cancels still pass"), centre);
    m_haltedBanner->setObjectName("haltedBanner");
    m_haltedBanner->setAlignment(Qt::AlignCenter);
    m_haltedBanner->hide();
    m_chart = new ChartPanel(centre);
    centreLayout->addWidget(m_haltedBanner);
    centreLayout->addWidget(m_chart, 1);
    setCentralWidget(centre);

    // Markets.
    auto* marketsBox = new QWidget(this);
    auto* marketsLayout = new QVBoxLayout(marketsBox);
    marketsLayout->setContentsMargins(0, 0, 0, 0);
    marketsLayout->setSpacing(0);
    m_marketsView = makeTable(m_markets, marketsBox, "marketsView");
    m_marketsView->horizontalHeader()->setStretchLastSection(false);
    m_marketsView->horizontalHeader()->setSectionResizeMode(MarketsModel::Connector, QHeaderView::Stretch);
    m_marketsView->setColumnWidth(MarketsModel::On, 30);
    m_marketsView->setColumnWidth(MarketsModel::Market, 110);
    for (int c = MarketsModel::EventsPerSecond; c < MarketsModel::ColumnCount; ++c)
        m_marketsView->setColumnWidth(c, 96);
    m_marketsView->setColumnWidth(MarketsModel::State, 90);
    m_marketDetail = new QLabel(marketsBox);
    m_marketDetail->setWordWrap(true);
    m_marketDetail->setContentsMargins(8, 3, 8, 3);
    marketsLayout->addWidget(m_marketsView, 1);
    marketsLayout->addWidget(m_marketDetail);
    m_marketsView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_marketsView, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const QModelIndex index = m_marketsView->indexAt(at);
        const MarketHealth* m = m_markets->market(index.row());
        if (!m)
            return;
        QMenu menu(this);
        const auto id = static_cast<MarketId>(index.row());
        menu.addAction(tr("Halt %1 (cancel its orders)").arg(QString::fromStdString(m->name)), this,
                       [this, id] { m_engine.setMarketTradingState(id, TradingState::Halted); });
        menu.addAction(tr("Reduce only"), this,
                       [this, id] { m_engine.setMarketTradingState(id, TradingState::ReduceOnly); });
        menu.addAction(tr("Resume %1").arg(QString::fromStdString(m->name)), this,
                       [this, id] { m_engine.setMarketTradingState(id, TradingState::Active); });
        menu.addSeparator();
        if (isActive(m->state))
            menu.addAction(tr("Switch off"), this, [this, id] { m_engine.stopMarket(id); });
        else
            menu.addAction(tr("Switch on (restart)"), this, [this, id] { m_engine.startMarket(id); });
        menu.exec(m_marketsView->viewport()->mapToGlobal(at));
    });
    connect(m_marketsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { selectMarket(current.row()); });
    addDockWidget(Qt::TopDockWidgetArea, dock(tr("Markets"), "marketsDock", marketsBox, this));

    // Order book.
    auto* bookBox = new QWidget(this);
    auto* bookLayout = new QVBoxLayout(bookBox);
    bookLayout->setContentsMargins(0, 0, 0, 0);
    bookLayout->setSpacing(2);
    auto* bookBar = new QHBoxLayout;
    bookBar->setContentsMargins(4, 2, 4, 0);
    m_bookMarket = new QComboBox(bookBox);
    for (std::size_t i = 0; i < m_engine.marketCount(); ++i)
        m_bookMarket->addItem(QString::fromStdString(m_engine.marketSpec(static_cast<MarketId>(i)).name));
    m_spread = new QLabel(bookBox);
    bookBar->addWidget(m_bookMarket, 1);
    bookBar->addWidget(m_spread);
    auto* ladder = makeTable(m_book, bookBox, "bookView");
    m_ladder = ladder;
    ladder->setSelectionMode(QAbstractItemView::NoSelection);
    ladder->setAlternatingRowColors(false);
    ladder->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    ladder->horizontalHeader()->setSectionResizeMode(OrderBookModel::Mine, QHeaderView::Fixed);
    ladder->setColumnWidth(OrderBookModel::Mine, 34);
    bookLayout->addLayout(bookBar);
    bookLayout->addWidget(ladder, 1);
    connect(m_bookMarket, &QComboBox::currentIndexChanged, this, &MainWindow::selectMarket);
    addDockWidget(Qt::LeftDockWidgetArea, dock(tr("Order book"), "bookDock", bookBox, this));

    // Orders and fills.
    auto* tabs = new QTabWidget(this);
    auto* ordersBox = new QWidget(tabs);
    auto* ordersLayout = new QVBoxLayout(ordersBox);
    ordersLayout->setContentsMargins(0, 0, 0, 0);
    m_ordersProxy = new QSortFilterProxyModel(this);
    m_ordersProxy->setSourceModel(m_orders);
    m_ordersProxy->setSortRole(SortRole);
    m_ordersView = makeTable(m_ordersProxy, ordersBox, "ordersView");
    m_ordersView->setSortingEnabled(true);
    m_ordersView->sortByColumn(OrdersModel::Updated, Qt::DescendingOrder);
    m_ordersView->horizontalHeader()->setStretchLastSection(true);
    m_ordersView->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* cancelAction = new QAction(tr("Cancel order"), m_ordersView);
    connect(cancelAction, &QAction::triggered, this, &MainWindow::cancelSelectedOrder);
    m_ordersView->addAction(cancelAction);
    auto* ordersBar = new QHBoxLayout;
    auto* cancelButton = new QPushButton(tr("Cancel selected"), ordersBox);
    cancelButton->setObjectName("cancelOrderButton");
    connect(cancelButton, &QPushButton::clicked, this, &MainWindow::cancelSelectedOrder);
    auto* exportOrders = new QPushButton(tr("Export…"), ordersBox);
    connect(exportOrders, &QPushButton::clicked, this, [this] { exportModel(m_ordersProxy, "marketdesk-orders.csv"); });
    ordersBar->addWidget(cancelButton);
    ordersBar->addStretch(1);
    ordersBar->addWidget(exportOrders);
    ordersLayout->addWidget(m_ordersView, 1);
    ordersLayout->addLayout(ordersBar);
    tabs->addTab(ordersBox, tr("Orders"));
    auto* fillsBox = new QWidget(tabs);
    auto* fillsLayout = new QVBoxLayout(fillsBox);
    fillsLayout->setContentsMargins(0, 0, 0, 0);
    auto* fillsProxy = new QSortFilterProxyModel(this);
    fillsProxy->setSourceModel(m_fills);
    fillsProxy->setSortRole(SortRole);
    auto* fillsView = makeTable(fillsProxy, fillsBox, "fillsView");
    fillsView->setSortingEnabled(true);
    fillsView->sortByColumn(FillsModel::Time, Qt::DescendingOrder);
    fillsView->horizontalHeader()->setStretchLastSection(true);
    auto* exportFills = new QPushButton(tr("Export…"), fillsBox);
    connect(exportFills, &QPushButton::clicked, this,
            [this, fillsProxy] { exportModel(fillsProxy, "marketdesk-fills.csv"); });
    fillsLayout->addWidget(fillsView, 1);
    fillsLayout->addWidget(exportFills, 0, Qt::AlignRight);
    tabs->addTab(fillsBox, tr("Fills"));
    addDockWidget(Qt::BottomDockWidgetArea, dock(tr("Orders & fills"), "ordersDock", tabs, this));

    // Log.
    QStringList names;
    for (std::size_t i = 0; i < m_engine.marketCount(); ++i)
        names << QString::fromStdString(m_engine.marketSpec(static_cast<MarketId>(i)).name);
    m_log = new LogPanel(names, this);
    connect(m_log, &LogPanel::exportRequested, this, &MainWindow::exportModel);
    auto* logDock = dock(tr("Log"), "logDock", m_log, this);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);

    // Strategy reasoning.
    auto* reasoningView = makeTable(m_reasoning, this, "reasoningView");
    reasoningView->horizontalHeader()->setStretchLastSection(true);
    reasoningView->setColumnWidth(ReasoningModel::Time, 95);
    reasoningView->setColumnWidth(ReasoningModel::Market, 100);
    reasoningView->setFont(QFont());
    addDockWidget(Qt::RightDockWidgetArea, dock(tr("Strategy reasoning"), "reasoningDock", reasoningView, this));

    // Status bar.
    m_statusEngine = new QLabel(this);
    m_statusRate = new QLabel(this);
    m_statusUptime = new QLabel(this);
    m_statusMarkets = new QLabel(this);
    m_exportProgress = new QProgressBar(this);
    m_exportProgress->setMaximumWidth(160);
    m_exportProgress->hide();
    statusBar()->addWidget(m_statusEngine);
    statusBar()->addWidget(m_statusMarkets);
    statusBar()->addWidget(m_statusRate);
    statusBar()->addPermanentWidget(m_exportProgress);
    statusBar()->addPermanentWidget(m_statusUptime);
}

void MainWindow::buildToolbarAndMenus() {
    auto* toolbar = addToolBar(tr("Trading"));
    toolbar->setObjectName("tradingToolbar");
    toolbar->setMovable(false);
    m_halt = new QPushButton(tr("HALT TRADING"), toolbar);
    m_halt->setObjectName("haltButton");
    m_halt->setCheckable(true);
    m_halt->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    m_halt->setToolTip(tr("Halt: no new orders, open orders cancelled, cancels still pass (Ctrl+Shift+H)"));
    connect(m_halt, &QPushButton::clicked, this, [this](bool checked) {
        if (checked)
            m_engine.halt();
        else
            m_engine.resume();
    });
    toolbar->addWidget(m_halt);

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setShortcutContext(Qt::ApplicationShortcut);
    addAction(quit);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    for (auto* d : findChildren<QDockWidget*>())
        viewMenu->addAction(d->toggleViewAction());
    viewMenu->addSeparator();
    auto* themeMenu = viewMenu->addMenu(tr("Theme"));
    for (ThemeChoice choice : {ThemeChoice::System, ThemeChoice::Dark, ThemeChoice::Light}) {
        themeMenu->addAction(themeChoiceName(choice), this, [this, choice] {
            QSettings().setValue("theme", themeChoiceName(choice));
            applyTheme(*qApp, choice);
            m_chart->applyTheme();
        });
    }
}

void MainWindow::restoreLayout() {
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(1500, 920);
    if (restoreState(settings.value("window/state").toByteArray()))
        return;
    // First start: a dense default — markets strip on top, ladder left, reasoning right, orders and
    // log side by side at the bottom, the chart in the middle.
    auto* markets = findChild<QDockWidget*>("marketsDock");
    auto* book = findChild<QDockWidget*>("bookDock");
    auto* reasoning = findChild<QDockWidget*>("reasoningDock");
    auto* orders = findChild<QDockWidget*>("ordersDock");
    auto* log = findChild<QDockWidget*>("logDock");
    splitDockWidget(orders, log, Qt::Horizontal);
    resizeDocks({markets}, {118}, Qt::Vertical);
    resizeDocks({book, reasoning}, {340, 440}, Qt::Horizontal);
    resizeDocks({orders, log}, {620, 880}, Qt::Horizontal);
    resizeDocks({orders}, {270}, Qt::Vertical);
}

void MainWindow::saveLayout() {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
}

void MainWindow::refresh() {
    ++m_tick;
    auto health = m_engine.health();
    m_markets->setSnapshot(health);
    if (const MarketHealth* m = m_markets->market(m_selectedMarket)) {
        QString detail =
            QString("<b>%1</b> · %2").arg(QString::fromStdString(m->name), QString::fromStdString(m->symbol));
        if (!m->stateReason.empty())
            detail += " · " + QString::fromStdString(m->stateReason).toHtmlEscaped();
        if (!m->breakerReason.empty())
            detail += QString(" · <span style='color:%1'>breaker: %2</span>")
                          .arg(themeColors().danger.name(), QString::fromStdString(m->breakerReason).toHtmlEscaped());
        m_marketDetail->setText(detail);
    }
    auto selected = m_engine.marketView(static_cast<MarketId>(m_selectedMarket));
    const bool firstBook = !m_ladderCentred && selected && !selected->bids.empty();
    m_book->setView(selected);
    if (firstBook) {
        // Keep the spread in the middle of the ladder.
        m_ladder->scrollTo(m_book->index(m_book->bestAskRow(), 0), QAbstractItemView::PositionAtCenter);
        m_ladderCentred = true;
    }
    if (selected && !selected->bids.empty() && !selected->asks.empty()) {
        const Price spread(selected->asks.front().price.decimal() - selected->bids.front().price.decimal());
        m_spread->setText(tr("spread %1").arg(QString::fromStdString(spread.toString())));
    }
    // Orders and fills of every market, rebuilt only when some market published a new view.
    std::vector<std::shared_ptr<const MarketView>> views;
    bool changed = false;
    m_viewVersions.resize(m_engine.marketCount(), 0);
    for (std::size_t i = 0; i < m_engine.marketCount(); ++i) {
        views.push_back(m_engine.marketView(static_cast<MarketId>(i)));
        const std::uint64_t version = views.back() ? views.back()->version : 0;
        changed = changed || version != m_viewVersions[i];
        m_viewVersions[i] = version;
    }
    if (changed) {
        std::vector<OrderView> orders;
        std::vector<FillView> fills;
        std::vector<std::string> names;
        for (const auto& v : views) {
            names.push_back(v ? v->name : std::string());
            if (!v)
                continue;
            orders.insert(orders.end(), v->openOrders.begin(), v->openOrders.end());
            orders.insert(orders.end(), v->closedOrders.end() - std::min<std::size_t>(v->closedOrders.size(), 200),
                          v->closedOrders.end());
            fills.insert(fills.end(), v->fills.begin(), v->fills.end());
        }
        m_orders->setOrders(std::move(orders), names);
        m_fills->setFills(std::move(fills), names);
    }
    m_reasoning->append(m_engine.reasoningSince(m_reasoning->lastSequence(), 500));
    m_log->pull();
    if (m_tick % 5 == 0)
        m_chart->setView(selected);
    refreshStatusBar(health);
}

void MainWindow::refreshStatusBar(const std::vector<MarketHealth>& health) {
    double rate = 0;
    int up = 0;
    for (const auto& h : health) {
        rate += h.eventsPerSecond;
        up += h.state == MarketState::Running || h.state == MarketState::Degraded;
    }
    const ThemeColors& c = themeColors();
    QString engineText;
    if (m_engine.isShuttingDown())
        engineText = QString("<span style='color:%1'>● SHUTTING DOWN</span>").arg(c.warning.name());
    else if (m_engine.isHalted())
        engineText = QString("<span style='color:%1'>● HALTED</span>").arg(c.danger.name());
    else
        engineText = QString("<span style='color:%1'>● TRADING</span>").arg(c.ok.name());
    m_statusEngine->setText(engineText);
    m_statusMarkets->setText(tr("markets up %1 / %2").arg(up).arg(health.size()));
    m_statusRate->setText(tr("%1 events/s").arg(rate, 0, 'f', 0));
    m_statusUptime->setText(tr("uptime %1").arg(duration(m_engine.uptimeSeconds())));
}

void MainWindow::selectMarket(int market) {
    if (market < 0 || market >= static_cast<int>(m_engine.marketCount()) || market == m_selectedMarket)
        return;
    m_selectedMarket = market;
    m_ladderCentred = false;
    m_bookMarket->setCurrentIndex(market);
    if (m_marketsView->currentIndex().row() != market)
        m_marketsView->selectRow(market);
    refresh();
}

void MainWindow::cancelSelectedOrder() {
    const QModelIndex current = m_ordersView->currentIndex();
    if (!current.isValid())
        return;
    const OrderView* order = m_orders->order(m_ordersProxy->mapToSource(current).row());
    if (!order || order->status == OrderStatus::Filled || order->status == OrderStatus::Cancelled ||
        order->status == OrderStatus::Rejected)
        return;
    m_engine.cancelOrder(order->market, order->id);
    statusBar()->showMessage(tr("cancel sent for order #%1").arg(order->id), 3000);
}

void MainWindow::exportModel(QAbstractItemModel* model, const QString& suggestedName) {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export"), suggestedName, tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
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
    watcher->setFuture(CsvExporter::write(path, CsvExporter::snapshot(*model)));
}

void MainWindow::onHaltChanged(bool halted) {
    m_halt->setChecked(halted);
    m_halt->setText(halted ? tr("RESUME TRADING") : tr("HALT TRADING"));
    m_haltedBanner->setVisible(halted);
    setWindowTitle(halted ? tr("MarketDesk — TRADING HALTED") : tr("MarketDesk"));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    // The window stays until the orderly shutdown is over; a second close changes nothing.
    event->ignore();
    if (m_shutdownStarted)
        return;
    m_shutdownStarted = true;
    saveLayout();
    m_shutdownDialog = new ShutdownDialog(m_engine, this);
    connect(m_shutdownDialog, &ShutdownDialog::acknowledged, this, [this] {
        if (auto report = m_engine.shutdownReport())
            complete(*report);
    });
    m_shutdownDialog->open();
    m_engine.beginShutdown();
}

void MainWindow::onShutdownFinished(const ShutdownReport& report) {
    m_timer->stop();
    refresh();
    if (m_shutdownDialog)
        m_shutdownDialog->showReport(report);
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
                    QObject::tr("MarketDesk did not start: nothing was traded."), QMessageBox::Close);
    box.setInformativeText(message);
    box.setWindowIcon(appIcon());
    box.exec();
}

} // namespace md
