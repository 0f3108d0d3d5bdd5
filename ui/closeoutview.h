#pragma once

#include "engine/health.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace md {

/// The close-out report, all of it: a row per market (clean or killed, executed, not executed, orders
/// left, detail), every order left open or of unknown outcome (market, id, side, price, quantity,
/// filled), the net position per asset this run's fills left behind, and whether the strategy
/// answered the shutdown — in time, late, or not at all, then the money: position, P&L and fees per
/// market and per currency (moneytext::closeOutLines). The log, the journal and headless stdout
/// carry the same lines (closeOutLines).
/// Thread: the UI thread.
class CloseOutView : public QWidget {
    Q_OBJECT
public:
    explicit CloseOutView(QWidget* parent = nullptr);
    void setReport(const ShutdownReport& report);

    QTableWidget* marketsTable() const { return m_markets; }
    QTableWidget* ordersTable() const { return m_orders; }
    QLabel* positionsLabel() const { return m_positions; }
    QLabel* strategyLabel() const { return m_strategy; }
    QLabel* moneyLabel() const { return m_money; }

private:
    QLabel* m_strategy;
    QTableWidget* m_markets;
    QLabel* m_ordersTitle;
    QTableWidget* m_orders;
    QLabel* m_positions;
    QLabel* m_money;
};

} // namespace md
