#include "positionspanel.h"

#include "positionsmodel.h"
#include "steadysizebox.h"
#include "tableview.h"
#include "uiroles.h"

#include "engine/closeouttext.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

namespace md {

PositionsPanel::PositionsPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new PositionsModel(this))
    , m_totals(new QLabel(this)) {
    m_view = makeTable(sortProxy(m_model, this), this, "positionsView");
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(PositionsModel::Market, Qt::AscendingOrder);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_totals->setObjectName("positionsTotals");
    // Plain and not selectable: the totals change with every mark, several times a second, and a
    // rich-text or selectable QLabel parses and lays out a QTextDocument for each change and again
    // for each size hint (5 % of the UI thread under load in bench_ui). The figures are in the table.
    m_totals->setTextFormat(Qt::PlainText);
    m_totals->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view);
    layout->addWidget(steady(m_totals));
    setMoney(MoneySnapshot{});
}

void PositionsPanel::setMoney(const MoneySnapshot& money) {
    m_model->setMoney(money);
    QStringList lines;
    for (const auto& c : money.currencies) {
        if (c.realized.isZero() && c.unrealized.isZero() && c.fees.isZero())
            continue;
        lines << tr("%1: realized %2 · unrealized %3 · fees %4 · net %5")
                     .arg(QString::fromStdString(c.currency), QString::fromStdString(signedDecimal(c.realized)),
                          QString::fromStdString(signedDecimal(c.unrealized)),
                          QString::fromStdString(c.fees.toTrimmedString()),
                          QString::fromStdString(signedDecimal(c.net)));
    }
    for (const auto& [asset, amount] : money.otherFees)
        lines << tr("fees in %1: %2 (not converted)")
                     .arg(QString::fromStdString(asset), QString::fromStdString(amount.toTrimmedString()));
    m_totals->setText(lines.isEmpty() ? tr("Desk: nothing traded yet") : tr("Desk — ") + lines.join(QLatin1Char('\n')));
}

} // namespace md
