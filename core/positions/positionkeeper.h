#pragma once

#include "domain/marketspec.h"
#include "positions/moneybook.h"
#include "positions/moneyinbox.h"

#include <QObject>

#include <memory>
#include <mutex>

class QTimer;

namespace md {

class ViewStore;

/// Keeps the desk's positions, P&L and balances off the event network (issue 15): the network
/// pushes each fill and balance report into a MoneyInbox; every `intervalMs` this object takes them
/// into its MoneyBook, marks every market to the mid of its latest published view and publishes an
/// immutable MoneySnapshot. Readers (window, metrics, headless status line) take the published one;
/// the close-out asks for `current()`, which first takes whatever is still in the inbox.
/// Thread: lives on the "positions" QThread (the Engine's); start() and refresh() run there;
/// published()/current()/carry() from any thread (one lock around the book, never held by the network).
class PositionKeeper : public QObject {
    Q_OBJECT
public:
    /// `owners`: each strategy's id by owner (the per-strategy figures' names).
    PositionKeeper(const std::vector<MarketSpec>& markets, const ViewStore& views, int intervalMs = 100,
                   std::vector<std::string> owners = {});
    ~PositionKeeper() override;

    std::shared_ptr<MoneyInbox> inbox() const { return m_inbox; }
    /// The day's realized P&L and fees of earlier runs, added to the market's ledger.
    void carry(MarketId market, Decimal realized, Decimal feesInQuote, const std::map<std::string, Decimal>& otherFees);
    /// The last published snapshot (never null once constructed).
    std::shared_ptr<const MoneySnapshot> published() const;
    /// Takes what the inbox holds, marks, publishes and returns the result.
    std::shared_ptr<const MoneySnapshot> current();

public slots:
    /// Starts the refresh timer on the keeper's thread.
    void start();
    void refresh();

private:
    std::shared_ptr<const MoneySnapshot> refreshLocked();

    const ViewStore& m_views;
    std::shared_ptr<MoneyInbox> m_inbox;
    int m_intervalMs;
    QTimer* m_timer = nullptr;
    mutable std::mutex m_mutex; // guards m_book, the inbox's consumer side, m_published, m_version
    MoneyBook m_book;
    std::shared_ptr<const MoneySnapshot> m_published;
    std::uint64_t m_version = 0;
};

} // namespace md
