#include "strategiespanel.h"

#include "columnfitter.h"
#include "strategiesmodel.h"
#include "tableview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonValue>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace md {

StrategiesPanel::StrategiesPanel(QWidget* parent)
    : QWidget(parent)
    , m_model(new StrategiesModel(this)) {
    // No sort proxy: rows stay in the configuration's order (owner ids), as the desk runs them.
    m_view = makeTable(m_model, this, "strategiesView", false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // Every column in view, P&L and the counts whole: the kind, markets and last reasoning give first.
    // Columns: strategy, kind, state, markets, open, fills, P&L, last reasoning.
    new ColumnFitter(m_view, {110, 110, 90, 160, 50, 56, 215, 320}, {64, 48, 64, 64, 44, 48, 150, 60},
                     {1, 1.5, 0.5, 1.5, 0, 0, 0, 3});
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
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        emit selectionChanged(selectedOwner());
    });
    m_params = new QTableWidget(0, 3, this);
    m_params->setObjectName("strategyParameters");
    m_params->setHorizontalHeaderLabels({tr("Parameter"), tr("Value"), tr("Live")});
    m_params->horizontalHeader()->setStretchLastSection(true);
    m_params->verticalHeader()->hide();
    connect(m_params, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (m_filling || item->column() != 1)
            return;
        const QString key = m_params->item(item->row(), 0)->text();
        const QString text = item->text().trimmed();
        // A whole number is sent as a number (integers in the config are numbers), anything else as the
        // decimal string the config uses.
        bool isInt = false;
        const int n = text.toInt(&isInt);
        emit parameterEdited(m_paramsOwner, key, isInt ? QJsonValue(n) : QJsonValue(text));
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &StrategiesPanel::updateButtons);

    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_start, m_pauseKeep, m_pauseCancel, m_resume, m_stop})
        buttons->addWidget(b);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_view);
    split->addWidget(m_params);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split);
    updateButtons();
}

void StrategiesPanel::setMoney(const MoneySnapshot& money) {
    m_model->setMoney(money);
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

void StrategiesPanel::setParameters(OwnerId owner, const QJsonObject& params,
                                    const std::vector<std::string>& liveKeys) {
    m_filling = true;
    m_paramsOwner = owner;
    m_params->setRowCount(0);
    for (auto it = params.begin(); it != params.end(); ++it) {
        const int row = m_params->rowCount();
        m_params->insertRow(row);
        const bool live = std::find(liveKeys.begin(), liveKeys.end(), it.key().toStdString()) != liveKeys.end();
        auto* key = new QTableWidgetItem(it.key());
        key->setFlags(Qt::ItemIsEnabled);
        const QJsonValue v = it.value();
        auto* value = new QTableWidgetItem(v.isString()  ? v.toString()
                                           : v.isArray() ? tr("(list)")
                                                         : QString::number(v.toDouble()));
        value->setFlags(live ? Qt::ItemIsEnabled | Qt::ItemIsEditable | Qt::ItemIsSelectable : Qt::ItemIsEnabled);
        auto* note = new QTableWidgetItem(live ? tr("yes: next decision") : tr("no: restart with a new config"));
        note->setFlags(Qt::ItemIsEnabled);
        m_params->setItem(row, 0, key);
        m_params->setItem(row, 1, value);
        m_params->setItem(row, 2, note);
    }
    m_params->resizeColumnsToContents();
    m_filling = false;
}

OwnerId StrategiesPanel::selectedOwner() const {
    return selected() ? selected()->owner : OwnerId(kManualOwner);
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
