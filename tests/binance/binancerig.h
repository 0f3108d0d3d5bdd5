#pragma once

// One or more Binance markets on the fake exchange (loopback), through the real engine, with the
// commanded strategy: the test thread says what to place and cancel and reads what the strategy saw.
#include "commandedstrategy.h"
#include "fakebinanceexchange.h"
#include "healthdetail.h"

#include "binance/binanceconnectorfactory.h"
#include "engine/engine.h"

#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <sys/stat.h>

namespace md::test {

/// A fresh Ed25519 key pair: the private key as PEM (for a key file), the public key as PEM (for the fake).
inline std::pair<QByteArray, QByteArray> makeEd25519KeyPair() {
    EVP_PKEY* key = nullptr;
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    EVP_PKEY_keygen_init(ctx);
    EVP_PKEY_keygen(ctx, &key);
    EVP_PKEY_CTX_free(ctx);
    auto pem = [&](bool isPrivate) {
        BIO* bio = BIO_new(BIO_s_mem());
        if (isPrivate)
            PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
        else
            PEM_write_bio_PUBKEY(bio, key);
        char* data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        QByteArray out(data, static_cast<int>(size));
        BIO_free(bio);
        return out;
    };
    auto pair = std::make_pair(pem(true), pem(false));
    EVP_PKEY_free(key);
    return pair;
}

/// What the strategy heard about one order, in order ("placed", "filled 0.001@64000.00", ...).
using Story = std::vector<std::string>;

struct RigOptions {
    QJsonObject extra; // more connector settings
    enum class Keys { Hmac, Ed25519, None } keys = Keys::Hmac;
    QString tick = "0.01"; // configured
    QString step = "0.00001";
    QString exchangeTick = "0.01000000"; // what the fake's exchangeInfo says
    QString exchangeStep = "0.00001000";
    std::vector<QString> symbols{"BTCUSDT"}; // one market each, all on the one fake host
    int updateMs = 20;
    std::function<void(FakeBinanceExchange&)> prepare; // before the engine starts
    std::function<void(Engine&)> beforeStart;          // e.g. a journal (Engine::setJournal)
};

inline RigOptions withSettings(QJsonObject extra) {
    RigOptions o;
    o.extra = std::move(extra);
    return o;
}

inline RigOptions withKeys(RigOptions::Keys keys) {
    RigOptions o;
    o.keys = keys;
    return o;
}

struct BinanceRig {
    FakeBinanceExchange exchange;
    // Factories live as long as the process (engine/connector.h): an abandoned executor may still run
    // its connector's code after the rig is gone. One per rig: its rate budgets are this rig's own.
    BinanceConnectorFactory& factory = *new BinanceConnectorFactory;
    std::shared_ptr<OrderLog> log = std::make_shared<OrderLog>();
    std::unique_ptr<Engine> engine;
    QTemporaryDir dir;
    QString keyFile;
    ClientOrderId nextId = 1;
    RigOptions options;

    explicit BinanceRig(RigOptions o = {})
        : options(std::move(o)) {
        exchange.setUpdateIntervalMs(options.updateMs);
        if (!exchange.listen())
            qFatal("fake exchange cannot listen");
        if (options.prepare)
            options.prepare(exchange);
        for (std::size_t i = 1; i < options.symbols.size(); ++i)
            exchange.addSymbol(options.symbols[i], options.symbols[i].left(3), "USDT", "3000.00");
        for (const QString& symbol : options.symbols)
            if (!exchange.book(symbol).recorded()) {
                exchange.book(symbol).tickSize = options.exchangeTick;
                exchange.book(symbol).stepSize = options.exchangeStep;
            }
        exchange.setCredentials("test-key-0123", "test-secret-4567");
        qputenv("MD_TEST_BINANCE_KEY", "test-key-0123");
        qputenv("MD_TEST_BINANCE_SECRET", "test-secret-4567");
        qunsetenv("MD_TEST_BINANCE_KEYFILE");
        if (options.keys == RigOptions::Keys::Ed25519) {
            const auto [privatePem, publicPem] = makeEd25519KeyPair();
            keyFile = dir.filePath("ed25519.pem");
            QFile f(keyFile);
            if (!f.open(QIODevice::WriteOnly) || f.write(privatePem) != privatePem.size())
                qFatal("cannot write the key file");
            f.close();
            ::chmod(QFile::encodeName(keyFile).constData(), 0600);
            exchange.setEd25519Key("test-ed-key-89", publicPem);
            qputenv("MD_TEST_BINANCE_KEY", "test-ed-key-89");
            qputenv("MD_TEST_BINANCE_KEYFILE", keyFile.toUtf8());
        }
        std::vector<MarketSetup> setups;
        std::vector<MarketSpec> specs;
        for (std::size_t i = 0; i < options.symbols.size(); ++i) {
            MarketSpec spec;
            spec.id = static_cast<MarketId>(i);
            spec.name = i == 0 ? "BINANCE" : ("BINANCE-" + options.symbols[i]).toStdString();
            spec.connector = "binance";
            spec.instrument.symbol = options.symbols[i].toStdString();
            spec.instrument.base = options.symbols[i].left(options.symbols[i].size() - 4).toStdString();
            spec.instrument.quote = "USDT";
            spec.instrument.tick = *Price::parse(options.tick.toStdString());
            spec.instrument.step = *Quantity::parse(options.step.toStdString());
            spec.orderTag = "rig1";
            const bool none = options.keys == RigOptions::Keys::None;
            QJsonObject settings{{"rest_url", exchange.restUrl()},
                                 {"stream_url", exchange.streamUrl()},
                                 {"ws_api_url", exchange.wsApiUrl()},
                                 {"backoff_initial_ms", 100},
                                 {"backoff_max_ms", 800},
                                 {"request_timeout_ms", 3000},
                                 {"recv_window_ms", 1000},
                                 {"api_key_env", none ? "MD_TEST_NO_SUCH_VARIABLE" : "MD_TEST_BINANCE_KEY"},
                                 {"api_secret_env", none ? "MD_TEST_NO_SUCH_VARIABLE" : "MD_TEST_BINANCE_SECRET"},
                                 {"private_key_file_env", "MD_TEST_BINANCE_KEYFILE"}};
            for (auto it = options.extra.begin(); it != options.extra.end(); ++it)
                settings[it.key()] = it.value();
            spec.settings = settings;
            if (auto error = factory.validate(spec.settings, "settings"))
                qFatal("%s", error->c_str());
            setups.push_back({spec, &factory, true});
        }
        EngineSettings engineSettings;
        engineSettings.graceSeconds = 5;
        engine = std::make_unique<Engine>(engineSettings, std::move(setups), std::make_unique<CommandedStrategy>(log));
        if (options.beforeStart)
            options.beforeStart(*engine);
        engine->start();
    }
    ~BinanceRig() {
        if (!engine->isShuttingDown())
            engine->beginShutdown();
        (void)QTest::qWaitFor([&] { return engine->shutdownReport().has_value(); }, 15000);
    }
    MarketHealth health(MarketId market = 0) const { return engine->health().at(market); }
    bool keys() const { return options.keys != RigOptions::Keys::None; }
    /// Book synced, order stream up (with keys), breaker reset: placements can pass the risk gate.
    bool running(MarketId market = 0) const {
        return QTest::qWaitFor(
            [&] {
                const MarketHealth h = health(market);
                return h.state == MarketState::Running && h.tradingState == "active" &&
                       detail(h, "stream_age_seconds") >= 0 && (!keys() || detail(h, "order_stream_up") == 1.0);
            },
            15000);
    }
    ClientOrderId place(Side side, const char* price, const char* quantity, MarketId market = 0) {
        const ClientOrderId id = nextId++;
        log->command({market, PlaceLimit{side, *Price::parse(price), *Quantity::parse(quantity), id}});
        return id;
    }
    void cancel(ClientOrderId id, MarketId market = 0) { log->command({market, CancelOrder{id}}); }
    QString exchangeStatus(ClientOrderId id) const {
        auto o = exchange.order("md-rig1-" + QString::number(id));
        return o ? o->status : QString("none");
    }
};

} // namespace md::test
