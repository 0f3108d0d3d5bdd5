#include "alertspanel.h"

#include "alertsmodel.h"
#include "columnfitter.h"
#include "steadysizebox.h"
#include "tableview.h"
#include "uiroles.h"

#include "alerts/alertmonitor.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace md {
namespace {

QString settingsKey(AlertKind kind) {
    const auto name = nameOf(kind);
    return QStringLiteral("alerts/muted/") + QString::fromLatin1(name.data(), static_cast<int>(name.size()));
}

} // namespace

AlertsPanel::AlertsPanel(AlertMonitor& monitor, QWidget* parent)
    : QWidget(parent)
    , m_monitor(monitor)
    , m_model(new AlertsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(makeTable(m_proxy, this, "alertsView", false))
    , m_acknowledge(new QPushButton(tr("Acknowledge"), this))
    , m_acknowledgeAll(new QPushButton(tr("Acknowledge all"), this))
    , m_mute(new QToolButton(this))
    , m_sound(new QCheckBox(tr("Sound"), this))
    , m_summary(new QLabel(this))
    , m_details(new QLabel(this)) {
    // Newest first, however the rows arrived.
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AlertIdRole);
    m_proxy->setDynamicSortFilter(true);
    m_proxy->sort(0, Qt::DescendingOrder);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // What happened keeps its room longest; what to do is also below the table, whole.
    new ColumnFitter(m_view, {80, 110, 84, 460, 380, 150}, {72, 72, 76, 160, 80, 80}, {0, 0.3, 0, 0.6, 1, 1});
    m_details->setObjectName("alertDetails");
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_details->setMinimumWidth(0);
    m_acknowledge->setObjectName("acknowledgeAlert");
    m_acknowledgeAll->setObjectName("acknowledgeAllAlerts");
    m_acknowledge->setToolTip(tr("Acknowledge the selected alert (Space)"));
    m_acknowledgeAll->setToolTip(tr("Acknowledge every alert: the badge goes back to zero"));
    m_summary->setObjectName("alertsSummary");
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_summary->setMinimumWidth(0);

    // Mute per kind: a checkable menu, remembered between runs.
    m_mute->setObjectName("muteAlerts");
    m_mute->setText(tr("Mute"));
    m_mute->setToolTip(tr("A muted kind raises no notification or sound and is not counted in the badge"));
    m_mute->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_mute);
    for (AlertKind kind : kAlertKinds) {
        const auto title = titleOf(kind);
        QAction* action = menu->addAction(QString::fromUtf8(title.data(), static_cast<int>(title.size())));
        action->setCheckable(true);
        action->setData(static_cast<int>(kind));
        const bool muted = QSettings().value(settingsKey(kind), false).toBool();
        action->setChecked(muted);
        if (muted)
            m_monitor.setMuted(kind, true);
        connect(action, &QAction::toggled, this, [this, kind](bool on) {
            QSettings().setValue(settingsKey(kind), on);
            m_monitor.setMuted(kind, on);
        });
    }
    m_mute->setMenu(menu);

    m_sound->setObjectName("alertSound");
    m_sound->setChecked(QSettings().value(QStringLiteral("alerts/sound"), true).toBool());
    m_sound->setToolTip(tr("Play a sound with each desktop notification"));
    connect(m_sound, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue(QStringLiteral("alerts/sound"), on);
        emit soundToggled(on);
    });

    auto* acknowledgeAction = new QAction(tr("Acknowledge"), m_view);
    acknowledgeAction->setShortcut(Qt::Key_Space);
    acknowledgeAction->setShortcutContext(Qt::WidgetShortcut);
    connect(acknowledgeAction, &QAction::triggered, this, &AlertsPanel::acknowledgeSelected);
    m_view->addAction(acknowledgeAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_acknowledge, &QPushButton::clicked, this, &AlertsPanel::acknowledgeSelected);
    connect(m_acknowledgeAll, &QPushButton::clicked, &m_monitor, &AlertMonitor::acknowledgeAll);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateButtons();
        showDetails();
    });
    connect(&m_monitor, &AlertMonitor::changed, this, &AlertsPanel::refresh);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 2);
    bar->setSpacing(8);
    bar->addWidget(m_acknowledge);
    bar->addWidget(m_acknowledgeAll);
    bar->addWidget(m_mute);
    bar->addWidget(m_sound);
    bar->addStretch(1);
    bar->addWidget(steady(m_summary));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(steady(m_details));
    refresh();
}

void AlertsPanel::refresh() {
    m_model->setAlerts(m_monitor.book());
    const auto& book = m_monitor.book();
    m_summary->setText(tr("%1 active · %2 unacknowledged").arg(book.activeCount()).arg(book.unacknowledged()));
    updateButtons();
    showDetails();
}

const Alert* AlertsPanel::alertAt(int row) const {
    const QModelIndex index = m_proxy->index(row, 0);
    return index.isValid() ? m_monitor.book().find(index.data(AlertIdRole).toULongLong()) : nullptr;
}

void AlertsPanel::showDetails() {
    // The selected alert, else the newest: whole, however narrow the table.
    const Alert* a = alertAt(m_view->currentIndex().isValid() ? m_view->currentIndex().row() : 0);
    if (!a) {
        m_details->setText(tr("No alert in this run."));
        return;
    }
    const auto title = titleOf(a->kind);
    m_details->setText(QString("<b>%1</b> — %2<br>%3<br><i>%4</i> %5")
                           .arg(QString::fromUtf8(title.data(), static_cast<int>(title.size())).toHtmlEscaped(),
                                (a->market.empty() ? tr("desk") : QString::fromStdString(a->market)).toHtmlEscaped(),
                                QString::fromStdString(a->what).toHtmlEscaped(), tr("What to do:"),
                                QString::fromStdString(a->todo).toHtmlEscaped()));
}

void AlertsPanel::acknowledgeSelected() {
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid())
        m_monitor.acknowledge(current.data(AlertIdRole).toULongLong());
}

void AlertsPanel::updateButtons() {
    const Alert* a = alertAt(m_view->currentIndex().row());
    m_acknowledge->setEnabled(a && !a->acknowledged);
    m_acknowledgeAll->setEnabled(m_monitor.book().unacknowledged() > 0 ||
                                 std::any_of(m_monitor.book().alerts().begin(), m_monitor.book().alerts().end(),
                                             [](const Alert& x) { return !x.acknowledged; }));
}

void AlertsPanel::showNewest() {
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const Alert* a = alertAt(row);
        if (a && !a->acknowledged) {
            m_view->selectRow(row);
            m_view->scrollTo(m_proxy->index(row, 0));
            return;
        }
    }
}

} // namespace md
