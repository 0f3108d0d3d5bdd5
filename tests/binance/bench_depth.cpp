// Depth-diff frames parsed and applied per second on one core: simdjson (the connector's parser)
// beside QJsonDocument in the same run. Frames shaped like Binance's @depth@100ms (8 decimals).
// Usage: bench_binance_depth [--smoke] [--frames N]
#include "binance/binanceparser.h"
#include "binance/depthsync.h"

#include "domain/orderbook.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <random>

using namespace md;

namespace {

std::vector<std::string> makeFrames(int count, int levelsPerSide) {
    std::mt19937 rng(42);
    std::vector<std::string> frames;
    frames.reserve(count);
    std::uint64_t id = 1000;
    for (int i = 0; i < count; ++i) {
        std::string f = "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1633998512068,"
                        "\"s\":\"BTCUSDT\",\"U\":" +
                        std::to_string(id + 1) + ",\"u\":" + std::to_string(id + 2 * levelsPerSide) + ",";
        id += 2 * levelsPerSide;
        for (const char* side : {"b", "a"}) {
            f += std::string("\"") + side + "\":[";
            for (int l = 0; l < levelsPerSide; ++l) {
                const int ticks =
                    side[0] == 'b' ? 6424000 - static_cast<int>(rng() % 500) : 6425000 + static_cast<int>(rng() % 500);
                const int qty = rng() % 5 == 0 ? 0 : static_cast<int>(rng() % 100000);
                char level[64];
                std::snprintf(level, sizeof level, "%s[\"%d.%02d000000\",\"%d.%05d000\"]", l ? "," : "", ticks / 100,
                              ticks % 100, qty / 100000, qty % 100000);
                f += level;
            }
            f += side[0] == 'b' ? "]," : "]";
        }
        f += "}}";
        frames.push_back(std::move(f));
    }
    return frames;
}

struct Result {
    double framesPerSecond = 0;
    double levelsPerSecond = 0;
};

template <class Body> Result run(const std::vector<std::string>& frames, int levelsPerFrame, int rounds, Body body) {
    QElapsedTimer t;
    t.start();
    std::size_t n = 0;
    for (int r = 0; r < rounds; ++r)
        for (const auto& f : frames) {
            body(f);
            ++n;
        }
    const double s = t.nsecsElapsed() / 1e9;
    return {n / s, n * levelsPerFrame / s};
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const bool smoke = app.arguments().contains("--smoke");
    const int levels = 10; // per side
    const auto frames = makeFrames(smoke ? 500 : 20000, levels);
    const int rounds = smoke ? 1 : 10;

    binance::Parser parser(8, 8);
    OrderBook simdBook(8, 8);
    std::size_t errors = 0;
    const Result simd = run(frames, 2 * levels, rounds, [&](const std::string& f) {
        auto parsed = parser.parseStreamFrame(f);
        auto* message = std::get_if<binance::StreamMessage>(&parsed);
        if (!message) {
            ++errors;
            return;
        }
        const auto& diff = std::get<binance::DepthDiff>(*message);
        for (const auto& l : diff.bids)
            simdBook.applyRaw(Side::Bid, l.price, l.quantity);
        for (const auto& l : diff.asks)
            simdBook.applyRaw(Side::Ask, l.price, l.quantity);
    });

    OrderBook qtBook(8, 8);
    const Result qt = run(frames, 2 * levels, rounds, [&](const std::string& f) {
        const QJsonObject data =
            QJsonDocument::fromJson(QByteArray::fromRawData(f.data(), static_cast<qsizetype>(f.size())))
                .object()["data"]
                .toObject();
        for (const char* side : {"b", "a"}) {
            for (const auto& level : data[side].toArray()) {
                const QJsonArray pair = level.toArray();
                const auto p = Decimal::parse(pair[0].toString().toStdString(), 8);
                const auto q = Decimal::parse(pair[1].toString().toStdString(), 8);
                if (p && q)
                    qtBook.applyRaw(side[0] == 'b' ? Side::Bid : Side::Ask, p->units(), q->units());
            }
        }
    });

    std::printf(
        "Binance depth diffs: %zu frames x %d rounds, %d price levels a frame, parsed and applied to a book\n\n",
        frames.size(), rounds, 2 * levels);
    std::printf("%-28s %16s %22s\n", "", "frames/s", "price levels/s");
    std::printf("%-28s %16.0f %22.0f\n", "simdjson (connector)", simd.framesPerSecond, simd.levelsPerSecond);
    std::printf("%-28s %16.0f %22.0f\n", "reference: QJsonDocument", qt.framesPerSecond, qt.levelsPerSecond);
    std::printf("\nspeed-up %.1fx; books agree: %s; parse errors: %zu\n", simd.levelsPerSecond / qt.levelsPerSecond,
                simdBook.rawSide(Side::Bid).size() == qtBook.rawSide(Side::Bid).size() &&
                        simdBook.bestBid()->price == qtBook.bestBid()->price
                    ? "yes"
                    : "NO",
                errors);
    return errors == 0 ? 0 : 1;
}
