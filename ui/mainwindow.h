#pragma once

#include "engine/health.h"
#include "journal/sqlitejournal.h"

#include <QFuture>
#include <QMainWindow>

#include <memory>

class QAbstractItemModel;
class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;
class QToolBar;

namespace md {

class BalancesPanel;
class BookPanel;
class ChartPanel;
class Engine;
class LeftoverOrdersBar;
class LogPanel;
class MarketsModel;
class MarketsPanel;
class OrderBookModel;
class OrdersModel;
class OrdersPanel;
class PositionsPanel;
class ReasoningModel;
class ShutdownDialog;

/// The workstation window: dockable Markets, Order book, Orders/Fills, Log, Strategy reasoning and
/// Chart panels, a status bar, and the Halt switch. It polls the engine's snapshots on one timer
/// (each panel 2–10 times a second) — never one signal per market event — and never blocks on the
/// engine. Closing it (or
/// Ctrl+Q) runs the orderly shutdown with a live dialog and the close-out report, then emits
/// shutdownComplete; a shutdown begun elsewhere (a signal) shows the same dialog.
/// Thread: the UI thread (the engine's thread).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Engine& engine, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// How long the close-out report stays on screen before shutdownComplete (tests: 0).
    void setReportHoldMs(int ms) { m_reportHoldMs = ms; }
    int reportHoldMs() const { return m_reportHoldMs; }
    /// One refresh from the engine now (tests; the timer does it otherwise).
    void refresh();
    /// Docks and geometry to QSettings (also done when the window closes).
    void saveLayout();
    /// Writes a table (log, orders, fills) to a CSV file off the UI thread, with progress in the
    /// status bar; the future's result is empty on success, else the error.
    QFuture<QString> exportTo(QAbstractItemModel* model, const QString& path);

    MarketsModel* marketsModel() const;
    OrdersModel* ordersModel() const;
    OrderBookModel* bookModel() const;
    ReasoningModel* reasoningModel() const { return m_reasoning; }
    OrdersPanel* ordersPanel() const { return m_ordersPanel; }
    PositionsPanel* positionsPanel() const { return m_positionsPanel; }
    BalancesPanel* balancesPanel() const { return m_balancesPanel; }
    BookPanel* bookPanel() const { return m_book; }
    QPushButton* haltButton() const { return m_halt; }
    QLabel* haltedBanner() const { return m_haltedBanner; }
    LeftoverOrdersBar* leftoverBar() const { return m_leftoverBar; }
    /// Orders earlier runs left open or unknown (the start-up reconciliation's outstanding list):
    /// shown in a banner with a one-click cancel; an empty list hides it.
    void setLeftoverOrders(std::vector<JournalOrder> orders);
    LogPanel* logPanel() const { return m_log; }
    ShutdownDialog* shutdownDialog() const { return m_shutdownDialog; }
    ChartPanel* chartPanel() const { return m_chart; }
    QProgressBar* exportProgress() const { return m_exportProgress; }
    QTableView* marketsView() const;
    int selectedMarket() const { return m_selectedMarket; }

signals:
    /// The orderly shutdown is over and its report was shown; the application may end now
    /// (exit code 0 when report.allClean(), else the "killed" code).
    void shutdownComplete(const md::ShutdownReport& report);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    enum Panel : unsigned {
        RefreshMarkets = 1,
        RefreshStatus = 2,
        RefreshBook = 4,
        RefreshOrders = 8,
        RefreshReasoning = 16,
        RefreshLog = 32,
        RefreshChart = 64,
        RefreshMoney = 128,
        RefreshAll = 255
    };
    void onTick();
    void refreshPanels(unsigned panels);
    void buildPanels();
    void buildToolbarAndMenus();
    void restoreLayout();
    void onHaltChanged(bool halted);
    void onShutdownFinished(const ShutdownReport& report);
    void selectMarket(int market);
    void exportModel(QAbstractItemModel* model, const QString& suggestedName);
    void refreshStatusBar(const std::vector<MarketHealth>& health);
    void showShutdown();
    void complete(const ShutdownReport& report);

    Engine& m_engine;
    ReasoningModel* m_reasoning;
    MarketsPanel* m_marketsPanel = nullptr;
    BookPanel* m_book = nullptr;
    OrdersPanel* m_ordersPanel = nullptr;
    PositionsPanel* m_positionsPanel = nullptr;
    BalancesPanel* m_balancesPanel = nullptr;
    std::uint64_t m_moneyVersion = ~0ull;
    LogPanel* m_log = nullptr;
    ChartPanel* m_chart = nullptr;
    QPushButton* m_halt = nullptr;
    QAction* m_haltAction = nullptr;
    QToolBar* m_haltBar = nullptr;
    QLabel* m_haltedBanner = nullptr;
    LeftoverOrdersBar* m_leftoverBar = nullptr;
    QLabel* m_engineState = nullptr;
    QLabel* m_statusRate = nullptr;
    QLabel* m_statusUptime = nullptr;
    QLabel* m_statusMarkets = nullptr;
    QLabel* m_statusPnl = nullptr;
    QProgressBar* m_exportProgress = nullptr;
    ShutdownDialog* m_shutdownDialog = nullptr;
    QTimer* m_timer;
    int m_selectedMarket = 0;
    int m_tick = 0;
    int m_reportHoldMs = 4000;
    bool m_shutdownShown = false;
    bool m_completeEmitted = false;
    std::vector<std::uint64_t> m_viewVersions;
};

/// A configuration (or journal) error in GUI mode: a modal dialog naming the field; returns when
/// the user closes it.
void showConfigError(const QString& message);

} // namespace md
