#include "balancespanel.h"

#include "balancesmodel.h"
#include "tableview.h"
#include "uiroles.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace md {

BalancesPanel::BalancesPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new BalancesModel(this)) {
    auto* view = makeTable(sortProxy(m_model, this), this, "balancesView");
    view->setSortingEnabled(true);
    view->sortByColumn(BalancesModel::Market, Qt::AscendingOrder);
    view->horizontalHeader()->setStretchLastSection(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(view);
}

void BalancesPanel::setMoney(const MoneySnapshot& money) {
    m_model->setBalances(money.balances);
}

} // namespace md
