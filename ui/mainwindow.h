#pragma once

#include "engine/health.h"
#include "journal/sqlitejournal.h"

#include <QFuture>
#include <QMainWindow>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

class QAbstractItemModel;
class QAction;
class QLabel;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;
class QToolBar;

namespace md {

class AlertBadge;
class AlertMonitor;
class AlertsPanel;
class BalancesPanel;
class StrategiesPanel;
class BookPanel;
class DepthChart;
class TapePanel;
class OrderTicketPanel;
class ChartPanel;
class ConfigurationFiles;
struct AppConfig;
class DesktopNotifier;
class DockLayout;
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
class ReasoningPanel;
class ShutdownDialog;
struct Alert;

/// The workstation window: dockable Markets, Order book, Orders/Fills, Log, Strategy reasoning,
/// Alerts and Chart panels, a status bar with the alarm badge, the kill switch (HALT only halts;
/// Resume is separate and asks first). It polls the engine's snapshots on one timer (each panel 2–10
/// times a second) — never one signal per market event — and never blocks on the engine. Closing it
/// (or Ctrl+Q; asked first while orders are open) runs the orderly shutdown with a live dialog and the
/// close-out report, then emits shutdownComplete — at once for a clean close-out, when the trader
/// closes the report otherwise; a shutdown begun elsewhere (a signal) shows the same dialog.
/// Thread: the UI thread (the engine's thread).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// `alerts`: the desk's alert monitor (app/ owns it); null: the window keeps one of its own.
    explicit MainWindow(Engine& engine, AlertMonitor* alerts = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// How long a clean close-out report stays on screen before shutdownComplete (tests: 0). A report
    /// that needs attention stays until the trader closes it, whatever this says.
    void setReportHoldMs(int ms) { m_reportHoldMs = ms; }
    int reportHoldMs() const { return m_reportHoldMs; }
    /// The longest each step of a panel refresh took since the last call, in ms: markets, book, orders,
    /// reasoning, log, chart + money + status (for bench_ui's breakdown of the window's own stalls).
    std::array<double, 6> takeRefreshWorstMs();
    /// The same steps of the latest refresh (ms), for a benchmark taking a long tick apart.
    const std::array<double, 6>& lastRefreshMs() const { return m_lastRefreshMs; }
    /// Whether Ctrl+Q and closing ask first while orders are open (on by default).
    void setConfirmQuit(bool on) { m_confirmQuit = on; }
    /// One refresh from the engine now (tests; the timer does it otherwise).
    void refresh();
    /// Docks and geometry to QSettings (also done when the window closes).
    void saveLayout();
    /// View → Reset layout.
    void resetLayout();
    /// Writes a table (log, orders, fills) to a CSV file off the UI thread, with progress in the
    /// status bar; the future's result is empty on success, else the error.
    QFuture<QString> exportTo(QAbstractItemModel* model, const QString& path);

    MarketsModel* marketsModel() const;
    OrdersModel* ordersModel() const;
    OrderBookModel* bookModel() const;
    ReasoningModel* reasoningModel() const { return m_reasoning; }
    ReasoningPanel* reasoningPanel() const { return m_reasoningPanel; }
    OrdersPanel* ordersPanel() const { return m_ordersPanel; }
    MarketsPanel* marketsPanel() const { return m_marketsPanel; }
    PositionsPanel* positionsPanel() const { return m_positionsPanel; }
    BalancesPanel* balancesPanel() const { return m_balancesPanel; }
    StrategiesPanel* strategiesPanel() const { return m_strategiesPanel; }
    BookPanel* bookPanel() const { return m_book; }
    TapePanel* tapePanel() const { return m_tape; }
    DepthChart* depthChart() const { return m_depth; }
    OrderTicketPanel* ticketPanel() const { return m_ticket; }
    AlertsPanel* alertsPanel() const { return m_alertsPanel; }
    AlertBadge* alertBadge() const { return m_alertBadge; }
    AlertMonitor& alertMonitor() const { return *m_alerts; }
    DesktopNotifier* notifier() const { return m_notifier; }
    QPushButton* haltButton() const { return m_halt; }
    QPushButton* resumeButton() const { return m_resume; }
    QAction* haltAction() const { return m_haltAction; }
    QAction* resumeAction() const { return m_resumeAction; }
    QLabel* haltedBanner() const { return m_haltedBanner; }
    QLabel* deskState() const { return m_engineState; }
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
    /// What Resume would restart, in words (the confirmation's text).
    QString resumeSummary() const;
    /// Enables File → Save configuration as… and File → Open (issue 17 part 5): the desk's loaded
    /// configuration and app/'s check of a file (the error naming the field, or none).
    void setConfiguration(const AppConfig& config, std::function<std::optional<std::string>(const QString&)> check);
    /// File → Save configuration as… after its file dialog: the error (also shown), or none.
    std::optional<QString> saveConfigurationAs(const QString& path);
    /// File → Open after its file dialog: checks the file (refused: an error dialog naming the field, and
    /// the desk runs on untouched), asks (naming the open orders the restart cancels), then emits
    /// openConfigurationConfirmed and runs the orderly shutdown. True when the restart began.
    bool openConfiguration(const QString& path);

public slots:
    /// The kill switch: no new placements on any market, open orders cancelled. Only ever halts.
    void haltTrading();
    /// Asks, naming what restarts, then resumes (true) — or leaves the desk halted (false).
    bool resumeTrading();

signals:
    /// The orderly shutdown is over and its report was shown; the application may end now
    /// (exit code 0 when report.allClean(), else the "killed" code).
    void shutdownComplete(const md::ShutdownReport& report);
    /// The trader chose to restart the desk on this configuration; the orderly shutdown follows.
    void openConfigurationConfirmed(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

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
    void onHaltChanged(bool halted);
    void onShutdownFinished(const ShutdownReport& report);
    void onAlertRaised(const Alert& alert);
    void showAlerts();
    void selectMarket(int market);
    void exportModel(QAbstractItemModel* model, const QString& suggestedName);
    void refreshStatusBar(const std::vector<MarketHealth>& health);
    /// True when the user agreed to quit (or nothing is open).
    bool confirmQuit();
    /// A warning that asks before something stops the desk; "no" is the default and Escape.
    struct Question {
        QString objectName, title, text, detail, yes, yesObjectName, no;
    };
    bool askFirst(const Question& question);
    /// The close path: layout saved, the shutdown dialog, the orderly shutdown.
    void beginClose();
    void showShutdown();
    void complete(const ShutdownReport& report);

    Engine& m_engine;
    AlertMonitor* m_alerts;
    ReasoningModel* m_reasoning;
    MarketsPanel* m_marketsPanel = nullptr;
    BookPanel* m_book = nullptr;
    TapePanel* m_tape = nullptr;
    DepthChart* m_depth = nullptr;
    OrderTicketPanel* m_ticket = nullptr;
    OrdersPanel* m_ordersPanel = nullptr;
    PositionsPanel* m_positionsPanel = nullptr;
    BalancesPanel* m_balancesPanel = nullptr;
    StrategiesPanel* m_strategiesPanel = nullptr;
    std::uint64_t m_moneyVersion = ~0ull;
    LogPanel* m_log = nullptr;
    ReasoningPanel* m_reasoningPanel = nullptr;
    AlertsPanel* m_alertsPanel = nullptr;
    ChartPanel* m_chart = nullptr;
    DockLayout* m_layout = nullptr;
    DesktopNotifier* m_notifier = nullptr;
    QPushButton* m_halt = nullptr;
    QPushButton* m_resume = nullptr;
    QAction* m_haltAction = nullptr;
    QAction* m_resumeAction = nullptr;
    QAction* m_resumeButtonAction = nullptr; // the toolbar's Resume button (shown while halted)
    QToolBar* m_haltBar = nullptr;
    QLabel* m_haltedBanner = nullptr;
    LeftoverOrdersBar* m_leftoverBar = nullptr;
    QLabel* m_engineState = nullptr;
    QLabel* m_statusRate = nullptr;
    QLabel* m_statusUptime = nullptr;
    QLabel* m_statusMarkets = nullptr;
    AlertBadge* m_alertBadge = nullptr;
    QLabel* m_statusPnl = nullptr;
    QProgressBar* m_exportProgress = nullptr;
    ShutdownDialog* m_shutdownDialog = nullptr;
    QTimer* m_timer;
    std::unique_ptr<ConfigurationFiles> m_configFiles;
    QAction* m_saveConfig = nullptr;
    QAction* m_openConfig = nullptr;
    int m_selectedMarket = 0;
    int m_tick = 0;
    std::array<double, 6> m_refreshWorstMs{};
    std::array<double, 6> m_lastRefreshMs{};
    int m_reportHoldMs = 4000;
    bool m_confirmQuit = true;
    bool m_asking = false;
    bool m_shutdownShown = false;
    bool m_completeEmitted = false;
    std::vector<std::uint64_t> m_viewVersions;
};

/// A configuration (or journal) error in GUI mode: a modal dialog naming the field; returns when
/// the user closes it.
void showConfigError(const QString& message);

} // namespace md
