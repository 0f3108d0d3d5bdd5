#pragma once

#include <QObject>

class QAbstractItemView;
class QCheckBox;
class QWidget;

namespace md {

/// "Follow" for a growing table (log, reasoning): while the box is checked the newest row stays in
/// view — as rows arrive and when the view is resized. Scrolling up by hand (wheel, scroll bar, keys)
/// unchecks it; scrolling back to the bottom checks it again.
/// Thread: the UI thread.
class FollowScroller : public QObject {
    Q_OBJECT
public:
    FollowScroller(QAbstractItemView* view, QCheckBox* box);

    /// Scrolls to the newest row now if following (a caller that appended rows).
    void follow();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QAbstractItemView* m_view;
    QWidget* m_viewport = nullptr; // watched for resizes; compared by address only
    QCheckBox* m_box;
};

} // namespace md
