// Can the SQLite journal keep up with 50,000 order events/s without slowing its caller?
// The caller (standing in for the event network) records at a paced rate; printed: the cost of
// one record() call beside a plain vector push in the same loop, and how far the writer lags.
// Usage: bench_journal [--smoke] [--seconds S] [--rate R]
#include "journal/sqlitejournal.h"

#include "engine/marketcounters.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

using namespace md;

namespace {

struct CallCost {
    double p50 = 0, p99 = 0, max = 0;
};

CallCost summarize(std::vector<std::int64_t> ns) {
    std::sort(ns.begin(), ns.end());
    auto at = [&](double q) { return ns[std::min(ns.size() - 1, static_cast<std::size_t>(q * ns.size()))] / 1.0; };
    return {at(0.5), at(0.99), static_cast<double>(ns.back())};
}

template <class Record> CallCost paced(double rate, double seconds, Record record) {
    const auto count = static_cast<std::int64_t>(rate * seconds);
    std::vector<std::int64_t> costs;
    costs.reserve(count);
    const std::int64_t period = static_cast<std::int64_t>(1e9 / rate);
    std::int64_t due = steadyNowNs();
    for (std::int64_t i = 0; i < count; ++i) {
        due += period;
        // Pacing in bursts of 1 ms, as the event network receives batches.
        if ((i & 49) == 0) {
            const std::int64_t now = steadyNowNs();
            if (due > now)
                std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
        }
        const std::int64_t t0 = steadyNowNs();
        record(i);
        costs.push_back(steadyNowNs() - t0);
    }
    return summarize(std::move(costs));
}

TradingEvent fillEvent(std::int64_t i) {
    return TradingEvent{
        0, 0, 0, OrderFilled{static_cast<ClientOrderId>(i / 4 + 1), Side::Bid, Price(6425012, 2), Quantity(5, 4)}};
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const bool smoke = app.arguments().contains("--smoke");
    double seconds = smoke ? 0.3 : 10;
    double rate = 50000;
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--seconds")
            seconds = args[i + 1].toDouble();
        if (args[i] == "--rate")
            rate = args[i + 1].toDouble();
    }
    QTemporaryDir dir;
    std::string error;
    auto journal = SqliteJournal::open(dir.filePath("bench.sqlite"), error);
    if (!journal) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }

    // Reference: the same loop, copying the event into a vector (what any hand-off costs at least).
    std::vector<TradingEvent> sink;
    sink.reserve(static_cast<std::size_t>(rate * seconds));
    const CallCost reference = paced(rate, seconds, [&](std::int64_t i) { sink.push_back(fillEvent(i)); });

    // The journal: one placement then three fills per order, as a busy strategy produces.
    const std::int64_t start = steadyNowNs();
    const CallCost journalCost = paced(rate, seconds, [&](std::int64_t i) {
        if (i % 4 == 0)
            journal->recordAction(
                0, "BENCH",
                PlaceLimit{Side::Bid, Price(6425012, 2), Quantity(20, 4), static_cast<ClientOrderId>(i / 4 + 1)});
        else
            journal->recordEvent("BENCH", fillEvent(i));
    });
    const double recordSeconds = (steadyNowNs() - start) / 1e9;
    const std::uint64_t writtenAtEnd = journal->writtenEntries();
    const std::int64_t flushStart = steadyNowNs();
    const bool ok = journal->flush();
    const double flushMs = (steadyNowNs() - flushStart) / 1e6;
    const std::uint64_t total = journal->writtenEntries();

    std::printf("SQLite journal benchmark: %.0f order events/s for %.1f s (WAL, synchronous=FULL, batched)\n\n", rate,
                seconds);
    std::printf("%-40s %10s %10s %10s\n", "cost of one call on the caller (ns)", "p50", "p99", "max");
    std::printf("%-40s %10.0f %10.0f %10.0f\n", "journal record()", journalCost.p50, journalCost.p99, journalCost.max);
    std::printf("%-40s %10.0f %10.0f %10.0f\n", "reference: vector push of the event", reference.p50, reference.p99,
                reference.max);
    std::printf("\nentries recorded %llu, committed while recording %llu, backlog at the end %llu\n",
                static_cast<unsigned long long>(total), static_cast<unsigned long long>(writtenAtEnd),
                static_cast<unsigned long long>(total - writtenAtEnd));
    std::printf("writer throughput %.0f entries/s; final flush %.1f ms; %s\n", writtenAtEnd / recordSeconds, flushMs,
                ok ? "durable" : "FAILED");
    return ok ? 0 : 1;
}
