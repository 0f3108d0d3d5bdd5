#pragma once

#include "domain/orderowner.h"
#include "engine/connector.h"
#include "engine/manualorder.h"
#include "engine/marketview.h"
#include "engine/strategysetup.h"
#include "logging/logcollapser.h"
#include "logging/sequencedring.h"
#include "risk/riskgate.h"
#include "strategy/strategy.h"

#include <QObject>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <vector>

class QTimer;

namespace spdlog {
class logger;
}

namespace md {

class ActionQueue;
class JournalSink;
class MarketInbox;
class MoneyInbox;
class ViewStore;
struct MarketCounters;

/// Answers the network sends back to its owner (the Engine); each is posted to the owner's thread.
struct EventNetworkCallbacks {
    std::function<void(MarketId)> stopPrepared; // strategy told, cancels queued
    // Orders acknowledged and still open, and orders sent but never acknowledged (status unknown).
    std::function<void(MarketId, std::vector<ClientOrderId>, std::vector<ClientOrderId>)> marketDetached;
    std::function<void()> strategyShutdownDone;                             // every strategy answered
    std::function<void(std::string, std::string)> strategyFailed;           // (id, reason): it halted itself
    std::function<void(std::vector<StrategyStatus>)> strategiesReported;    // a strategy's figures changed
    std::function<void(MarketId, MarketState, std::string)> statusReported; // Degraded <-> Running
};

/// The critical section of the trader (DESIGN §1): it takes every market's events in batches, keeps
/// the book replicas and our orders, runs the strategies one after another (each hears only the events
/// of its markets and of its own orders), logs its reasoning and pushes its
/// actions into the per-market ActionQueues. It never blocks: queues are unbounded and every
/// answer to the owner is posted. Publishes coalesced MarketViews for the UI (at most ~20 Hz).
/// Thread: the "event-network" QThread; every public slot is entered only by queued invocation.
class EventNetwork : public QObject {
    Q_OBJECT
public:
    EventNetwork(std::vector<MarketSpec> markets, std::vector<std::shared_ptr<MarketCounters>> counters,
                 std::vector<StrategySetup> strategies, RiskLimits limits, ViewStore& views,
                 SequencedRing<ReasoningRecord>& reasoning, QObject* owner, EventNetworkCallbacks callbacks);
    ~EventNetwork() override;

    /// Wakes the network to drain every inbox (posted by MarketInbox on the network's idle -> busy edge).
    void wake();

public slots:
    void drain();
    void attachMarket(md::MarketId market, std::shared_ptr<md::MarketInbox> inbox,
                      std::shared_ptr<md::ActionQueue> queue);
    /// Tells the strategy the market is stopping and queues its answer (placements are refused already).
    void prepareStop(md::MarketId market);
    /// Takes the market's last events, forgets its queue, reports the orders still open. `notExecuted`:
    /// placements taken back before they reached the connector (a kill, an executor failure): they
    /// exist nowhere, and the strategy and the risk gate hear so (OrderRejected "not executed: why").
    void detachMarket(md::MarketId market, std::vector<md::ClientOrderId> notExecuted = {}, std::string why = {});
    void beginShutdown();
    /// One strategy's lifecycle (issue 17): a paused strategy places nothing (its open orders cancelled
    /// when `cancelOrders`); resume lets it (and a halted one) trade again; stop cancels its orders and
    /// asks it to shut down; start runs a stopped one again (MarketStarted for its running markets).
    void pauseStrategy(md::OwnerId owner, bool cancelOrders);
    void resumeStrategy(md::OwnerId owner);
    void stopStrategy(md::OwnerId owner);
    void startStrategy(md::OwnerId owner);
    /// Hands validated parameters to the strategy (applied at its next decision); `change` (its key,
    /// before and after) is logged and journaled, as is every lifecycle change above.
    void retuneStrategy(md::OwnerId owner, QJsonObject params, md::StrategyChange change);
    /// The desk-wide kill switch: Halted cancels every open order and refuses placements.
    void setGlobalTradingState(md::TradingState state);
    void setMarketTradingState(md::MarketId market, md::TradingState state);
    void cancelOrder(md::MarketId market, md::ClientOrderId id);
    void cancelEarlierRunOrders(md::MarketId market);
    /// The trader's order (issue 15 part 4): a client id of the manual range, then the fat-finger
    /// guard (unless confirmed), the risk gate, the journal and the queue, as a strategy's placement.
    /// Its events update books, views, money and the gate but never reach the strategy.
    void placeManual(md::MarketId market, md::ManualOrder order);
    /// The trader's cancel-all for one market: every working order of ours on it that this run placed
    /// (the strategy's and the manual ones), as a trader's cancel-all does on TT. The strategy hears of
    /// its own orders' cancels as usual. Earlier runs' orders have their own button.
    void cancelMarketOrders(md::MarketId market);
    /// Closes `position` (base, signed; the PositionKeeper's figure) with a manual limit order at the
    /// touch it trades against (a long sells at the best bid), refused when that touch is farther than
    /// the flatten band from the mid or the book is not two-sided.
    void flatten(md::MarketId market, md::Decimal position);
    /// Set before the first event.
    void setManualSettings(md::ManualTradingSettings settings) { m_manual = std::move(settings); }
    /// At a (re)start, before the market trades: settles the orders earlier sessions left that the
    /// exchange does not list as open (`reachable`: it answered).
    void reconcileOrders(md::MarketId market, bool reachable, std::vector<md::ClientOrderId> openOnExchange);
    /// Set before the first event; every accepted action and order event is recorded there. A journal
    /// that fails, or whose writer falls more than `maxLagSeconds` behind, halts every market's
    /// placements (cancels pass) until it catches up; a failure holds for the rest of the run.
    void setJournal(std::shared_ptr<md::JournalSink> journal, double maxLagSeconds) {
        m_journal = std::move(journal);
        m_journalMaxLagSeconds = maxLagSeconds;
    }
    /// Set before the first event; every fill and balance report is pushed there (the PositionKeeper's).
    void setMoneyInbox(std::shared_ptr<md::MoneyInbox> inbox) { m_money = std::move(inbox); }

private:
    struct Market;
    struct Slot;
    class Context;
    static constexpr OwnerId kEveryStrategy = 0xFFFE; // feedback for every strategy of the event's market

    void handleEvent(Market& market, TradingEvent& event);
    void applyToViews(Market& market, const TradingEvent& event);
    void route(Slot& slot, StrategyAdvice& advice, MarketId origin, std::int64_t causeReceivedNs);
    /// Returns true when the action was queued.
    bool pushAction(MarketId market, ActionKind&& action, std::int64_t causeReceivedNs, OwnerId owner = 0);
    void reject(MarketId market, ClientOrderId id, RejectionReason why, std::string reason, OwnerId owner = 0);
    /// Whose order `id` is on the market (0, the first strategy, unless recorded otherwise).
    OwnerId ownerOf(const Market& market, ClientOrderId id) const;
    ClientOrderId allocateManualId(Market& market);
    void closeOrder(Market& market, ClientOrderId id, OrderStatus status, std::string reason, std::int64_t nowMs);
    template <class Call> void runStrategy(Slot& slot, Call&& call, MarketId origin, std::int64_t causeNs);
    /// Gives the event to `owner` (its order ids in the strategy's own numbering), or with
    /// kEveryStrategy to every strategy that trades the event's market.
    void deliver(OwnerId owner, const TradingEvent& event);
    void haltStrategy(Slot& slot, std::string reason);
    /// Journals a change to a strategy (when there is a journal).
    void journalChange(const StrategyChange& change);
    void cancelOwned(OwnerId owner);
    void strategyAnswered(Slot& slot);
    /// A strategy's client ids, interleaved so that each owner's are distinct (identity for one strategy).
    ClientOrderId toDesk(OwnerId owner, ClientOrderId local) const;
    ClientOrderId toLocal(ClientOrderId desk) const;
    /// Why this placement of a strategy is refused by its own state or limits, empty when it is not.
    std::pair<RejectionReason, std::string> strategyRefusal(const Slot& slot, MarketId market,
                                                            const PlaceLimit& place) const;
    void publishStrategies();
    void processFeedback();
    void publishViews(bool force);
    /// Trips or resets each market's breaker: no book data for stale_data_seconds, or an action
    /// waiting longer than stuck_action_seconds (a hung gateway).
    void checkBreakers();
    /// Sets (or with "" resets) the market's breaker: halted while set, the market Degraded with the
    /// reason, the strategy told unless it heard the cause itself (the connector's own report).
    void setBreaker(Market& market, std::string reason, bool tellStrategy = true);
    /// Halts placements on every market while the journal has failed or lags beyond its bound.
    void checkJournal();
    void applyTradingState(Market& market);
    void enqueueControl(Market& market, ActionKind action);
    void post(std::function<void()> call);

    std::vector<Market> m_markets;
    std::vector<Slot> m_slots;
    std::vector<std::vector<OwnerId>> m_byMarket; // market -> the strategies that trade it (a lookup per event)
    bool m_strategiesDirty = true;
    std::unique_ptr<Context> m_context;
    ViewStore& m_views;
    SequencedRing<ReasoningRecord>& m_reasoning;
    QObject* m_owner;
    EventNetworkCallbacks m_callbacks;
    std::shared_ptr<spdlog::logger> m_log;
    std::shared_ptr<spdlog::logger> m_strategyLog;
    QTimer* m_publishTimer = nullptr;
    RiskGate m_risk;
    std::shared_ptr<JournalSink> m_journal;
    double m_journalMaxLagSeconds = 1.0;
    std::string m_journalHold; // why placements are held for the journal, empty when they are not
    std::shared_ptr<MoneyInbox> m_money;
    ManualTradingSettings m_manual;
    std::string m_lastRefusal; // why the last placement of an owner other than the strategy was refused
    std::deque<std::pair<OwnerId, TradingEvent>> m_feedback;
    LogCollapser m_collapser; // repeats of a log line within 30 s become one line with a count
    bool m_shuttingDown = false;
    bool m_shutdownDoneSent = false;
    std::int64_t m_lastPublishNs = 0;
    std::int64_t m_batchNowNs = 0; // 0 outside a drain: the queue stamps the action itself
};

} // namespace md
