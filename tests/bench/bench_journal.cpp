// Can the SQLite journal keep up with 50,000 order events/s without slowing its caller, and what does
// the write-ahead rule cost a placement?
// 1. The caller (standing in for the event network) records at a paced rate; printed: the cost of
//    one record() call beside a plain vector push in the same loop, and how far the writer lags.
// 2. The write-ahead wait: an executor thread waits for each placement's record to be committed
//    (group commit), per journal_sync mode and rate, beside the floor of any journal that is safe
//    before the order leaves: one append of the record per placement (and an fdatasync for "full").
// Usage: bench_journal [--smoke] [--seconds S] [--rate R] [--wait-seconds S]
#include "journal/sqlitejournal.h"

#include "engine/marketcounters.h"

#include <QCoreApplication>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <thread>
#include <unistd.h>
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

PlaceLimit placement(std::int64_t i) {
    return PlaceLimit{Side::Bid, Price(6425012, 2), Quantity(20, 4), static_cast<ClientOrderId>(i / 4 + 1)};
}

TradingEvent fillEvent(std::int64_t i);

struct WaitRun {
    CallCost wait;              // from recording a placement to its executor learning it is committed
    double placementsPerCommit; // group size
    std::uint64_t commits = 0;
};

/// One placement then three fills per order at `rate` entries/s on the recording thread; an executor
/// thread waits for every placement's record, in order, as JournalBarrier does.
WaitRun writeAheadWait(const QString& path, JournalSync sync, double rate, double seconds) {
    std::string error;
    auto journal = SqliteJournal::open(path, JournalOptions{sync}, error);
    if (!journal) {
        std::fprintf(stderr, "%s\n", error.c_str());
        std::exit(1);
    }
    const auto count = static_cast<std::int64_t>(rate * seconds);
    const std::int64_t placements = (count + 3) / 4;
    std::vector<std::pair<JournalSeq, std::int64_t>> placed(static_cast<std::size_t>(placements));
    std::atomic<std::int64_t> published{0};
    std::vector<std::int64_t> waits(static_cast<std::size_t>(placements));
    const std::uint64_t commitsBefore = journal->commits();
    std::thread executor([&] {
        for (std::int64_t k = 0; k < placements; ++k) {
            // Sleeps like an executor on an empty queue (a spinning one would take the writer's CPU).
            for (std::int64_t seen = published.load(std::memory_order_acquire); seen <= k;
                 seen = published.load(std::memory_order_acquire))
                published.wait(seen, std::memory_order_acquire);
            const auto [seq, recordedNs] = placed[static_cast<std::size_t>(k)];
            journal->waitCommitted(seq, std::chrono::steady_clock::now() + std::chrono::seconds(60), nullptr);
            waits[static_cast<std::size_t>(k)] = steadyNowNs() - recordedNs;
        }
    });
    paced(rate, seconds, [&](std::int64_t i) {
        if (i % 4 == 0) {
            const std::int64_t t0 = steadyNowNs();
            const JournalSeq seq = journal->recordAction(0, "BENCH", placement(i));
            placed[static_cast<std::size_t>(i / 4)] = {seq, t0};
            published.store(i / 4 + 1, std::memory_order_release);
            published.notify_one();
        } else {
            journal->recordEvent("BENCH", fillEvent(i));
        }
    });
    executor.join();
    WaitRun run;
    run.wait = summarize(std::move(waits));
    run.commits = journal->commits() - commitsBefore;
    run.placementsPerCommit = run.commits ? static_cast<double>(placements) / run.commits : 0;
    return run;
}

/// One placement at a time: record it, wait for its commit, again (no other traffic): one commit and
/// two thread wake-ups (executor -> writer -> executor) per placement.
CallCost oneAtATime(const QString& path, JournalSync sync, int count) {
    std::string error;
    auto journal = SqliteJournal::open(path, JournalOptions{sync}, error);
    if (!journal) {
        std::fprintf(stderr, "%s\n", error.c_str());
        std::exit(1);
    }
    std::vector<std::int64_t> waits;
    for (int i = 0; i < count; ++i) {
        const std::int64_t t0 = steadyNowNs();
        const JournalSeq seq = journal->recordAction(0, "BENCH", placement(std::int64_t(i) * 4));
        journal->waitCommitted(seq, std::chrono::steady_clock::now() + std::chrono::seconds(60), nullptr);
        waits.push_back(steadyNowNs() - t0);
    }
    return summarize(std::move(waits));
}

/// The floor: the caller itself appends each placement's record to a file (and syncs it for "full").
CallCost appendFloor(const QString& path, JournalSync sync, double rate, double seconds) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const std::string record(120, 'r'); // about one placement's row
    std::vector<std::int64_t> costs;
    paced(rate, seconds, [&](std::int64_t i) {
        if (i % 4 != 0)
            return;
        const std::int64_t t0 = steadyNowNs();
        [[maybe_unused]] auto written = ::write(fd, record.data(), record.size());
        if (sync == JournalSync::Full)
            ::fdatasync(fd);
        costs.push_back(steadyNowNs() - t0);
    });
    ::close(fd);
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
    double waitSeconds = smoke ? 0.2 : 5;
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--seconds")
            seconds = args[i + 1].toDouble();
        if (args[i] == "--rate")
            rate = args[i + 1].toDouble();
        if (args[i] == "--wait-seconds")
            waitSeconds = args[i + 1].toDouble();
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
            journal->recordAction(0, "BENCH", placement(i));
        else
            journal->recordEvent("BENCH", fillEvent(i));
    });
    const double recordSeconds = (steadyNowNs() - start) / 1e9;
    const std::uint64_t writtenAtEnd = journal->writtenEntries();
    const std::int64_t flushStart = steadyNowNs();
    const bool ok = journal->flush();
    const double flushMs = (steadyNowNs() - flushStart) / 1e6;
    const std::uint64_t total = journal->writtenEntries();

    std::printf("SQLite journal benchmark: %.0f order events/s for %.1f s (WAL, journal_sync normal, group commit)\n\n",
                rate, seconds);
    std::printf("%-40s %10s %10s %10s\n", "cost of one call on the caller (ns)", "p50", "p99", "max");
    std::printf("%-40s %10.0f %10.0f %10.0f\n", "journal record()", journalCost.p50, journalCost.p99, journalCost.max);
    std::printf("%-40s %10.0f %10.0f %10.0f\n", "reference: vector push of the event", reference.p50, reference.p99,
                reference.max);
    std::printf("\nentries recorded %llu, committed while recording %llu, backlog at the end %llu\n",
                static_cast<unsigned long long>(total), static_cast<unsigned long long>(writtenAtEnd),
                static_cast<unsigned long long>(total - writtenAtEnd));
    std::printf("writer throughput %.0f entries/s; final flush %.1f ms; %s\n", writtenAtEnd / recordSeconds, flushMs,
                ok ? "durable" : "FAILED");
    std::fflush(stdout);

    std::printf("\nwrite-ahead: a placement waits until its record is committed (1 placement + 3 fills per order, "
                "%.0f s each)\n\n",
                waitSeconds);
    std::printf("%-44s %10s %10s %10s %12s\n", "wait per placement (us)", "p50", "p99", "max", "placements/commit");
    int run = 0;
    for (const JournalSync sync : {JournalSync::Normal, JournalSync::Full}) {
        const CallCost one = oneAtATime(dir.filePath(QString("one-%1.sqlite").arg(run++)), sync, smoke ? 50 : 2000);
        std::printf("%-44s %10.1f %10.1f %10.1f\n",
                    (std::string("one at a time, sync ") + (sync == JournalSync::Full ? "full" : "normal")).c_str(),
                    one.p50 / 1000, one.p99 / 1000, one.max / 1000);
    }
    for (const double entries : {4000.0, 20000.0}) {
        for (const JournalSync sync : {JournalSync::Normal, JournalSync::Full}) {
            const char* name = sync == JournalSync::Full ? "full" : "normal";
            const WaitRun w =
                writeAheadWait(dir.filePath(QString("wait-%1.sqlite").arg(run++)), sync, entries, waitSeconds);
            const CallCost floor =
                appendFloor(dir.filePath(QString("floor-%1.log").arg(run)), sync, entries, waitSeconds);
            const std::string label = std::to_string(static_cast<int>(entries / 4)) + " placements/s, sync " + name;
            std::printf("%-44s %10.1f %10.1f %10.1f %12.1f\n", label.c_str(), w.wait.p50 / 1000, w.wait.p99 / 1000,
                        w.wait.max / 1000, w.placementsPerCommit);
            std::printf("%-44s %10.1f %10.1f %10.1f\n",
                        (std::string("  reference: append") + (sync == JournalSync::Full ? " + fdatasync" : "") +
                         " per placement")
                            .c_str(),
                        floor.p50 / 1000, floor.p99 / 1000, floor.max / 1000);
            std::fflush(stdout);
        }
    }
    return ok ? 0 : 1;
}
