#pragma once

#include "domain/orderowner.h"
#include "engine/strategysetup.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QPushButton;
class QTableView;
class QTableWidget;

namespace md {

class StrategiesModel;
struct MoneySnapshot;

/// The Strategies panel (issue 17): each strategy of the desk with its state, markets, P&L, orders and
/// last reasoning, and its lifecycle buttons (start, pause keeping or cancelling its orders, resume,
/// stop) for the selected row; the buttons only ask, the window wires them to the engine.
/// Thread: the UI thread.
class StrategiesPanel : public QWidget {
    Q_OBJECT
public:
    explicit StrategiesPanel(QWidget* parent = nullptr);

    void setStrategies(const std::vector<StrategyStatus>& strategies, const QStringList& marketNames);
    /// The P&L column: the positions thread's per-strategy figures.
    void setMoney(const MoneySnapshot& money);
    StrategiesModel* model() const { return m_model; }
    /// Selects the strategy's row (tests, and the alert that names it).
    void select(OwnerId owner);
    /// The selected strategy's parameters (key, value as JSON text) and which may change live; a live
    /// one's value cell is editable, the others say "restart".
    void setParameters(OwnerId owner, const QJsonObject& params, const std::vector<std::string>& liveKeys);
    QTableWidget* parametersTable() const { return m_params; }
    /// The selected strategy (kManualOwner when none).
    OwnerId selectedOwner() const;

signals:
    void startRequested(md::OwnerId owner);
    void pauseRequested(md::OwnerId owner, bool cancelOrders);
    void resumeRequested(md::OwnerId owner);
    void stopRequested(md::OwnerId owner);
    void selectionChanged(md::OwnerId owner);
    /// The user edited a live parameter; `value` is the JSON value typed (a number or a string).
    void parameterEdited(md::OwnerId owner, const QString& key, const QJsonValue& value);

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
    QTableWidget* m_params;
    OwnerId m_paramsOwner = kManualOwner;
    bool m_filling = false;
};

} // namespace md
