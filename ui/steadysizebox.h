#pragma once

#include <QWidget>

namespace md {

/// Holds one live widget (a label whose text changes several times a second) and passes its size
/// changes up to the window only when its size hints really change.
///
/// Why: QLabel::setText() always calls updateGeometry(), which invalidates the layouts up to the main
/// window's, and QLayout::activate() ends with updateGeometry() of its widget whatever changed (Qt 6.4,
/// qlayout.cpp: "ideally only if sizeHint() or sizePolicy() has changed"). So every new number in a
/// panel's label laid out every dock of the main window again (~20 times a second under load in
/// bench_ui, ~1.5 ms each). Qt stops that walk only at a widget without a layout: it is posted a
/// LayoutRequest instead (QWidgetPrivate::updateGeometry_helper). This box has no layout; on that
/// request it compares the content's hints with the ones it last passed up and calls updateGeometry()
/// only when they differ. The width hint is rounded up to a few characters and kept while the content
/// is only a little narrower, so a number gaining or losing a digit does not move its neighbours.
/// Thread: the UI thread.
class SteadySizeBox : public QWidget {
    Q_OBJECT
public:
    /// Takes `content` as its only child, filling the box; the box takes the content's size policy.
    explicit SteadySizeBox(QWidget* content, QWidget* parent = nullptr);

    QWidget* content() const { return m_content; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;

protected:
    bool event(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Hints {
        QSize size;
        QSize minimum;
        int height = -1; // for the current width, when the content wraps
        QSizePolicy policy;
        bool operator==(const Hints&) const = default;
    };
    Hints hints() const;
    int steadyWidth(int width, int passed) const;

    QWidget* m_content;
    Hints m_passed;
};

/// `content` in a SteadySizeBox, for adding to a layout in its place.
QWidget* steady(QWidget* content);

} // namespace md
