#include "columnfitter.h"

#include <QEvent>
#include <QFontMetrics>
#include <QHeaderView>
#include <QTableView>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace md {

ColumnFitter::ColumnFitter(QTableView* view, std::vector<int> preferred, std::vector<int> minimum,
                           std::vector<double> give)
    : QObject(view)
    , m_view(view)
    , m_preferred(std::move(preferred))
    , m_minimum(std::move(minimum))
    , m_give(std::move(give))
    , m_viewport(view->viewport()) {
    m_minimum.resize(m_preferred.size(), 40);
    m_give.resize(m_preferred.size(), 1.0);
    // A header stays readable: no column is squeezed below its title (shown in bold by the theme).
    QFont bold = m_view->horizontalHeader()->font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    for (std::size_t c = 0; c < m_minimum.size(); ++c) {
        const QString title =
            m_view->model() ? m_view->model()->headerData(static_cast<int>(c), Qt::Horizontal).toString() : QString();
        m_minimum[c] = std::max(m_minimum[c], metrics.horizontalAdvance(title) + 14);
        m_preferred[c] = std::max(m_preferred[c], m_minimum[c]);
    }
    m_view->viewport()->installEventFilter(this);
    fit();
}

std::vector<int> ColumnFitter::widthsFor(int available, const std::vector<int>& preferred,
                                         const std::vector<int>& minimum, const std::vector<double>& give) {
    std::vector<int> out = preferred;
    int need = std::accumulate(preferred.begin(), preferred.end(), 0) - available;
    // Rounds of giving: each column gives in proportion to (readiness × what it can still spare); a
    // column at its minimum drops out and the others give more. Columns that never give go last.
    for (bool last : {false, true}) {
        for (int round = 0; round < 8 && need > 0; ++round) {
            double weight = 0;
            for (std::size_t i = 0; i < out.size(); ++i)
                weight += (last ? 1.0 : give[i]) * std::max(0, out[i] - minimum[i]);
            if (weight <= 0)
                break;
            int given = 0;
            for (std::size_t i = 0; i < out.size(); ++i) {
                const int spare = std::max(0, out[i] - minimum[i]);
                const int take =
                    std::min(spare, static_cast<int>(std::ceil(need * (last ? 1.0 : give[i]) * spare / weight)));
                out[i] -= take;
                given += take;
            }
            need -= given;
            if (given == 0)
                break;
        }
    }
    return out;
}

void ColumnFitter::fit() {
    const auto widths = widthsFor(m_view->viewport()->width(), m_preferred, m_minimum, m_give);
    for (std::size_t c = 0; c < widths.size(); ++c)
        if (m_view->columnWidth(static_cast<int>(c)) != widths[c] &&
            !(m_view->horizontalHeader()->stretchLastSection() && c + 1 == widths.size()))
            m_view->setColumnWidth(static_cast<int>(c), widths[c]);
}

bool ColumnFitter::eventFilter(QObject* watched, QEvent* event) {
    // No call into the view before the event is known to be a resize: the viewport is deleted from
    // QWidget's destructor of the view, when the view is no longer a QTableView, and still sends events.
    if (watched == m_viewport && event->type() == QEvent::Resize)
        fit();
    return QObject::eventFilter(watched, event);
}

} // namespace md
