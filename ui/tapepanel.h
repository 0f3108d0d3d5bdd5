#pragma once

#include "engine/marketview.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTableView;

namespace md {

class TapeModel;

/// The trades tape of the selected market (newest first; our fills bold, marked "ours").
/// Thread: the UI thread.
class TapePanel : public QWidget {
    Q_OBJECT
public:
    explicit TapePanel(QWidget* parent = nullptr);

    void setView(const std::shared_ptr<const MarketView>& view);
    TapeModel* model() const { return m_model; }
    QTableView* view() const { return m_table; }

private:
    TapeModel* m_model;
    QLabel* m_title;
    QTableView* m_table;
    std::uint64_t m_version = 0;
    int m_market = -1;
};

} // namespace md
