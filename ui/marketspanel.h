#pragma once

#include "engine/health.h"

#include <QWidget>

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

signals:
    void marketSelected(int market);

private:
    void onToggleRequested(int market, bool on);
    void showMenu(const QPoint& at);

    Engine& m_engine;
    MarketsModel* m_model;
    QTableView* m_view;
};

} // namespace md
