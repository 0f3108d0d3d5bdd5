#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <map>
#include <optional>
#include <random>

namespace md::test {

/// One symbol of the fake exchange: its public book (in 1e-8 units), the diffs it publishes and the
/// snapshot it serves, with the faults of a real book feed — a dropped diff, a stale snapshot,
/// diffs overlapping the previous one, a snapshot whose lastUpdateId falls inside the next diff —
/// or a recorded session played back as it was received.
/// Thread: the fake exchange's thread.
class FakeBook {
public:
    FakeBook(QString symbol, QString base, QString quote, std::int64_t mid, std::uint64_t seed);

    const QString& symbol() const { return m_symbol; }
    QString lower() const { return m_symbol.toLower(); }
    QString base, quote;
    QString tickSize = "0.01000000";
    QString stepSize = "0.00001000";
    QString minNotional = "5.00000000";
    QString extraFilters; // more filter objects for exchangeInfo, e.g. PERCENT_PRICE_BY_SIDE

    /// The frames of one update: the diff (unless dropped), bookTicker, maybe a trade.
    /// `taken*`: levels our orders changed since the last update.
    QList<QByteArray> step(std::map<std::int64_t, std::int64_t>& takenBids,
                           std::map<std::int64_t, std::int64_t>& takenAsks);
    /// A diff that moves the mid by `ticks` (both sides shift), for the tick-to-trade benchmark.
    QByteArray moveMid(int ticks);
    /// A one-level diff: the best bid's quantity changes.
    QByteArray touch();
    QByteArray snapshotBody();
    std::uint64_t lastUpdateId() const { return m_lastUpdateId; }
    std::pair<QString, QString> bestBidAsk() const;

    std::map<std::int64_t, std::int64_t, std::greater<>> bids; // price -> quantity, 1e-8 units
    std::map<std::int64_t, std::int64_t> asks;

    // faults
    bool dropNext = false;
    std::uint64_t staleBy = 0;
    bool overlapDiffs = false;           // each diff's U reaches back into the previous diff
    bool snapshotInsideNextDiff = false; // the next snapshot's id lies strictly inside the next diff

    // A recorded session (tests/data/binance): frames of this symbol in order, and its snapshot.
    bool recorded() const { return !m_recordedFrames.isEmpty(); }
    void loadRecording(QList<QByteArray> frames, QByteArray snapshot, int framesBeforeSnapshot);
    /// The next recorded frames to send (all before the snapshot first, then `count` at a time).
    QList<QByteArray> nextRecordedFrames(int count);
    bool recordingDone() const { return m_recordedNext >= m_recordedFrames.size(); }

    static QString text(std::int64_t units);

private:
    QByteArray diffFrame(std::uint64_t first, std::uint64_t last, const QStringList& b, const QStringList& a) const;

    QString m_symbol;
    std::mt19937_64 m_rng;
    std::uint64_t m_lastUpdateId = 1000;
    std::uint64_t m_previousFirst = 0;
    bool m_overlapOnce = false;
    QList<QByteArray> m_recordedFrames;
    QByteArray m_recordedSnapshot;
    int m_recordedNext = 0;
    int m_framesBeforeSnapshot = 0;
};

} // namespace md::test
