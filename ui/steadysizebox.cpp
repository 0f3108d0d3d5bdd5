#include "steadysizebox.h"

#include <QEvent>
#include <QResizeEvent>

#include <algorithm>

namespace md {

SteadySizeBox::SteadySizeBox(QWidget* content, QWidget* parent)
    : QWidget(parent)
    , m_content(content) {
    m_content->setParent(this);
    m_content->move(0, 0);
    setSizePolicy(m_content->sizePolicy());
    m_passed = hints();
}

// The width to ask for: the content's, rounded up to a few characters; and kept while the content is
// only a little narrower than what was last passed up, so a number flickering between two widths (a
// sign, a digit more or less) does not lay its neighbours out each time.
int SteadySizeBox::steadyWidth(int width, int passed) const {
    if (width <= 0)
        return width;
    const int step = std::max(1, 3 * m_content->fontMetrics().averageCharWidth());
    if (width <= passed && width > passed - 2 * step)
        return passed;
    return (width + step - 1) / step * step;
}

SteadySizeBox::Hints SteadySizeBox::hints() const {
    Hints h;
    h.size = sizeHint();
    h.minimum = minimumSizeHint();
    h.policy = m_content->sizePolicy();
    if (m_content->hasHeightForWidth()) {
        // A wrapping label's hints follow its text's length (QLabel picks a pleasing width for it);
        // the layouts give it the height for the width it has, so that is what must stay.
        h.height = m_content->heightForWidth(width());
        h.size.setHeight(0);
        h.minimum.setHeight(0);
    }
    return h;
}

// Always the content's current hints (a layout asking for another reason gets them right); what
// m_passed remembers only decides whether a change is worth telling the layouts above.
QSize SteadySizeBox::sizeHint() const {
    const QSize size = m_content->sizeHint();
    return {steadyWidth(size.width(), m_passed.size.width()), size.height()};
}

QSize SteadySizeBox::minimumSizeHint() const {
    const QSize minimum = m_content->minimumSizeHint();
    return {steadyWidth(minimum.width(), m_passed.minimum.width()), minimum.height()};
}

bool SteadySizeBox::hasHeightForWidth() const {
    return m_content->hasHeightForWidth();
}

int SteadySizeBox::heightForWidth(int width) const {
    return m_content->heightForWidth(width);
}

bool SteadySizeBox::event(QEvent* event) {
    // The content's updateGeometry() lands here (this box has no layout): pass it up only if the
    // hints the layouts above use have changed.
    if (event->type() == QEvent::LayoutRequest) {
        const Hints now = hints();
        if (!(now == m_passed)) {
            m_passed = now;
            if (sizePolicy() != now.policy)
                setSizePolicy(now.policy); // calls updateGeometry()
            else
                updateGeometry();
        }
        return true;
    }
    return QWidget::event(event);
}

void SteadySizeBox::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_content->resize(event->size());
    // The layout chose this width knowing heightForWidth(): nothing to pass up, only to remember.
    if (m_content->hasHeightForWidth())
        m_passed.height = m_content->heightForWidth(width());
}

QWidget* steady(QWidget* content) {
    return new SteadySizeBox(content, content->parentWidget());
}

} // namespace md
