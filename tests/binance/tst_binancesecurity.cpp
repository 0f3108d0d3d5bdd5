// Keys never travel in clear and never leak: plain http:// and ws:// are refused for any host but
// loopback; the retired listenKey settings are refused with the reason; an Ed25519 private key is
// read from a PEM file only its owner can read, signs as OpenSSL verifies it, and no error quotes
// it; the testnet example config names the documented testnet hosts.
#include "binancerig.h"

#include "binance/binancesettings.h"
#include "binance/credentials.h"
#include "binance/ed25519key.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <sys/stat.h>

using namespace md;
using namespace md::binance;

namespace {

std::string refusal(const QJsonObject& settings) {
    std::string error;
    return Settings::parse(settings, "markets[0].settings", error) ? std::string() : error;
}

bool verifies(const QByteArray& publicPem, const QByteArray& payload, const QByteArray& base64) {
    BIO* bio = BIO_new_mem_buf(publicPem.constData(), static_cast<int>(publicPem.size()));
    EVP_PKEY* pub = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    const QByteArray raw = QByteArray::fromBase64(base64);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pub) == 1 &&
                    EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(raw.constData()), raw.size(),
                                     reinterpret_cast<const unsigned char*>(payload.constData()), payload.size()) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pub);
    return ok;
}

} // namespace

class TestBinanceSecurity : public QObject {
    Q_OBJECT
private slots:
    void plainTextUrlsAreRefusedExceptOnLoopback_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("http live") << "rest_url"
                                   << "http://api.binance.com" << false;
        QTest::newRow("ws stream") << "stream_url"
                                   << "ws://stream.binance.com:9443" << false;
        QTest::newRow("ws api") << "ws_api_url"
                                << "ws://ws-api.binance.com/ws-api/v3" << false;
        QTest::newRow("http LAN") << "rest_url"
                                  << "http://192.168.1.20:8080" << false;
        QTest::newRow("https") << "rest_url"
                               << "https://api.binance.com" << true;
        QTest::newRow("wss") << "ws_api_url"
                             << "wss://ws-api.testnet.binance.vision/ws-api/v3" << true;
        QTest::newRow("http 127.0.0.1") << "rest_url"
                                        << "http://127.0.0.1:18080" << true;
        QTest::newRow("ws localhost") << "stream_url"
                                      << "ws://localhost:18081" << true;
        QTest::newRow("ws [::1]") << "ws_api_url"
                                  << "ws://[::1]:18081/ws-api/v3" << true;
    }
    void plainTextUrlsAreRefusedExceptOnLoopback() {
        QFETCH(QString, key);
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        const std::string error = refusal({{key, url}});
        QCOMPARE(error.empty(), accepted);
        if (!accepted)
            QVERIFY2(error.find("markets[0].settings." + key.toStdString()) == 0 &&
                         error.find("clear text") != std::string::npos,
                     error.c_str());
    }

    void retiredListenKeySettingsAreRefusedWithTheReason() {
        for (const char* key : {"user_stream_url", "listen_key_keepalive_ms"}) {
            const std::string error = refusal({{key, 1}});
            QVERIFY2(error.find("retired") != std::string::npos && error.find("2026-02-20") != std::string::npos,
                     error.c_str());
        }
        QVERIFY(refusal({{"api_key", "k"}, {"api_secret", "s"}, {"private_key_file", "/x.pem"}})
                    .find("exclude each other") != std::string::npos);
        QVERIFY(refusal({{"api_key", "k"}}).find("api_key goes with") != std::string::npos);
    }

    void ed25519KeySignsAndOnlyItsOwnerMayReadIt() {
        QTemporaryDir dir;
        const auto [privatePem, publicPem] = test::makeEd25519KeyPair();
        const QString path = dir.filePath("key.pem");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(privatePem);
        f.close();
        ::chmod(QFile::encodeName(path).constData(), 0644);
        auto refused = Ed25519Key::fromPemFile(path.toStdString());
        QVERIFY(std::holds_alternative<std::string>(refused));
        const std::string why = std::get<std::string>(refused);
        QVERIFY2(why.find("mode is 0644") != std::string::npos && why.find("chmod 600") != std::string::npos,
                 why.c_str());
        QVERIFY(!QByteArray::fromStdString(why).contains(privatePem.mid(30, 20))); // the key is never quoted
        ::chmod(QFile::encodeName(path).constData(), 0600);
        auto key = Ed25519Key::fromPemFile(path.toStdString());
        QVERIFY(std::holds_alternative<std::shared_ptr<const Ed25519Key>>(key));
        const QByteArray payload = "apiKey=k&recvWindow=5000&timestamp=1645423376532";
        const QByteArray signature = std::get<std::shared_ptr<const Ed25519Key>>(key)->signBase64(payload);
        QCOMPARE(signature.size(), 88); // 64 bytes, base64
        QVERIFY(verifies(publicPem, payload, signature));
        QVERIFY(!verifies(publicPem, payload + "x", signature));
        // An HMAC secret in the place of a PEM key is named for what it is not.
        auto notPem = Ed25519Key::fromPem("NhqPtmdSJYdKjVHjA7PZ", "keychain key of X");
        QVERIFY(std::get<std::string>(notPem).find("not an unencrypted PEM private key") != std::string::npos);
    }

    void credentialsComeFromConfigEnvironmentThenKeychain() {
        std::string error;
        auto settings = *Settings::parse({{"api_key_env", "MD_SEC_KEY"},
                                          {"api_secret_env", "MD_SEC_SECRET"},
                                          {"private_key_file_env", "MD_SEC_KEYFILE"}},
                                         "s", error);
        qunsetenv("MD_SEC_KEY");
        qunsetenv("MD_SEC_SECRET");
        qunsetenv("MD_SEC_KEYFILE");
        StoredKeysProvider keychain = [](const std::string& market) -> std::optional<StoredKeys> {
            if (market == "M")
                return StoredKeys{"chain-key", "chain-secret"};
            return std::nullopt;
        };
        QVERIFY(!Credentials::resolve(settings, "other", keychain).present());
        const auto fromChain = Credentials::resolve(settings, "M", keychain);
        QCOMPARE(fromChain.source(), std::string("keychain"));
        QCOMPARE(fromChain.type(), Credentials::KeyType::Hmac);
        qputenv("MD_SEC_KEY", "env-key");
        qputenv("MD_SEC_SECRET", "env-secret");
        const auto fromEnv = Credentials::resolve(settings, "M", keychain);
        QCOMPARE(fromEnv.apiKey(), QByteArray("env-key"));
        QVERIFY(fromEnv.source().find("environment") == 0);
        qputenv("MD_SEC_KEYFILE", "/nonexistent/key.pem");
        try {
            Credentials::resolve(settings, "M", keychain);
            QFAIL("a missing key file must fail the market");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QByteArray(e.what()).contains("/nonexistent/key.pem"), e.what());
        }
        qunsetenv("MD_SEC_KEY");
        qunsetenv("MD_SEC_SECRET");
        qunsetenv("MD_SEC_KEYFILE");
    }

    // The testnet example config names the documented hosts (testnet/rest-api.md, web-socket-api.md,
    // web-socket-streams.md; testnet CHANGELOG: the legacy testnet.binance.vision WebSocket URLs are gone).
    void testnetConfigUsesTheDocumentedTestnetHosts() {
        QFile f(QString(MD_SOURCE_DIR) + "/resources/config/binance-testnet.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject settings = QJsonDocument::fromJson(f.readAll())
                                         .object()
                                         .value("markets")
                                         .toArray()
                                         .at(0)
                                         .toObject()
                                         .value("settings")
                                         .toObject();
        QCOMPARE(settings.value("rest_url").toString(), QString("https://testnet.binance.vision"));
        QCOMPARE(settings.value("stream_url").toString(), QString("wss://stream.testnet.binance.vision"));
        QCOMPARE(settings.value("ws_api_url").toString(), QString("wss://ws-api.testnet.binance.vision/ws-api/v3"));
        QVERIFY(refusal(settings).empty());
    }
};

QTEST_GUILESS_MAIN(TestBinanceSecurity)
#include "tst_binancesecurity.moc"
