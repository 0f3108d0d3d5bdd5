#include "reasoningpanel.h"

#include "columnfitter.h"
#include "followscroller.h"
#include "reasoningmodel.h"
#include "tableview.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableView>
#include <QVBoxLayout>

namespace md {

ReasoningPanel::ReasoningPanel(ReasoningModel* model, QWidget* parent)
    : QWidget(parent)
    , m_view(makeTable(model, this, "reasoningView", false))
    , m_follow(new QCheckBox(tr("Follow"), this))
    , m_scroller(new FollowScroller(m_view, m_follow)) {
    m_view->horizontalHeader()->setStretchLastSection(true);
    // Narrow, the reasoning and the markets it concerns give way together (text elides in the middle,
    // keeping its end: "… on SIM-THIN"); the time never does.
    m_view->setTextElideMode(Qt::ElideMiddle);
    new ColumnFitter(m_view, {112, 160, 420}, {112, 70, 180}, {0, 0.4, 1});
    m_follow->setObjectName("reasoningFollow");
    m_follow->setChecked(true);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(4, 4, 4, 0);
    bar->addStretch(1);
    bar->addWidget(m_follow);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
}

} // namespace md
