#pragma once

#include "engine/health.h"

#include <QAbstractTableModel>

#include <vector>

namespace md {

/// One row per market: health as the engine last reported it, and the on/off toggle (column 0,
/// checkable). Updated in bulk from a snapshot; only changed rows are signalled.
/// Thread: the UI thread.
class MarketsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        On,
        Market,
        Connector,
        State,
        Trading,
        EventsPerSecond,
        LastData,
        Queue,
        OldestAction,
        OpenOrders,
        Errors,
        Restarts,
        Latency, // tick-to-action p50 / p99 since the start (bucket upper bounds)
        Detail,  // why Failed / Killed / Degraded, the breaker, the last error
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setSnapshot(std::vector<MarketHealth> markets);
    const MarketHealth* market(int row) const;
    /// The text of the Detail column: the state's reason, the breaker, the last error.
    static QString detail(const MarketHealth& m);
    /// The upper bound (µs) of the histogram bucket holding quantile q (0..1); -1: no samples.
    static double latencyQuantileUs(const LatencyHistogram& h, double q);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;

signals:
    /// The user flipped a market's switch (the engine does the rest).
    void toggleRequested(int market, bool on);

private:
    std::vector<MarketHealth> m_markets;
};

} // namespace md
