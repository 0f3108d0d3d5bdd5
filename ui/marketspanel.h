#pragma once

#include "engine/health.h"
#include "risk/tradingstate.h"

#include <QElapsedTimer>
#include <QWidget>

#include <map>

class QMenu;
class QTableView;

namespace md {

class Engine;
class MarketsModel;

/// The Markets panel: a row per market with its on/off switch, state, rates, queue and errors;
/// the switch and the context menu (restart, per-market halt / reduce-only / resume) drive the
/// engine's orderly stop and fresh start.
/// Thread: the UI thread.
class MarketsPanel : public QWidget {
    Q_OBJECT
public:
    explicit MarketsPanel(Engine& engine, QWidget* parent = nullptr);

    void setSnapshot(std::vector<MarketHealth> health);
    void selectMarket(int market);
    MarketsModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    /// The market's own switch as the trader set it here (the desk's halt and the breaker aside).
    TradingState userState(MarketId market) const;
    /// Sets it (what the context menu does).
    void setUserState(MarketId market, TradingState state);
    /// The context menu a right-click on the market's row opens (built fresh each time).
    QMenu* buildMenu(int market, QWidget* parent);

signals:
    void marketSelected(int market);

private:
    void onToggleRequested(int market, bool on);
    void showMenu(const QPoint& at);

    struct PendingStart {
        std::uint64_t restarts = 0; // the market's restart count and state when the user asked
        MarketState state = MarketState::Stopped;
        qint64 askedMs = 0;
        qint64 lastTryMs = 0;
    };

    Engine& m_engine;
    MarketsModel* m_model;
    QTableView* m_view;
    // A switch flipped on while the market's last thread is still winding down (after Failed or
    // Killed) is retried until the market starts, for a few seconds, so one click is enough.
    std::map<int, PendingStart> m_pendingStarts;
    std::map<MarketId, TradingState> m_userStates;
    QElapsedTimer m_clock;
};

} // namespace md
