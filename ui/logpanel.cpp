#include "logpanel.h"

#include "followscroller.h"
#include "logmodel.h"
#include "steadysizebox.h"
#include "tableview.h"

#include "logging/logging.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace md {

LogPanel::LogPanel(QStringList markets, QWidget* parent)
    : QWidget(parent)
    , m_model(new LogModel(20000, this))
    , m_proxy(new LogFilterProxy(this))
    , m_view(makeTable(m_proxy, this, "logView"))
    , m_level(new QComboBox(this))
    , m_market(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_follow(new QCheckBox(tr("Follow"), this))
    , m_pause(new QCheckBox(tr("Pause"), this))
    , m_count(new QLabel(this)) {
    m_count->setObjectName("logCount");
    m_proxy->setSourceModel(m_model);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setColumnWidth(0, 108);
    m_view->setColumnWidth(1, 72);
    m_view->setColumnWidth(2, 150);

    for (int level = spdlog::level::trace; level <= spdlog::level::critical; ++level)
        m_level->addItem(LogModel::levelText(level));
    m_level->setCurrentIndex(spdlog::level::info);
    m_proxy->setMinimumLevel(spdlog::level::info);
    m_market->addItem(tr("All sources"), QString());
    for (const auto& m : markets) {
        m_market->addItem(m, m);
        m_market->setItemData(m_market->count() - 1, m, Qt::ToolTipRole);
    }
    // A narrow panel keeps every control: the boxes elide long names, the count may be cut.
    m_market->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_market->setMinimumContentsLength(9);
    m_count->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_count->setMinimumWidth(0);
    m_text->setMinimumWidth(60);
    m_text->setPlaceholderText(tr("Filter text…"));
    m_text->setClearButtonEnabled(true);
    m_follow->setChecked(true);
    auto* copy = new QPushButton(tr("Copy"), this);
    auto* exportButton = new QPushButton(tr("Export…"), this);

    connect(m_level, &QComboBox::currentIndexChanged, m_proxy, &LogFilterProxy::setMinimumLevel);
    connect(m_market, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_proxy->setMarket(m_market->itemData(i).toString()); });
    connect(m_text, &QLineEdit::textChanged, m_proxy, &LogFilterProxy::setText);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &LogPanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &LogPanel::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LogPanel::updateCount);
    connect(copy, &QPushButton::clicked, this, &LogPanel::copySelection);
    copy->setToolTip(tr("Copy the selected records (Ctrl+C)"));
    auto* copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, &LogPanel::copySelection);
    m_view->addAction(copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    exportButton->setToolTip(tr("Write the records shown to a CSV file (in the background)"));
    m_pause->setToolTip(tr("Freeze the view; new records wait in the engine's bounded buffer"));
    connect(exportButton, &QPushButton::clicked, this, [this] { emit exportRequested(m_proxy, "marketdesk-log.csv"); });

    m_followScroller = new FollowScroller(m_view, m_follow);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_level);
    bar->addWidget(m_market);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_follow);
    bar->addWidget(m_pause);
    bar->addWidget(copy);
    bar->addWidget(exportButton);
    bar->addWidget(steady(m_count));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
}

void LogPanel::pull() {
    // Paused: nothing moves on screen; records wait in the engine's bounded buffer meanwhile.
    if (m_pause->isChecked())
        return;
    auto records = logging::buffer().since(m_lastSequence, 2000);
    if (records.empty())
        return;
    m_lastSequence = records.back().sequence;
    m_model->append(std::move(records));
    updateCount(); // following: the FollowScroller keeps the newest row in view
}

void LogPanel::updateCount() {
    // Bounded: the oldest records leave the dashboard; say how many.
    m_count->setText(tr("%1 shown · %2 kept · %3 dropped")
                         .arg(m_proxy->rowCount())
                         .arg(m_model->rowCount())
                         .arg(m_model->dropped()));
}

void LogPanel::copySelection() {
    QStringList lines;
    auto rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end());
    for (const auto& index : rows) {
        QStringList fields;
        for (int c = 0; c < m_proxy->columnCount(); ++c)
            fields << m_proxy->index(index.row(), c).data().toString();
        lines << fields.join('\t');
    }
    QApplication::clipboard()->setText(lines.join('\n'));
}

} // namespace md
