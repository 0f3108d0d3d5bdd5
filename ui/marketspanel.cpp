#include "marketspanel.h"

#include "marketsmodel.h"
#include "tableview.h"

#include "engine/engine.h"
#include "logging/logging.h"

#include <QHeaderView>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace md {

MarketsPanel::MarketsPanel(Engine& engine, QWidget* parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_model(new MarketsModel(this))
    , m_view(makeTable(m_model, this, "marketsView")) {
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->setStretchLastSection(true);
    const int widths[] = {44, 110, 150, 104, 96, 80, 80, 64, 104, 96, 64, 70, 150};
    for (int c = 0; c < MarketsModel::Detail; ++c)
        m_view->setColumnWidth(c, widths[c]);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MarketsPanel::showMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { emit marketSelected(current.row()); });
    connect(m_model, &MarketsModel::toggleRequested, this, &MarketsPanel::onToggleRequested);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_clock.start();
}

void MarketsPanel::setSnapshot(std::vector<MarketHealth> health) {
    const qint64 now = m_clock.elapsed();
    for (auto it = m_pendingStarts.begin(); it != m_pendingStarts.end();) {
        const MarketHealth* h = it->first < static_cast<int>(health.size()) ? &health[it->first] : nullptr;
        // Done when it started (or failed again: a changed state), given up after 10 s.
        if (!h || h->restarts > it->second.restarts || h->state != it->second.state ||
            now - it->second.askedMs > 10'000 || m_engine.isShuttingDown()) {
            it = m_pendingStarts.erase(it);
            continue;
        }
        if (now - it->second.lastTryMs >= 500) {
            it->second.lastTryMs = now;
            m_engine.startMarket(static_cast<MarketId>(it->first));
        }
        ++it;
    }
    m_model->setSnapshot(std::move(health));
}

void MarketsPanel::selectMarket(int market) {
    if (m_view->currentIndex().row() != market)
        m_view->selectRow(market);
}

void MarketsPanel::onToggleRequested(int market, bool on) {
    if (m_engine.isShuttingDown())
        return;
    const auto id = static_cast<MarketId>(market);
    logging::get("ui")->info("user switched {} {}", m_engine.marketSpec(id).name, on ? "on" : "off");
    if (on) {
        const MarketHealth* h = m_model->market(market);
        m_pendingStarts[market] = {h ? h->restarts : 0, h ? h->state : MarketState::Stopped, m_clock.elapsed(),
                                   m_clock.elapsed()};
        m_engine.startMarket(id);
    } else {
        m_pendingStarts.erase(market);
        m_engine.stopMarket(id);
    }
}

void MarketsPanel::showMenu(const QPoint& at) {
    const QModelIndex index = m_view->indexAt(at);
    const MarketHealth* m = m_model->market(index.row());
    if (!m || m_engine.isShuttingDown())
        return;
    QMenu menu(this);
    const auto id = static_cast<MarketId>(index.row());
    const QString name = QString::fromStdString(m->name);
    if (isActive(m->state))
        menu.addAction(tr("Switch %1 off (orderly stop)").arg(name), this, [this, id] { m_engine.stopMarket(id); });
    else
        menu.addAction(m->state == MarketState::Failed || m->state == MarketState::Killed
                           ? tr("Restart %1").arg(name)
                           : tr("Switch %1 on").arg(name),
                       this, [this, id] { onToggleRequested(id, true); });
    menu.addSeparator();
    menu.addAction(tr("Halt %1 (cancel its orders)").arg(name), this,
                   [this, id] { m_engine.setMarketTradingState(id, TradingState::Halted); });
    menu.addAction(tr("Reduce only"), this,
                   [this, id] { m_engine.setMarketTradingState(id, TradingState::ReduceOnly); });
    menu.addAction(tr("Resume %1").arg(name), this,
                   [this, id] { m_engine.setMarketTradingState(id, TradingState::Active); });
    menu.exec(m_view->viewport()->mapToGlobal(at));
}

} // namespace md
