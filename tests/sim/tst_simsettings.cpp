// Sim settings that cannot be simulated as written are refused with the field named, never
// reinterpreted: a mid finer than the tick, a tick above the mid, ticks and steps whose arithmetic
// would overflow.
#include "sim/simconnectorfactory.h"

#include "config/configloader.h"

#include <QTest>

using namespace md;

namespace {

QByteArray config(const QString& tick, const QString& step, const QString& settings) {
    return QString(R"({"markets": [{"name": "S", "connector": "sim",
        "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "%1", "quantity_step": "%2"},
        "settings": %3}], "strategy": {"kind": "none"}})")
        .arg(tick, step, settings)
        .toUtf8();
}

} // namespace

class TestSimSettings : public QObject {
    Q_OBJECT
    ConnectorRegistry m_registry;
    SimConnectorFactory m_sim;

private slots:
    void initTestCase() { m_registry.add(&m_sim); }

    void refusedWithTheFieldNamed_data() {
        QTest::addColumn<QString>("tick");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("settings");
        QTest::addColumn<QString>("error");
        // Today the book lands at 10x the price (the mid is taken at its own scale) and the strategy trades there.
        QTest::newRow("mid finer than the tick")
            << "0.01"
            << "0.0001"
            << R"({"mid": "100.005"})"
            << "markets[0].settings.mid: \"100.005\" has more decimals than the price tick 0.01";
        QTest::newRow("mid not on the tick grid")
            << "0.05"
            << "0.0001"
            << R"({"mid": "100.03"})"
            << "markets[0].settings.mid: \"100.03\" is not a multiple of the price tick 0.05";
        QTest::newRow("tick above the mid") << "1000"
                                            << "0.0001"
                                            << R"({"mid": "100"})"
                                            << "markets[0].settings.mid: \"100\" is below the price tick 1000";
        QTest::newRow("no room for the book below the mid")
            << "1"
            << "0.0001"
            << R"({"mid": "20", "depth": 25})"
            << "markets[0].settings.mid: \"20\" is 20 price ticks; the simulated book needs at least 28";
        // Price units of the highest ask overflow a 64-bit integer: the producer used to spin forever.
        QTest::newRow("ticks too large") << "100000000000000000"
                                         << "0.0001"
                                         << R"({"mid": "9000000000000000000"})"
                                         << "markets[0].settings.mid: the simulated prices would reach";
        QTest::newRow("mid too large at the tick's scale")
            << "0.000000000000000001"
            << "0.0001"
            << R"({"mid": "100"})"
            << "markets[0].settings.mid: the simulated prices would reach";
        // Level quantities (up to 2000 lots) overflow: quantities used to go negative.
        QTest::newRow("steps too large") << "0.01"
                                         << "9000000000000000"
                                         << R"({"mid": "100.00"})"
                                         << "markets[0].instrument.quantity_step: the simulated quantities would reach";
        QTest::newRow("step too fine for the lot")
            << "0.01"
            << "0.000000000000000001"
            << R"({"mid": "100.00"})"
            << "markets[0].instrument.quantity_step: the simulated quantities would reach";
    }
    void refusedWithTheFieldNamed() {
        QFETCH(QString, tick);
        QFETCH(QString, step);
        QFETCH(QString, settings);
        QFETCH(QString, error);
        auto result = ConfigLoader(m_registry).parse(config(tick, step, settings));
        auto* e = std::get_if<ConfigError>(&result);
        QVERIFY2(e, "accepted");
        QVERIFY2(QString::fromStdString(e->toString()).startsWith(error), e->toString().c_str());
    }

    void sensibleSettingsAreAccepted_data() {
        QTest::addColumn<QString>("tick");
        QTest::addColumn<QString>("step");
        QTest::addColumn<QString>("settings");
        QTest::newRow("demo") << "0.01"
                              << "0.0001"
                              << R"({"mid": "64250.00"})";
        QTest::newRow("mid coarser than the tick") << "0.01"
                                                   << "0.0001"
                                                   << R"({"mid": "100"})";
        QTest::newRow("tick of 5") << "5"
                                   << "1"
                                   << R"({"mid": "1000"})";
        QTest::newRow("default mid") << "0.01"
                                     << "0.0001"
                                     << R"({})";
        QTest::newRow("fine tick") << "0.00000001"
                                   << "0.00000001"
                                   << R"({"mid": "0.00042"})";
    }
    void sensibleSettingsAreAccepted() {
        QFETCH(QString, tick);
        QFETCH(QString, step);
        QFETCH(QString, settings);
        auto result = ConfigLoader(m_registry).parse(config(tick, step, settings));
        auto* e = std::get_if<ConfigError>(&result);
        QVERIFY2(!e, e ? e->toString().c_str() : "");
    }
};

QTEST_APPLESS_MAIN(TestSimSettings)
#include "tst_simsettings.moc"
