#include "positions/positionkeeper.h"

#include "engine/viewstore.h"

#include <QThread>
#include <QTimer>

namespace md {

PositionKeeper::PositionKeeper(const std::vector<MarketSpec>& markets, const ViewStore& views, int intervalMs,
                               std::vector<std::string> owners)
    : m_views(views)
    , m_inbox(std::make_shared<MoneyInbox>())
    , m_intervalMs(intervalMs)
    , m_book(markets, std::move(owners))
    , m_published(std::make_shared<MoneySnapshot>(m_book.snapshot())) {}

PositionKeeper::~PositionKeeper() = default;

void PositionKeeper::start() {
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_timer)
        return;
    m_timer = new QTimer(this);
    m_timer->setInterval(m_intervalMs);
    connect(m_timer, &QTimer::timeout, this, &PositionKeeper::refresh);
    m_timer->start();
}

void PositionKeeper::refresh() {
    std::lock_guard lock(m_mutex);
    refreshLocked();
}

std::shared_ptr<const MoneySnapshot> PositionKeeper::current() {
    std::lock_guard lock(m_mutex);
    return refreshLocked();
}

std::shared_ptr<const MoneySnapshot> PositionKeeper::published() const {
    std::lock_guard lock(m_mutex);
    return m_published;
}

void PositionKeeper::carry(MarketId market, Decimal realized, Decimal feesInQuote,
                           const std::map<std::string, Decimal>& otherFees) {
    std::lock_guard lock(m_mutex);
    m_book.carry(market, realized, feesInQuote, otherFees);
    auto s = std::make_shared<MoneySnapshot>(m_book.snapshot());
    s->version = ++m_version;
    m_published = std::move(s);
}

std::shared_ptr<const MoneySnapshot> PositionKeeper::refreshLocked() {
    MoneyEvent e;
    bool changed = false;
    while (m_inbox->tryPop(e)) {
        changed = true;
        std::visit(Overloaded{[&](const OrderFilled& f) { m_book.onFill(e.market, f, e.owner); },
                              [&](const BalanceUpdated& b) { m_book.onBalance(e.market, b); }},
                   e.what);
    }
    for (std::size_t i = 0; i < m_book.marketCount(); ++i) {
        const auto view = m_views.get(static_cast<MarketId>(i));
        if (!view || view->bids.empty() || view->asks.empty())
            continue;
        const auto before = m_book.ledger(static_cast<MarketId>(i)).mid();
        m_book.mark(static_cast<MarketId>(i), view->bids.front().price, view->asks.front().price);
        changed = changed || before != m_book.ledger(static_cast<MarketId>(i)).mid();
    }
    if (changed) {
        auto s = std::make_shared<MoneySnapshot>(m_book.snapshot());
        s->version = ++m_version;
        m_published = std::move(s);
    }
    return m_published;
}

} // namespace md
