#include "fakebook.h"

#include <QDateTime>

namespace md::test {

namespace {
constexpr std::int64_t kCent = 1'000'000; // 0.01 in 1e-8 units
} // namespace

FakeBook::FakeBook(QString symbol, QString baseAsset, QString quoteAsset, std::int64_t mid, std::uint64_t seed)
    : base(std::move(baseAsset))
    , quote(std::move(quoteAsset))
    , m_symbol(std::move(symbol))
    , m_rng(seed) {
    // 30 levels a side around `mid` (units), a cent apart.
    for (int i = 0; i < 30; ++i) {
        bids[mid - i * kCent] = (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
        asks[mid + (1 + i) * kCent] = (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
    }
}

QString FakeBook::text(std::int64_t units) {
    return QString("%1.%2").arg(units / 100'000'000).arg(units % 100'000'000, 8, 10, QChar('0'));
}

std::pair<QString, QString> FakeBook::bestBidAsk() const {
    return {text(bids.begin()->first), text(asks.begin()->first)};
}

QByteArray FakeBook::snapshotBody() {
    if (recorded())
        return m_recordedSnapshot;
    std::uint64_t id = m_lastUpdateId - std::exchange(staleBy, 0);
    if (std::exchange(snapshotInsideNextDiff, false)) {
        // The next diff will cover [L, L + 3] (L: the last id sent): this snapshot claims L + 1,
        // strictly inside it, as a real snapshot taken between two changes of one diff does.
        id = m_lastUpdateId + 1;
        m_overlapOnce = true;
    }
    QByteArray body = "{\"lastUpdateId\":" + QByteArray::number(static_cast<qulonglong>(id)) + ",\"bids\":[";
    bool first = true;
    for (const auto& [p, q] : bids) {
        body += (first ? "" : ",") + QString("[\"%1\",\"%2\"]").arg(text(p), text(q)).toUtf8();
        first = false;
    }
    body += "],\"asks\":[";
    first = true;
    for (const auto& [p, q] : asks) {
        body += (first ? "" : ",") + QString("[\"%1\",\"%2\"]").arg(text(p), text(q)).toUtf8();
        first = false;
    }
    return body + "]}";
}

QByteArray FakeBook::diffFrame(std::uint64_t first, std::uint64_t last, const QStringList& b,
                               const QStringList& a) const {
    return QString(R"({"stream":"%1@depth@100ms","data":{"e":"depthUpdate","E":%2,"s":"%3","U":%4,"u":%5,)"
                   R"("b":[%6],"a":[%7]}})")
        .arg(lower())
        .arg(QDateTime::currentMSecsSinceEpoch())
        .arg(m_symbol)
        .arg(first)
        .arg(last)
        .arg(b.join(','), a.join(','))
        .toUtf8();
}

QList<QByteArray> FakeBook::step(std::map<std::int64_t, std::int64_t>& takenBids,
                                 std::map<std::int64_t, std::int64_t>& takenAsks) {
    QList<QByteArray> frames;
    std::uint64_t firstId = m_lastUpdateId + 1;
    if (std::exchange(m_overlapOnce, false))
        firstId = m_lastUpdateId;
    else if (overlapDiffs && m_previousFirst > 0)
        // Binance's diffs may reach back before the previous u: U <= last u, u > last u.
        firstId = std::max<std::uint64_t>(m_previousFirst + 1, m_lastUpdateId - 1);
    QStringList b, a;
    for (const auto& [price, quantity] : std::exchange(takenBids, {})) {
        b << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        ++m_lastUpdateId;
    }
    for (const auto& [price, quantity] : std::exchange(takenAsks, {})) {
        a << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        ++m_lastUpdateId;
    }
    const int changes = 1 + static_cast<int>(m_rng() % 3);
    for (int i = 0; i < changes; ++i) {
        const bool bid = m_rng() % 2;
        const std::int64_t best = bid ? bids.begin()->first : asks.begin()->first;
        const std::int64_t offset = static_cast<std::int64_t>(m_rng() % 6) * kCent;
        const std::int64_t price = bid ? best - offset : best + offset;
        std::int64_t quantity = m_rng() % 4 == 0 ? 0 : (1 + static_cast<std::int64_t>(m_rng() % 500)) * 1'000'000;
        // Never empty a side completely, never cross.
        if (bid) {
            if (quantity == 0 && bids.size() < 10)
                quantity = 1'000'000;
            if (quantity)
                bids[price] = quantity;
            else
                bids.erase(price);
            b << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        } else {
            if (quantity == 0 && asks.size() < 10)
                quantity = 1'000'000;
            if (quantity)
                asks[price] = quantity;
            else
                asks.erase(price);
            a << QString("[\"%1\",\"%2\"]").arg(text(price), text(quantity));
        }
        ++m_lastUpdateId;
    }
    // At least four ids per diff, so a snapshot can fall strictly inside one.
    while (m_lastUpdateId < firstId + 3)
        ++m_lastUpdateId;
    m_previousFirst = firstId;
    if (!std::exchange(dropNext, false)) // a dropped diff: the ids were used, the frame never sent
        frames << diffFrame(firstId, m_lastUpdateId, b, a);
    const auto [bid, ask] = bestBidAsk();
    frames << QString(R"({"stream":"%1@bookTicker","data":{"u":%2,"s":"%3","b":"%4","B":"%5","a":"%6","A":"%7"}})")
                  .arg(lower())
                  .arg(m_lastUpdateId)
                  .arg(m_symbol, bid, text(bids.begin()->second), ask, text(asks.begin()->second))
                  .toUtf8();
    if (m_rng() % 3 == 0)
        frames << QString(R"({"stream":"%1@trade","data":{"e":"trade","E":%2,"s":"%3","t":1,"p":"%4",)"
                          R"("q":"0.01000000","T":%2,"m":%5}})")
                      .arg(lower())
                      .arg(QDateTime::currentMSecsSinceEpoch())
                      .arg(m_symbol, bid, m_rng() % 2 ? "true" : "false")
                      .toUtf8();
    return frames;
}

QByteArray FakeBook::moveMid(int ticks) {
    // Shift the whole book by `ticks` cents; the diff names every level that changed.
    const std::int64_t shift = ticks * kCent;
    QStringList b, a;
    std::map<std::int64_t, std::int64_t, std::greater<>> newBids;
    std::map<std::int64_t, std::int64_t> newAsks;
    for (const auto& [p, q] : bids)
        newBids[p + shift] = q;
    for (const auto& [p, q] : asks)
        newAsks[p + shift] = q;
    for (const auto& [p, q] : bids)
        if (!newBids.count(p))
            b << QString("[\"%1\",\"0.00000000\"]").arg(text(p));
    for (const auto& [p, q] : newBids)
        b << QString("[\"%1\",\"%2\"]").arg(text(p), text(q));
    for (const auto& [p, q] : asks)
        if (!newAsks.count(p))
            a << QString("[\"%1\",\"0.00000000\"]").arg(text(p));
    for (const auto& [p, q] : newAsks)
        a << QString("[\"%1\",\"%2\"]").arg(text(p), text(q));
    bids = std::move(newBids);
    asks = std::move(newAsks);
    const std::uint64_t first = m_lastUpdateId + 1;
    m_lastUpdateId += 3;
    return diffFrame(first, m_lastUpdateId, b, a);
}

QByteArray FakeBook::touch() {
    auto best = bids.begin();
    best->second = best->second % 2 ? best->second + 1'000'000 : best->second + 1'000'001;
    const std::uint64_t first = m_lastUpdateId + 1;
    m_lastUpdateId += 1;
    return diffFrame(first, m_lastUpdateId, {QString("[\"%1\",\"%2\"]").arg(text(best->first), text(best->second))},
                     {});
}

void FakeBook::loadRecording(QList<QByteArray> frames, QByteArray snapshot, int framesBeforeSnapshot) {
    m_recordedFrames = std::move(frames);
    m_recordedSnapshot = std::move(snapshot);
    m_framesBeforeSnapshot = framesBeforeSnapshot;
    m_recordedNext = 0;
}

QList<QByteArray> FakeBook::nextRecordedFrames(int count) {
    QList<QByteArray> out;
    const int want = m_recordedNext < m_framesBeforeSnapshot ? m_framesBeforeSnapshot - m_recordedNext : count;
    for (int i = 0; i < want && m_recordedNext < m_recordedFrames.size(); ++i)
        out << m_recordedFrames[m_recordedNext++];
    return out;
}

} // namespace md::test
