#pragma once

#include "engine/connector.h"
#include "engine/health.h"
#include "engine/journalsink.h"
#include "engine/manualorder.h"
#include "engine/marketview.h"
#include "engine/strategysetup.h"
#include "risk/risklimits.h"
#include "risk/tradingstate.h"
#include "strategy/strategy.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>

#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace md {

class EventNetwork;
class JournalSink;
class MarketRunner;

struct EngineSettings {
    double graceSeconds = 30;          // per executor, to drain its queue and run its terminator
    double strategyTimeoutSeconds = 2; // for the strategy's ShutdownDone
    /// A market whose threads had to be abandoned this many times is not started again in this run
    /// (0: no limit). Abandoned threads cannot be reclaimed (PLATFORM.md), so a connector that hangs
    /// at every start would otherwise cost a thread and its stack each time it is switched on.
    int quarantineAfterKills = 3;
    /// How long a market's exchange may take to say which orders are open before it trades; then it
    /// starts unreconciled (and says so). Each query runs on a thread of the engine's own.
    double openOrdersTimeoutSeconds = 10;
    RiskLimits risk;
    /// A journal whose oldest uncommitted record is older than this halts placements (cancels pass)
    /// until it catches up; a placement whose record is not committed within it is not sent.
    double journalMaxLagSeconds = 1.0;
    ManualTradingSettings manual; // the trader's ticket, click-to-trade, fat-finger guard, flatten band
};

struct MarketSetup {
    MarketSpec spec;
    const ConnectorFactory* factory = nullptr; // not owned; lives as long as the process (ConnectorFactory)
    bool enabled = true;                       // started by start()
};

/// The trading engine: the event-network thread, every market's producer and executor threads,
/// start/stop/toggle and the orderly shutdown (DESIGN §1, §4).
/// Thread: lives on the thread that creates it (the UI thread in the app); control slots must be
/// called there. The read-only getters (health, marketView, reasoning, progress) are safe from any
/// thread and never wait on a market's threads.
class Engine : public QObject {
    Q_OBJECT
public:
    /// One strategy on every market (owner 0, id "strategy").
    Engine(EngineSettings settings, std::vector<MarketSetup> markets, std::unique_ptr<Strategy> strategy,
           QObject* parent = nullptr);
    /// A desk of strategies (issue 17): owner ids are their indices; each hears only its markets.
    Engine(EngineSettings settings, std::vector<MarketSetup> markets, std::vector<StrategySetup> strategies,
           QObject* parent = nullptr);
    ~Engine() override;

    /// The order journal (optional); set before start(). Every placement waits for its record to be
    /// committed before its connector sees it (write-ahead); the shutdown report is recorded there and
    /// flushed before shutdownFinished is emitted; a journal that fails halts trading at once.
    void setJournal(std::shared_ptr<JournalSink> journal);
    /// True once the journal failed in this run (the process then ends with its own exit code).
    bool journalFailed() const;
    /// The journal's state for health and metrics (a default, healthy value without a journal).
    JournalHealth journalHealth() const;

    std::size_t marketCount() const;
    const MarketSpec& marketSpec(MarketId market) const;
    const EngineSettings& settings() const { return m_settings; }
    /// The first strategy's name (owner 0 in order views: the orders panel's Source column).
    const std::string& strategyName() const;
    /// Each strategy's id by owner (the orders panel's Source column).
    const std::vector<std::string>& strategyIds() const;
    /// Each strategy as last reported by the event network (~20 Hz at most). Thread: the engine's.
    const std::vector<StrategyStatus>& strategies() const;

    std::vector<MarketHealth> health() const;
    std::shared_ptr<const MarketView> marketView(MarketId market) const;
    /// Strategy reasoning records with sequence > `after`, oldest first, at most `max`.
    std::vector<ReasoningRecord> reasoningSince(std::uint64_t after, std::size_t max = 500) const;
    ShutdownProgress shutdownProgress() const;
    /// Positions, P&L, fees and balances as last published (~10 Hz) by the positions thread. Thread: any.
    std::shared_ptr<const MoneySnapshot> money() const;
    /// The same, after taking every fill the event network has passed on so far. Thread: any.
    std::shared_ptr<const MoneySnapshot> moneyNow() const;
    /// Realized P&L and fees of the day's earlier runs (the journal's fills), added to a market's
    /// figures; call before start(). Thread: the engine's.
    void carryMoney(MarketId market, Decimal realized, Decimal feesInQuote,
                    const std::map<std::string, Decimal>& otherFees);
    std::optional<ShutdownReport> shutdownReport() const;
    /// The close-out as far as it can be told without the engine's thread (which may be stuck): every
    /// market's queue is taken back first (not executed / outcome unknown, journaled), so nothing it
    /// calls "not executed" reaches a connector afterwards; only markets already Stopped are clean,
    /// orders left open are unknown. Logged. For the shutdown watchdog, just before the process ends.
    /// Once the shutdown has finished it is that close-out, unchanged (already logged and journaled).
    /// Thread: any.
    ShutdownReport reportSoFar(const std::string& why);
    /// Whether the orderly shutdown has finished (its close-out logged). Thread: any.
    bool hasFinishedShutdown() const;
    bool isShuttingDown() const;
    bool isHalted() const;
    /// Why strategies halted themselves (they threw), one line each; empty when none is halted.
    std::string strategyFailure() const;
    double uptimeSeconds() const;

public slots:
    /// Starts the event network, then every enabled market.
    void start();
    void startMarket(md::MarketId market);
    void stopMarket(md::MarketId market);
    /// Orderly shutdown of every market at once; a second call does nothing.
    void beginShutdown();
    /// No new placements on any market, open orders cancelled; cancels still pass.
    void halt();
    void resume();
    /// Kill switch for one market: Halted cancels its open orders and refuses placements.
    void setMarketTradingState(md::MarketId market, md::TradingState state);
    /// A cancel the user asked for by hand.
    void cancelOrder(md::MarketId market, md::ClientOrderId id);
    /// Cancels the orders earlier runs left open on this market's exchange (not this run's).
    void cancelEarlierRunOrders(md::MarketId market);
    /// The trader's order (issue 15 part 4): same fat-finger check (unless confirmed), risk gate,
    /// journal and queue as the strategy's; the strategy never hears of it. The outcome shows in the
    /// market's view (orders with owner kManualOwner, manualNotice).
    void placeManualOrder(md::MarketId market, md::ManualOrder order);
    /// Cancels every working order this run placed on the market (the strategy's and the trader's).
    void cancelMarketOrders(md::MarketId market);
    /// Closes the market's position (the PositionKeeper's, every fill of this run: the strategy's and
    /// the trader's) with a limit order at the touch, refused outside the flatten band.
    void flatten(md::MarketId market);
    /// Asks the market's exchange again which orders are open (off this thread); the answer comes
    /// as marketReconciled. Nothing happens for a market that is not running or cannot ask.
    void recheckOpenOrders(md::MarketId market);
    /// One strategy's lifecycle (owner = its index); see EventNetwork.
    void pauseStrategy(md::OwnerId owner, bool cancelOrders);
    void resumeStrategy(md::OwnerId owner);
    void stopStrategy(md::OwnerId owner);
    void startStrategy(md::OwnerId owner);

public:
    /// Live tuning (issue 17 part 5): sets one parameter of a running strategy. Refused (the message
    /// names the field, as the config loader's) when the value is invalid, the key is unknown or the
    /// strategy cannot change it live; otherwise logged, handed to the strategy for its next decision
    /// and journaled there (StrategyChange), as are start/pause/resume/stop.
    /// Thread: the engine's.
    std::optional<std::string> setStrategyParameter(md::OwnerId owner, const QString& key, const QJsonValue& value);
    /// The strategy's current parameters, live changes included (without "kind"). Thread: any.
    QJsonObject strategyParameters(md::OwnerId owner) const;
    /// Which keys of the strategy can change live.
    std::vector<std::string> strategyLiveKeys(md::OwnerId owner) const;
public slots:

signals:
    /// The orderly shutdown began (emitted once, on the engine's thread, before anything stops).
    void shutdownBegan();
    void marketStateChanged(md::MarketId market, md::MarketState state);
    void haltChanged(bool halted);
    /// A strategy's state or figures changed (strategies() holds the new ones).
    void strategiesChanged();
    /// A strategy threw and halted itself; the others trade on.
    void strategyHalted(const QString& id, const QString& reason);
    void shutdownFinished(const md::ShutdownReport& report);
    /// Before a market trades, the orders its exchange reports open (only for connectors that can ask).
    void marketReconciled(md::MarketId market, bool reachable, std::vector<md::OpenOrderInfo> openOrders);

private:
    void onMarketFinishedStopping(MarketId market);
    void continueShutdown();
    void finishShutdown();
    void logCloseOut(const ShutdownReport& report) const;
    /// One market's report from its counters alone, its queue taken back first. Thread: any.
    MarketShutdownReport reportWithoutItsRunner(MarketId market, const std::string& why);
    void onJournalFailed(const std::string& reason);

    struct Private;
    EngineSettings m_settings;
    std::unique_ptr<Private> d;
};

} // namespace md

Q_DECLARE_METATYPE(md::ShutdownReport)
Q_DECLARE_METATYPE(md::MarketState)
Q_DECLARE_METATYPE(md::TradingState)
