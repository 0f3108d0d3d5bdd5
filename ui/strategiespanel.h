#pragma once

#include "domain/orderowner.h"
#include "engine/strategysetup.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QPushButton;
class QTableView;

namespace md {

class StrategiesModel;

/// The Strategies panel (issue 17): each strategy of the desk with its state, markets, P&L, orders and
/// last reasoning, and its lifecycle buttons (start, pause keeping or cancelling its orders, resume,
/// stop) for the selected row; the buttons only ask, the window wires them to the engine.
/// Thread: the UI thread.
class StrategiesPanel : public QWidget {
    Q_OBJECT
public:
    explicit StrategiesPanel(QWidget* parent = nullptr);

    void setStrategies(const std::vector<StrategyStatus>& strategies, const QStringList& marketNames);
    StrategiesModel* model() const { return m_model; }
    /// Selects the strategy's row (tests, and the alert that names it).
    void select(OwnerId owner);

signals:
    void startRequested(md::OwnerId owner);
    void pauseRequested(md::OwnerId owner, bool cancelOrders);
    void resumeRequested(md::OwnerId owner);
    void stopRequested(md::OwnerId owner);

private:
    const StrategyStatus* selected() const;
    void updateButtons();

    StrategiesModel* m_model;
    QTableView* m_view;
    QPushButton* m_start;
    QPushButton* m_pauseKeep;
    QPushButton* m_pauseCancel;
    QPushButton* m_resume;
    QPushButton* m_stop;
};

} // namespace md
