#pragma once

#include "engine/health.h"

#include <QMainWindow>

#include <memory>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace md {

class ChartPanel;
class Engine;
class FillsModel;
class LogPanel;
class MarketsModel;
class OrderBookModel;
class OrdersModel;
class ReasoningModel;
class ShutdownDialog;

/// The workstation window: dockable Markets, Order book, Orders/Fills, Log, Strategy reasoning and
/// Chart panels, a status bar, and the Halt switch. It polls the engine's snapshots on one timer
/// (10 Hz) — never one signal per market event — and never blocks on the engine. Closing it runs
/// the orderly shutdown with a live dialog and the close-out report, then emits shutdownComplete.
/// Thread: the UI thread (the engine's thread).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(Engine& engine, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// How long the close-out report stays on screen before the application ends (tests: 0).
    void setReportHoldMs(int ms) { m_reportHoldMs = ms; }
    /// One refresh from the engine now (tests; the timer does it otherwise).
    void refresh();
    /// Docks and geometry to QSettings (also done when the window closes).
    void saveLayout();

    MarketsModel* marketsModel() const { return m_markets; }
    OrdersModel* ordersModel() const { return m_orders; }
    OrderBookModel* bookModel() const { return m_book; }
    QPushButton* haltButton() const { return m_halt; }
    QLabel* haltedBanner() const { return m_haltedBanner; }
    LogPanel* logPanel() const { return m_log; }
    ShutdownDialog* shutdownDialog() const { return m_shutdownDialog; }
    QTableView* marketsView() const { return m_marketsView; }

signals:
    void shutdownComplete(const md::ShutdownReport& report);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildPanels();
    void buildToolbarAndMenus();
    void restoreLayout();
    void onHaltChanged(bool halted);
    void onShutdownFinished(const ShutdownReport& report);
    void selectMarket(int market);
    void cancelSelectedOrder();
    void exportModel(QAbstractItemModel* model, const QString& suggestedName);
    void refreshStatusBar(const std::vector<MarketHealth>& health);
    void complete(const ShutdownReport& report);

    Engine& m_engine;
    MarketsModel* m_markets;
    OrderBookModel* m_book;
    OrdersModel* m_orders;
    FillsModel* m_fills;
    ReasoningModel* m_reasoning;
    QSortFilterProxyModel* m_ordersProxy = nullptr;
    QTableView* m_marketsView = nullptr;
    QTableView* m_ordersView = nullptr;
    QTableView* m_ladder = nullptr;
    bool m_ladderCentred = false;
    QLabel* m_marketDetail = nullptr;
    QComboBox* m_bookMarket = nullptr;
    QLabel* m_spread = nullptr;
    LogPanel* m_log = nullptr;
    ChartPanel* m_chart = nullptr;
    QPushButton* m_halt = nullptr;
    QLabel* m_haltedBanner = nullptr;
    QLabel* m_statusEngine = nullptr;
    QLabel* m_statusRate = nullptr;
    QLabel* m_statusUptime = nullptr;
    QLabel* m_statusMarkets = nullptr;
    QProgressBar* m_exportProgress = nullptr;
    ShutdownDialog* m_shutdownDialog = nullptr;
    QTimer* m_timer;
    int m_selectedMarket = 0;
    int m_tick = 0;
    int m_reportHoldMs = 4000;
    bool m_shutdownStarted = false;
    bool m_completeEmitted = false;
    std::vector<std::uint64_t> m_viewVersions;
};

/// A configuration (or journal) error in GUI mode: a dialog naming the field.
void showConfigError(const QString& message);

} // namespace md
