#pragma once

#include <QWidget>

class QCheckBox;
class QTableView;

namespace md {

class FollowScroller;
class ReasoningModel;

/// The strategy's reasoning, newest last, with the same Follow toggle as the log (scrolling up stops
/// it; it keeps following through a resize).
/// Thread: the UI thread.
class ReasoningPanel : public QWidget {
    Q_OBJECT
public:
    ReasoningPanel(ReasoningModel* model, QWidget* parent = nullptr);

    QTableView* view() const { return m_view; }
    QCheckBox* followBox() const { return m_follow; }

private:
    QTableView* m_view;
    QCheckBox* m_follow;
    FollowScroller* m_scroller;
};

} // namespace md
