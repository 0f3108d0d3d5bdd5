#pragma once

#include <QColor>
#include <QString>
#include <QWidget>

#include <vector>

namespace md {

/// One line of text in coloured segments ("64250.10 / 64250.20  spread 0.10 (0.02 bp)"), painted
/// directly: no rich text. A QLabel with HTML parsed a QTextDocument on every setText and laid it out
/// again for its size hint, ten times a second on the book panel's top line (bench_ui: that dock's
/// layout requests were most of the UI thread's layout time). Too narrow, it drops segments from the
/// end rather than clipping the first ones: the bid and ask stay whole. The whole line is the tooltip
/// then.
/// Thread: the UI thread.
class SegmentedLabel : public QWidget {
    Q_OBJECT
public:
    struct Segment {
        QString text;
        QColor colour; // invalid: the palette's text colour
        bool operator==(const Segment&) const = default;
    };

    explicit SegmentedLabel(QWidget* parent = nullptr);

    /// Repaints only when something changed; asks for a new size only when the width grew past what it had.
    void setSegments(std::vector<Segment> segments);
    const std::vector<Segment>& segments() const { return m_segments; }
    QString text() const; // the segments joined, as shown when there is room
    /// How many segments fit the current width (from the first).
    int shownSegments() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void measure(); // the segments' widths; the width hint grows to hold them (the caller asks for a layout)
    void updateToolTip();

    std::vector<Segment> m_segments;
    std::vector<int> m_widths; // each segment's advance in the widget's font
    int m_hintWidth = 0;       // only grows (by whole characters), so a digit more or less moves nothing
};

} // namespace md
