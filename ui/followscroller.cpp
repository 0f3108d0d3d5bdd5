#include "followscroller.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QEvent>
#include <QScrollBar>
#include <QTimer>

namespace md {

FollowScroller::FollowScroller(QAbstractItemView* view, QCheckBox* box)
    : QObject(view)
    , m_view(view)
    , m_box(box) {
    m_box->setToolTip(tr("Keep the newest row in view; scrolling up stops it, scrolling to the bottom resumes"));
    // Only the user's own scrolling decides (actionTriggered is not emitted for programmatic moves).
    connect(m_view->verticalScrollBar(), &QAbstractSlider::actionTriggered, this, [this] {
        QScrollBar* bar = m_view->verticalScrollBar();
        m_box->setChecked(bar->sliderPosition() >= bar->maximum());
    });
    connect(m_box, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            follow();
    });
    if (m_view->model())
        connect(m_view->model(), &QAbstractItemModel::rowsInserted, this, &FollowScroller::follow);
    // A resize moves the bottom away: follow it there (the scroll range is updated after the event).
    m_viewport = m_view->viewport();
    m_viewport->installEventFilter(this);
}

void FollowScroller::follow() {
    if (m_box->isChecked())
        QTimer::singleShot(0, m_view, &QAbstractItemView::scrollToBottom);
}

bool FollowScroller::eventFilter(QObject* watched, QEvent* event) {
    // Never call into the view here: its viewport is deleted (and still sends events) from QWidget's
    // destructor of the view, when the view is no longer a QAbstractItemView (UBSan: invalid vptr).
    if (watched == m_viewport && event->type() == QEvent::Resize)
        follow();
    return QObject::eventFilter(watched, event);
}

} // namespace md
