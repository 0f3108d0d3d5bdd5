#pragma once

#include "engine/marketview.h"

#include <QAbstractTableModel>

#include <deque>

namespace md {

/// The strategy's reasoning stream, newest last, bounded. Thread: the UI thread.
class ReasoningModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Market, Reasoning, ColumnCount };

    explicit ReasoningModel(std::size_t capacity = 5000, QObject* parent = nullptr);

    void append(std::vector<ReasoningRecord> records);
    std::uint64_t lastSequence() const { return m_last; }
    std::size_t capacity() const { return m_capacity; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::deque<ReasoningRecord> m_records;
    std::size_t m_capacity;
    std::uint64_t m_last = 0;
};

} // namespace md
