#include "strategiespanel.h"

#include "strategiesmodel.h"
#include "tableview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace md {

StrategiesPanel::StrategiesPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new StrategiesModel(this)) {
    // No sort proxy: rows stay in the configuration's order (owner ids), as the desk runs them.
    m_view = makeTable(m_model, this, "strategiesView", false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    auto button = [this](const QString& text, const char* name, const QString& tip) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        return b;
    };
    m_start = button(tr("Start"), "strategyStart", tr("Runs a stopped strategy again on its markets"));
    m_pauseKeep =
        button(tr("Pause"), "strategyPauseKeep", tr("No new placements; its open orders stay on the exchange"));
    m_pauseCancel =
        button(tr("Pause && cancel"), "strategyPauseCancel", tr("No new placements; its open orders are cancelled"));
    m_resume = button(tr("Resume"), "strategyResume", tr("Lets a paused or halted strategy place orders again"));
    m_stop = button(tr("Stop"), "strategyStop", tr("Cancels its orders and asks it to shut down"));
    auto owner = [this] { return selected() ? selected()->owner : OwnerId(kManualOwner); };
    connect(m_start, &QPushButton::clicked, this, [this, owner] { emit startRequested(owner()); });
    connect(m_pauseKeep, &QPushButton::clicked, this, [this, owner] { emit pauseRequested(owner(), false); });
    connect(m_pauseCancel, &QPushButton::clicked, this, [this, owner] { emit pauseRequested(owner(), true); });
    connect(m_resume, &QPushButton::clicked, this, [this, owner] { emit resumeRequested(owner()); });
    connect(m_stop, &QPushButton::clicked, this, [this, owner] { emit stopRequested(owner()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &StrategiesPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &StrategiesPanel::updateButtons);

    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_start, m_pauseKeep, m_pauseCancel, m_resume, m_stop})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(m_view);
    updateButtons();
}

void StrategiesPanel::setStrategies(const std::vector<StrategyStatus>& strategies, const QStringList& marketNames) {
    m_model->setStrategies(strategies, marketNames);
    if (!m_view->selectionModel()->hasSelection() && m_model->rowCount() > 0)
        m_view->selectRow(0);
    updateButtons();
}

void StrategiesPanel::select(OwnerId owner) {
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->item(row)->owner == owner)
            m_view->selectRow(row);
}

const StrategyStatus* StrategiesPanel::selected() const {
    const auto rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_model->item(rows.front().row());
}

void StrategiesPanel::updateButtons() {
    const StrategyStatus* s = selected();
    const StrategyState state = s ? s->state : StrategyState::Stopped;
    m_start->setEnabled(s && state == StrategyState::Stopped);
    m_pauseKeep->setEnabled(s && state == StrategyState::Running);
    m_pauseCancel->setEnabled(s && state == StrategyState::Running);
    m_resume->setEnabled(s && (state == StrategyState::Paused || state == StrategyState::Halted));
    m_stop->setEnabled(s && state != StrategyState::Stopping && state != StrategyState::Stopped);
}

} // namespace md
