#pragma once

#include "positions/moneysnapshot.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace md {

class PositionsModel;

/// The Positions panel: a row per market that traded (position, average entry, mid, realized,
/// unrealized, fees, net, in its quote currency) and the desk's totals per currency underneath,
/// never converted across currencies. Fed from the positions thread's snapshot on the UI's timer.
/// Thread: the UI thread.
class PositionsPanel : public QWidget {
    Q_OBJECT
public:
    explicit PositionsPanel(QWidget* parent = nullptr);

    void setMoney(const MoneySnapshot& money);
    PositionsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QLabel* totals() const { return m_totals; }

private:
    PositionsModel* m_model;
    QTableView* m_view;
    QLabel* m_totals;
};

} // namespace md
