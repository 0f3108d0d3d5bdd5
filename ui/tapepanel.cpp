#include "tapepanel.h"

#include "tableview.h"
#include "tapemodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace md {

TapePanel::TapePanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new TapeModel(this))
    , m_title(new QLabel(this))
    , m_table(makeTable(sortProxy(m_model, this), this, "tapeView")) {
    m_title->setObjectName("tapeTitle");
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Fixed widths: a tape changes ten times a second, and measuring its rows each time would cost more
    // than it shows.
    for (auto [column, width] :
         {std::pair{TapeModel::Time, 92}, {TapeModel::Side, 42}, {TapeModel::Price, 84}, {TapeModel::Quantity, 64}})
        m_table->horizontalHeader()->resizeSection(column, width);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->model()->sort(TapeModel::Time, Qt::DescendingOrder); // newest first
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_table);
    setView(nullptr);
}

void TapePanel::setView(const std::shared_ptr<const MarketView>& view) {
    const int market = view ? view->id : -1;
    if (market == m_market && view && view->version == m_version)
        return; // nothing new: the tape is diffed only when the market published
    m_market = market;
    m_version = view ? view->version : 0;
    m_model->setView(view.get());
    m_title->setText(view ? tr("%1 — last %2 trades (public and ours)")
                                .arg(QString::fromStdString(view->name))
                                .arg(m_model->rowCount())
                          : tr("No market selected"));
}

} // namespace md
