#pragma once

#include "positions/moneysnapshot.h"

#include <QWidget>

namespace md {

class BalancesModel;

/// The Balances panel: free and locked per market and asset. Thread: the UI thread.
class BalancesPanel : public QWidget {
    Q_OBJECT
public:
    explicit BalancesPanel(QWidget* parent = nullptr);

    void setMoney(const MoneySnapshot& money);
    BalancesModel* model() const { return m_model; }

private:
    BalancesModel* m_model;
};

} // namespace md
