#pragma once

#include <QWidget>

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace md {

class FollowScroller;
class LogModel;
class LogFilterProxy;

/// The log dashboard: filter by level, market and text; follow or pause; copy; export (off the UI
/// thread). Fed from the engine's bounded LogBuffer by pull(), a batch per UI tick.
/// Thread: the UI thread.
class LogPanel : public QWidget {
    Q_OBJECT
public:
    explicit LogPanel(QStringList markets, QWidget* parent = nullptr);

    void pull();
    LogModel* model() const { return m_model; }
    LogFilterProxy* proxy() const { return m_proxy; }
    QComboBox* levelBox() const { return m_level; }
    QComboBox* marketBox() const { return m_market; }
    QLineEdit* textBox() const { return m_text; }
    QTableView* view() const { return m_view; }
    QCheckBox* pauseBox() const { return m_pause; }
    QCheckBox* followBox() const { return m_follow; }
    QLabel* countLabel() const { return m_count; }

signals:
    void exportRequested(QAbstractItemModel* model, QString suggestedName);

private:
    void copySelection();
    void updateCount();

    LogModel* m_model;
    LogFilterProxy* m_proxy;
    QTableView* m_view;
    QComboBox* m_level;
    QComboBox* m_market;
    QLineEdit* m_text;
    QCheckBox* m_follow;
    QCheckBox* m_pause;
    QLabel* m_count;
    FollowScroller* m_followScroller = nullptr;
    std::uint64_t m_lastSequence = 0;
};

} // namespace md
