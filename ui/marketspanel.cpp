#include "marketspanel.h"

#include "columnfitter.h"
#include "marketsmodel.h"
#include "tableview.h"

#include "engine/engine.h"
#include "logging/logging.h"

#include <QActionGroup>
#include <QHeaderView>
#include <QMenu>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>

namespace md {

MarketsPanel::MarketsPanel(Engine& engine, QWidget* parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_model(new MarketsModel(this))
    , m_view(makeTable(m_model, this, "marketsView")) {
    m_view->verticalHeader()->setDefaultSectionSize(24);
    m_view->horizontalHeader()->setStretchLastSection(true);
    // Every column stays in view on a narrow window: they shrink together (text elides; long market
    // names in the middle, whole in the tooltip), the Detail column takes what is left.
    m_view->setTextElideMode(Qt::ElideMiddle);
    // The name, state and trading state keep their room longest; the venue, restarts, latency and
    // detail give first.
    new ColumnFitter(m_view, {44, 120, 150, 104, 96, 80, 80, 64, 80, 72, 64, 70, 150, 240},
                     {40, 96, 60, 96, 70, 56, 60, 44, 56, 56, 44, 44, 80, 60},
                     {0, 0.1, 1, 0.1, 0.2, 0.6, 0.6, 0.5, 0.6, 0.5, 0.5, 1, 1, 1});
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
    const int before = m_model->rowCount();
    m_model->setSnapshot(std::move(health));
    if (m_model->rowCount() != before) {
        // Every market in view (up to six; more scroll): the strip never shows 1.3 rows.
        const int rows = std::min(m_model->rowCount(), 6);
        // Room for a horizontal scroll bar too, so a narrow window never hides a market behind it.
        m_view->setMinimumHeight(m_view->horizontalHeader()->sizeHint().height() +
                                 rows * m_view->verticalHeader()->defaultSectionSize() + 2 * m_view->frameWidth() +
                                 m_view->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, m_view));
    }
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

TradingState MarketsPanel::userState(MarketId market) const {
    auto it = m_userStates.find(market);
    return it == m_userStates.end() ? TradingState::Active : it->second;
}

void MarketsPanel::setUserState(MarketId market, TradingState state) {
    m_userStates[market] = state;
    logging::get("ui")->info("user set {} to {}", m_engine.marketSpec(market).name, nameOf(state));
    m_engine.setMarketTradingState(market, state);
}

QMenu* MarketsPanel::buildMenu(int market, QWidget* parent) {
    const MarketHealth* m = m_model->market(market);
    if (!m)
        return nullptr;
    auto* menu = new QMenu(parent);
    const auto id = static_cast<MarketId>(market);
    const QString name = QString::fromStdString(m->name);
    if (isActive(m->state))
        menu->addAction(tr("Switch %1 off (orderly stop)").arg(name), this, [this, id] { m_engine.stopMarket(id); });
    else
        menu->addAction(m->state == MarketState::Failed || m->state == MarketState::Killed
                            ? tr("Restart %1").arg(name)
                            : tr("Switch %1 on").arg(name),
                        this, [this, id] { onToggleRequested(id, true); });
    menu->addSeparator();
    // The market's own switch: three states, the current one checked; each names the market.
    auto* group = new QActionGroup(menu);
    const TradingState current = userState(id);
    const std::pair<TradingState, QString> choices[] = {
        {TradingState::Active, tr("Trade %1 normally").arg(name)},
        {TradingState::ReduceOnly, tr("Reduce only on %1 (placements that shrink its position)").arg(name)},
        {TradingState::Halted, tr("Halt %1 (cancel its orders)").arg(name)}};
    for (const auto& [state, text] : choices) {
        QAction* action = menu->addAction(text, this, [this, id, state = state] { setUserState(id, state); });
        action->setObjectName(QString("tradingState-%1").arg(QString::fromLatin1(nameOf(state).data())));
        action->setCheckable(true);
        action->setChecked(state == current);
        group->addAction(action);
    }
    if (m->tradingState == "halted" && current != TradingState::Halted) {
        QAction* why =
            menu->addAction(m->breakerReason.empty()
                                ? tr("Now halted by the desk's HALT")
                                : tr("Now halted by its breaker: %1").arg(QString::fromStdString(m->breakerReason)));
        why->setEnabled(false);
    }
    return menu;
}

void MarketsPanel::showMenu(const QPoint& at) {
    const QModelIndex index = m_view->indexAt(at);
    if (!index.isValid() || m_engine.isShuttingDown())
        return;
    std::unique_ptr<QMenu> menu(buildMenu(index.row(), this));
    if (menu)
        menu->exec(m_view->viewport()->mapToGlobal(at));
}

} // namespace md
