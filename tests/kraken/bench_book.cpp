// Kraken v2 book messages parsed, applied, truncated to the depth and checksum-verified per second on one
// core: the connector's path (simdjson on the number text, KrakenBook, CRC32 of the integer units) beside
// a reference in the same run — QJsonDocument, a std::map book and the checksum string built the way
// Kraken's own sample client builds it (formatted at the pair's precision, point and leading zeros
// removed). Messages come from a simulated BTC/USD book (precision 1 / 8) at depth 25, every one carrying
// the true checksum, so both paths must verify every message.
// Usage: bench_kraken_book [--smoke] [--messages N] [--levels L] [--repeats R]
#include "kraken/krakenbook.h"
#include "kraken/krakenparser.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include <ctime>

using namespace md;

namespace {

constexpr int kDepth = 25;

/// The reference book: std::map, quantities as text-formatted checksums.
struct RefBook {
    std::map<std::int64_t, std::int64_t, std::greater<>> bids;
    std::map<std::int64_t, std::int64_t> asks;
    template <class M> static void truncate(M& m) {
        while (m.size() > static_cast<std::size_t>(kDepth))
            m.erase(std::prev(m.end()));
    }
    static std::string text(std::int64_t units, int precision) {
        std::string t = std::to_string(units);
        if (static_cast<int>(t.size()) <= precision)
            t.insert(0, precision + 1 - t.size(), '0');
        t.insert(t.size() - precision, ".");
        t.erase(std::remove(t.begin(), t.end(), '.'), t.end());
        t.erase(0, std::min(t.find_first_not_of('0'), t.size()));
        return t;
    }
    std::uint32_t checksum() const {
        std::string s;
        int n = 0;
        for (auto it = asks.begin(); it != asks.end() && n < 10; ++it, ++n)
            s += text(it->first, 1) + text(it->second, 8);
        n = 0;
        for (auto it = bids.begin(); it != bids.end() && n < 10; ++it, ++n)
            s += text(it->first, 1) + text(it->second, 8);
        return static_cast<std::uint32_t>(
            crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
    }
};

std::string number(std::int64_t units, int precision) {
    std::string t = RefBook::text(units, precision); // digits without the point
    std::string digits = std::to_string(units);
    if (static_cast<int>(digits.size()) <= precision)
        digits.insert(0, precision + 1 - digits.size(), '0');
    digits.insert(digits.size() - precision, ".");
    return digits;
}

std::string level(std::int64_t p, std::int64_t q) {
    return "{\"price\":" + number(p, 1) + ",\"qty\":" + number(q, 8) + "}";
}

/// A snapshot and then `count` updates of `levels` changes each, from a random walk near the top.
std::vector<std::string> makeMessages(int count, int levels) {
    std::mt19937_64 rng(42);
    RefBook book;
    for (int i = 0; i < 40; ++i) {
        book.bids[642500 - i] = 1'000'000 * (1 + static_cast<std::int64_t>(rng() % 500));
        book.asks[642501 + i] = 1'000'000 * (1 + static_cast<std::int64_t>(rng() % 500));
    }
    RefBook::truncate(book.bids);
    RefBook::truncate(book.asks);
    std::vector<std::string> out;
    std::string bids, asks;
    for (auto& [p, q] : book.bids)
        bids += (bids.empty() ? "" : ",") + level(p, q);
    for (auto& [p, q] : book.asks)
        asks += (asks.empty() ? "" : ",") + level(p, q);
    out.push_back("{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[" + bids +
                  "],\"asks\":[" + asks + "],\"checksum\":" + std::to_string(book.checksum()) + "}]}");
    for (int i = 0; i < count; ++i) {
        bids.clear();
        asks.clear();
        for (int l = 0; l < levels; ++l) {
            const bool bid = rng() % 2 == 0;
            const std::int64_t topBid = book.bids.begin()->first;
            const std::int64_t topAsk = book.asks.begin()->first;
            const std::int64_t offset = static_cast<std::int64_t>(rng() % 15);
            std::int64_t price = bid ? topBid - offset : topAsk + offset;
            if (rng() % 8 == 0)
                price = bid ? std::min(topBid + 1, topAsk - 1) : std::max(topAsk - 1, topBid + 1);
            auto& side = bid ? bids : asks;
            const bool remove = rng() % 4 == 0 && (bid ? book.bids.count(price) : book.asks.count(price)) &&
                                (bid ? book.bids.size() : book.asks.size()) > 12;
            const std::int64_t qty = remove ? 0 : 1000 * (1 + static_cast<std::int64_t>(rng() % 500000));
            if (bid) {
                if (qty)
                    book.bids[price] = qty;
                else
                    book.bids.erase(price);
            } else {
                if (qty)
                    book.asks[price] = qty;
                else
                    book.asks.erase(price);
            }
            side += (side.empty() ? "" : ",") + level(price, qty);
        }
        // Kraken publishes within the depth: levels cut by the truncation are not announced.
        RefBook::truncate(book.bids);
        RefBook::truncate(book.asks);
        out.push_back("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[" + bids +
                      "],\"asks\":[" + asks + "],\"checksum\":" + std::to_string(book.checksum()) +
                      ",\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}");
    }
    return out;
}

struct Result {
    double messagesPerSecond = 0;
    double levelsPerSecond = 0;
    double levelsPerCpuSecond = 0; // on-CPU time of this thread: what one core does when it is ours
    std::size_t mismatches = 0;
};

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

Result connectorPath(const std::vector<std::string>& messages, std::size_t levelCount) {
    kraken::Parser parser;
    parser.setBookPrecision(1, 8);
    kraken::KrakenBook book(kDepth);
    Result r;
    QElapsedTimer t;
    t.start();
    const double cpu0 = threadCpuSeconds();
    for (const auto& m : messages) {
        auto parsed = parser.parse(m);
        const auto* msg = std::get_if<kraken::Message>(&parsed);
        const auto* b = msg ? std::get_if<kraken::BookMessage>(msg) : nullptr;
        if (!b) {
            ++r.mismatches;
            continue;
        }
        book.apply(*b);
        if (book.checksum() != b->checksum)
            ++r.mismatches;
    }
    const double s = t.nsecsElapsed() / 1e9;
    r.messagesPerSecond = messages.size() / s;
    r.levelsPerSecond = levelCount / s;
    r.levelsPerCpuSecond = levelCount / (threadCpuSeconds() - cpu0);
    return r;
}

Result referencePath(const std::vector<std::string>& messages, std::size_t levelCount) {
    RefBook book;
    Result r;
    QElapsedTimer t;
    t.start();
    const double cpu0 = threadCpuSeconds();
    for (const auto& m : messages) {
        const QJsonObject o =
            QJsonDocument::fromJson(QByteArray::fromRawData(m.data(), static_cast<qsizetype>(m.size()))).object();
        const QJsonObject d = o["data"].toArray().at(0).toObject();
        if (o["type"].toString() == "snapshot") {
            book.bids.clear();
            book.asks.clear();
        }
        // Doubles here (QJsonDocument has no other numbers): rounded back to units, as a careful client would.
        for (const auto& v : d["bids"].toArray()) {
            const QJsonObject l = v.toObject();
            const auto p = std::llround(l["price"].toDouble() * 10);
            const auto q = std::llround(l["qty"].toDouble() * 1e8);
            if (q)
                book.bids[p] = q;
            else
                book.bids.erase(p);
        }
        for (const auto& v : d["asks"].toArray()) {
            const QJsonObject l = v.toObject();
            const auto p = std::llround(l["price"].toDouble() * 10);
            const auto q = std::llround(l["qty"].toDouble() * 1e8);
            if (q)
                book.asks[p] = q;
            else
                book.asks.erase(p);
        }
        RefBook::truncate(book.bids);
        RefBook::truncate(book.asks);
        if (book.checksum() != static_cast<std::uint32_t>(d["checksum"].toInteger()))
            ++r.mismatches;
    }
    const double s = t.nsecsElapsed() / 1e9;
    r.messagesPerSecond = messages.size() / s;
    r.levelsPerSecond = levelCount / s;
    r.levelsPerCpuSecond = levelCount / (threadCpuSeconds() - cpu0);
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&](const char* name, int fallback) {
        const int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
    };
    const bool smoke = args.contains("--smoke");
    const int count = option("--messages", smoke ? 2000 : 200000);
    const int repeats = option("--repeats", smoke ? 1 : 5);
    std::vector<int> levelMixes{1, 3, 10};
    if (args.contains("--levels"))
        levelMixes = {option("--levels", 3)};
    std::printf("Kraken v2 book messages (BTC/USD, precision 1/8, depth %d): parse + apply + truncate + verify "
                "the CRC32 of every message, one core; median of %d runs each, connector and reference "
                "alternating\n\n",
                kDepth, repeats);
    std::printf("%-8s %-26s %12s %16s %16s %11s\n", "levels", "", "messages/s", "level updates/s", "per CPU-second",
                "mismatches");
    int failures = 0;
    for (int levels : levelMixes) {
        const auto messages = makeMessages(count, levels);
        const std::size_t levelCount = static_cast<std::size_t>(count) * levels + 2 * kDepth;
        std::vector<double> cm, cl, rm, rl, cc, rc;
        std::size_t cx = 0, rx = 0;
        for (int r = 0; r < repeats; ++r) {
            const Result c = connectorPath(messages, levelCount);
            const Result ref = referencePath(messages, levelCount);
            cm.push_back(c.messagesPerSecond);
            cl.push_back(c.levelsPerSecond);
            rm.push_back(ref.messagesPerSecond);
            rl.push_back(ref.levelsPerSecond);
            cc.push_back(c.levelsPerCpuSecond);
            rc.push_back(ref.levelsPerCpuSecond);
            cx += c.mismatches;
            rx += ref.mismatches;
        }
        std::printf("%-8d %-26s %12.0f %16.0f %16.0f %11zu\n", levels, "connector (simdjson)", median(cm), median(cl),
                    median(cc), cx);
        std::printf("%-8d %-26s %12.0f %16.0f %16.0f %11zu\n", levels, "reference (QJsonDocument)", median(rm),
                    median(rl), median(rc), rx);
        std::printf("%-8s speed-up %.1fx; connector range %.0f - %.0f level updates/s\n", "", median(cl) / median(rl),
                    *std::min_element(cl.begin(), cl.end()), *std::max_element(cl.begin(), cl.end()));
        failures += cx != 0;
    }
    return failures == 0 ? 0 : 1;
}
