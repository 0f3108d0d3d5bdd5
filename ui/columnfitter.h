#pragma once

#include <QObject>
#include <QPointer>

#include <vector>

class QTableView;

namespace md {

/// Keeps a table's columns inside its width: each column has a preferred and a minimum width; when
/// the view is narrower than the preferred widths add up to, the columns give up what they can spare
/// (down to their minimums, text eliding) in proportion to how readily each gives, so a narrow window
/// shows every column rather than a scroll bar with half of them off to the right, and the columns that
/// matter less give first. Wider, columns get their preferred widths and the last one stretches. No
/// column gets narrower than its header's title.
/// Thread: the UI thread.
class ColumnFitter : public QObject {
    Q_OBJECT
public:
    /// `give`: how readily each column gives up width (0: only when the others cannot; default 1 each).
    ColumnFitter(QTableView* view, std::vector<int> preferred, std::vector<int> minimum, std::vector<double> give = {});
    /// Applies the widths for the view's current width.
    void fit();
    /// The widths for an available width (pure: what fit() applies).
    static std::vector<int> widthsFor(int available, const std::vector<int>& preferred, const std::vector<int>& minimum,
                                      const std::vector<double>& give);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QTableView* m_view;
    // The viewport watched for resizes, kept so the filter never calls into a view being destroyed
    // to find out which object an event is for (UBSan: member call on a QWidget).
    QPointer<QWidget> m_viewport;
    std::vector<int> m_preferred;
    std::vector<int> m_minimum;
    std::vector<double> m_give;
};

} // namespace md
