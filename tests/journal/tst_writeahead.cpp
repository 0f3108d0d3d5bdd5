// Write-ahead, checked where it matters: at the connector. Every placement that reaches the
// connector must already be committed in the journal file — the connector looks it up with its own
// read-only SQLite connection (WAL readers see committed transactions only) before it "sends" it.
// The disk under the journal is slowed down by a faulty VFS (tests/journal/faultyvfs.h).
#include "enginerig.h"
#include "faultyvfs.h"
#include "journalreader.h"

#include "domain/clock.h"
#include "engine/engine.h"
#include "journal/sqlitejournal.h"
#include "logging/logging.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <mutex>

using namespace md;
using namespace md::test;

namespace {

/// What the probe connector saw, shared with the test.
struct Probe {
    std::string journalPath;
    std::atomic<int> placements{0};
    std::atomic<int> unjournaled{0}; // placements that reached the connector before their record was committed
    std::atomic<int> terminated{0};  // the executor thread has left its loop and run the terminator
    std::atomic<std::int64_t> terminatedNs{0};
    std::mutex mutex;
    std::vector<ClientOrderId> unjournaledIds;
};

/// A market whose executor, before acknowledging a placement, asks the journal file whether the order
/// is there. Its producer sends a book now and then so the market's data stays fresh.
class ProbeFactory : public ConnectorFactory {
public:
    explicit ProbeFactory(Probe& probe)
        : m_probe(probe) {}
    std::string kind() const override { return "probe"; }
    std::optional<std::string> validate(const QJsonObject&, const std::string&) const override { return {}; }
    ConnectorParts initialize(const MarketSpec& spec, EventSink sink) const override {
        ConnectorParts parts;
        const int priceScale = spec.instrument.priceScale();
        const int qtyScale = spec.instrument.quantityScale();
        parts.producer = [sink, priceScale, qtyScale](ProducerControl& control) {
            std::uint64_t id = 1;
            while (!control.stopRequested()) {
                sink.fire(BookUpdated{id++,
                                      true,
                                      {{Side::Bid, Price(9900, priceScale), Quantity(10, qtyScale)},
                                       {Side::Ask, Price(10100, priceScale), Quantity(10, qtyScale)}}});
                control.waitForStop(std::chrono::milliseconds(20));
            }
        };
        Probe* probe = &m_probe;
        // Used on the executor thread only; its connection opens there at the first placement.
        auto reader = std::make_shared<JournalReader>(probe->journalPath);
        parts.executor = [sink, probe, reader, market = spec.name](const Action& action) {
            if (const auto* p = std::get_if<PlaceLimit>(&action.kind)) {
                const bool there = reader->hasOrder(market, p->id);
                probe->placements.fetch_add(1);
                if (!there) {
                    probe->unjournaled.fetch_add(1);
                    std::lock_guard lock(probe->mutex);
                    probe->unjournaledIds.push_back(p->id);
                }
                sink.fire(OrderPlaced{p->id, p->side, p->price, p->quantity});
            }
        };
        parts.terminator = [probe] {
            probe->terminatedNs.store(steadyNowNs());
            probe->terminated.fetch_add(1);
        };
        return parts;
    }

private:
    Probe& m_probe;
};

/// The factories (and what the probe's connectors write into) live for the process: threads a test
/// abandons may still run their code afterwards (see enginerig.h).
struct WriteAheadRig {
    QTemporaryDir dir;
    Probe& probe = *new Probe;
    const ScriptedConnectorFactory& scripted = *new ScriptedConnectorFactory;
    const ProbeFactory& probeFactory = *new ProbeFactory(probe);
    PingStrategy* strategy = nullptr;
    std::shared_ptr<SqliteJournal> journal;
    std::unique_ptr<Engine> engine;

    explicit WriteAheadRig(int every, double grace = 5, double journalMaxLagSeconds = 1) {
        probe.journalPath = dir.filePath("journal.sqlite").toStdString();
        std::string error;
        journal = SqliteJournal::open(QString::fromStdString(probe.journalPath), error);
        if (!journal)
            qFatal("%s", error.c_str());
        MarketSpec b = scriptedMarket(1, "B", "normal");
        b.connector = "probe";
        std::vector<MarketSetup> markets{{scriptedMarket(0, "A", "normal", 500), &scripted, true},
                                         {b, &probeFactory, true}};
        auto s = std::make_unique<PingStrategy>(0, 1, every);
        strategy = s.get();
        EngineSettings settings;
        settings.graceSeconds = grace;
        settings.strategyTimeoutSeconds = 0.2;
        settings.risk = roomyLimits();
        settings.journalMaxLagSeconds = journalMaxLagSeconds;
        engine = std::make_unique<Engine>(settings, std::move(markets), std::move(s));
        engine->setJournal(journal);
    }
    ~WriteAheadRig() {
        faultyvfs::setWriteDelayUs(0);
        faultyvfs::setSyncDelayUs(0);
        if (!engine->isShuttingDown())
            engine->beginShutdown();
        QTest::qWaitFor([&] { return engine->shutdownReport().has_value(); }, 10000);
    }
    QString unjournaled() {
        std::lock_guard lock(probe.mutex);
        QStringList ids;
        for (auto id : probe.unjournaledIds)
            ids << QString::number(id);
        return QString("%1 of %2 placements reached the connector before their journal record was committed: #%3")
            .arg(probe.unjournaled.load())
            .arg(probe.placements.load())
            .arg(ids.mid(0, 20).join(", #"));
    }
};

} // namespace

class TestWriteAhead : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        faultyvfs::install();
        logging::init({spdlog::level::warn, true, {}});
    }

    // A disk that takes 2 ms per write and 5 ms per sync: every placement waits for its record.
    void noPlacementReachesTheConnectorBeforeItsRecordIsCommitted() {
        WriteAheadRig rig(5);
        faultyvfs::setWriteDelayUs(2000);
        faultyvfs::setSyncDelayUs(5000);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.probe.placements.load() >= 100, 20000);
        QVERIFY2(rig.probe.unjournaled.load() == 0, qPrintable(rig.unjournaled()));
    }

    // A disk so slow (3 s per sync) that the journal falls behind by more than its bound (1 s by
    // default): placements wait, then are refused and the strategy hears why; the desk halts
    // placements and says so; nothing reaches the connector unjournaled. Once the disk is fast
    // again, trading resumes by itself.
    void aJournalFallingBehindHaltsPlacementsAndNeverRunsAhead() {
        WriteAheadRig rig(20);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.probe.placements.load() >= 5, 10000);
        faultyvfs::setSyncDelayUs(3000000);
        QTRY_VERIFY_WITH_TIMEOUT(QString::fromStdString(rig.engine->health().at(1).breakerReason).contains("journal"),
                                 10000);
        QVERIFY2(QString::fromStdString(rig.engine->health().at(1).tradingState) == "halted",
                 rig.engine->health().at(1).tradingState.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(rig.strategy->heardRejection("journal behind"), 10000);
        const int placedWhileSlow = rig.probe.placements.load();
        faultyvfs::setSyncDelayUs(0);
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->health().at(1).breakerReason.empty(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.probe.placements.load() >= placedWhileSlow + 5, 15000);
        QVERIFY2(rig.probe.unjournaled.load() == 0, qPrintable(rig.unjournaled()));
    }

    // The executor waits at the barrier for a record a slow disk (6 s per sync) has not committed, and
    // the market is killed (grace 0.3 s): the kill's revoke wakes the executor at once, the placement
    // it waited for never reaches the connector and is journaled not_executed, the market's report
    // says what the executor was doing.
    void aKillWakesAnExecutorWaitingForTheJournal() {
        WriteAheadRig rig(20, 0.3, 60);
        rig.engine->start();
        QTRY_VERIFY_WITH_TIMEOUT(rig.probe.placements.load() >= 3, 10000);
        faultyvfs::setSyncDelayUs(6000000);
        // A placement held (claimed, not sent) for a while: the executor is waiting at the barrier.
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->health().at(1).oldestActionAgeSeconds > 0.3, 10000);
        const int placedBefore = rig.probe.placements.load();
        const std::int64_t shutdownNs = steadyNowNs();
        rig.engine->beginShutdown();
        QTRY_VERIFY_WITH_TIMEOUT(rig.engine->shutdownReport().has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(rig.probe.terminated.load() == 1, 5000);
        // Woken by the kill (grace 0.3 s), not by the commit the 6 s sync would have brought.
        const double exitedSeconds = (rig.probe.terminatedNs.load() - shutdownNs) / 1e9;
        QVERIFY2(exitedSeconds < 3.0,
                 qPrintable(QString("the executor left its wait %1 s after the shutdown began").arg(exitedSeconds)));
        const MarketShutdownReport b = rig.engine->shutdownReport()->markets.at(1);
        QVERIFY2(!b.clean, b.detail.c_str());
        QVERIFY2(QString::fromStdString(b.detail).contains("placement waiting for the journal"), b.detail.c_str());
        QVERIFY(b.actionsNotExecuted >= 1);
        QCOMPARE(b.actionsOutcomeUnknown, std::uint64_t(0));
        QCOMPARE(rig.probe.placements.load(), placedBefore);
        faultyvfs::setSyncDelayUs(0);
        QVERIFY(rig.journal->flush());
        JournalReader reader(rig.probe.journalPath);
        QVERIFY(reader.ordersWithStatus("B", "not_executed") >= 1);
        QCOMPARE(rig.probe.placements.load(), placedBefore);
        QVERIFY2(rig.probe.unjournaled.load() == 0, qPrintable(rig.unjournaled()));
        qInfo("executor left its wait and ran its terminator %.3f s after the shutdown began", exitedSeconds);
    }
};

QTEST_GUILESS_MAIN(TestWriteAhead)
#include "tst_writeahead.moc"
