// Secrets never leak: the real marketdesk executable trades on the fake exchange with a distinctive
// API key and secret (from the environment, then written in a 0600 config), at the most verbose
// log level, with a log file, metrics and a journal. Afterwards the secret and the key are searched
// for in everything the process wrote: output, log file, a metrics scrape, the journal's raw bytes.
// The fake exchange checks every signature, so orders it accepted prove the secret was really used.
#include "fakebinanceexchange.h"

#include <QDir>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

namespace {

const QString kMarket = "BINANCE-SECRETS"; // distinctive: proves the journal search reads real rows

quint16 freePort() {
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The forms a secret could be written in by mistake: as is, hex-encoded, base64-encoded.
QList<QByteArray> formsOf(const QByteArray& secret) {
    return {secret, secret.toHex(), secret.toBase64()};
}

/// The name of the first haystack holding any form of `needle`, or an empty string.
QString whereFound(const std::vector<std::pair<QString, QByteArray>>& haystacks, const QByteArray& needle) {
    for (const auto& [name, bytes] : haystacks)
        for (const QByteArray& form : formsOf(needle))
            if (bytes.contains(form))
                return name + " holds " + QString::fromLatin1(form == needle ? "it" : "an encoding of it");
    return {};
}

QByteArray scrape(QNetworkAccessManager& net, quint16 port) {
    QNetworkReply* reply = net.get(QNetworkRequest(QUrl(QString("http://127.0.0.1:%1/metrics").arg(port))));
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(2000);
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

/// Addresses of this machine other than loopback (link-local IPv6 needs a scope: left out).
QList<QHostAddress> externalAddresses() {
    QList<QHostAddress> out;
    for (const QHostAddress& a : QNetworkInterface::allAddresses())
        if (!a.isLoopback() && !a.isLinkLocal() && !a.isNull())
            out << a;
    return out;
}

enum class KeysFrom { Environment, Config };

struct Session {
    int exitCode = -1;
    QByteArray output;                                   // stdout and stderr
    std::vector<std::pair<QString, QByteArray>> written; // everything the process wrote, by name
    QByteArray configBytes;
    int placementsAccepted = 0;
    int signedRequests = 0;
    int signatureFailures = 0;
    QStringList externalConnects; // external addresses where the metrics port accepted a connection
    int externalTried = 0;
    bool loopbackConnected = false;
};

/// One run of marketdesk against an in-process fake exchange. Everything waits in the event loop:
/// the fake exchange lives on this thread and must keep answering until the process has exited.
Session trade(KeysFrom from, const QByteArray& key, const QByteArray& secret) {
    Session s;
    QTemporaryDir dir;
    md::test::FakeBinanceExchange exchange;
    exchange.setUpdateIntervalMs(50);
    if (!exchange.listen())
        qFatal("fake exchange cannot listen");
    exchange.setCredentials(key, secret);

    const QString inlineKeys = from == KeysFrom::Config
                                   ? QString(R"(, "api_key": "%1", "api_secret": "%2")")
                                         .arg(QString::fromLatin1(key), QString::fromLatin1(secret))
                                   : QString();
    const QString config =
        QString(R"({"markets": [{"name": "%1", "connector": "binance",
          "instrument": {"symbol": "BTCUSDT", "base": "BTC", "quote": "USDT", "price_tick": "0.01", "quantity_step": "0.00001"},
          "settings": {"rest_url": "%2", "stream_url": "%3", "ws_api_url": "%3/ws-api/v3", "backoff_initial_ms": 100, "request_timeout_ms": 3000 %4}}],
        "strategy": {"kind": "market_maker", "market": "%1", "half_spread_ticks": 3, "order_quantity": "0.001",
                     "max_position": "1", "requote_ticks": 1},
        "grace_seconds": 3, "log_level": "info", "journal": "%5"})")
            .arg(kMarket, exchange.restUrl(), exchange.streamUrl(), inlineKeys, dir.filePath("journal.sqlite"));
    const QString configPath = dir.filePath("config.json");
    QFile f(configPath);
    if (!f.open(QIODevice::WriteOnly) || f.write(config.toUtf8()) < 0)
        qFatal("cannot write the config");
    f.close();
    ::chmod(QFile::encodeName(configPath).constData(), 0600);
    s.configBytes = config.toUtf8();

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("MARKETDESK_BINANCE_API_KEY");
    env.remove("MARKETDESK_BINANCE_API_SECRET");
    if (from == KeysFrom::Environment) {
        env.insert("MARKETDESK_BINANCE_API_KEY", QString::fromLatin1(key));
        env.insert("MARKETDESK_BINANCE_API_SECRET", QString::fromLatin1(secret));
    }
    const quint16 port = freePort();
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(MARKETDESK_BIN,
            {"--headless", "--config", configPath, "--log-level", "trace", "--log-file", dir.filePath("marketdesk.log"),
             "--metrics-port", QString::number(port), "--run-for", "4", "--grace", "3"});
    QSignalSpy finished(&p, &QProcess::finished);

    // Trade until the exchange has accepted a few signed placements, then look at the metrics.
    (void)QTest::qWaitFor([&] { return exchange.placementsAccepted() >= 3 || p.state() == QProcess::NotRunning; },
                          8000);
    QNetworkAccessManager net;
    QByteArray metrics = scrape(net, port);

    for (const QHostAddress& address : externalAddresses()) {
        ++s.externalTried;
        QTcpSocket socket;
        socket.connectToHost(address, port);
        if (socket.waitForConnected(1000))
            s.externalConnects << address.toString();
    }
    QTcpSocket loopback;
    loopback.connectToHost(QHostAddress::LocalHost, port);
    s.loopbackConnected = loopback.waitForConnected(1000);
    loopback.abort();

    // --run-for 4 and a 3 s grace: the process ends on its own well within 12 s.
    if (!finished.wait(12000)) {
        p.kill();
        finished.wait(2000);
    }
    s.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    s.output = p.readAllStandardOutput() + p.readAllStandardError();
    s.placementsAccepted = exchange.placementsAccepted();
    s.signedRequests = exchange.signedRequests();
    s.signatureFailures = exchange.signatureFailures();

    s.written.push_back({"stdout+stderr", s.output});
    s.written.push_back({"metrics", metrics});
    const QDir d(dir.path());
    for (const QString& name : d.entryList({"marketdesk*", "journal.sqlite*"}, QDir::Files))
        s.written.push_back({name, readAll(d.filePath(name))});
    return s;
}

QByteArray bytesOf(const Session& s, const QString& name) {
    for (const auto& [n, bytes] : s.written)
        if (n == name)
            return bytes;
    return {};
}

} // namespace

class TestSecrets : public QObject {
    Q_OBJECT
private slots:
    void secretsNeverLeak_data() {
        QTest::addColumn<int>("from");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QByteArray>("source");
        QTest::newRow("environment") << int(KeysFrom::Environment) << QByteArray("mdkeyENV7c41e9a05b3d28f6")
                                     << QByteArray("mdsecretENVq2Wz8Lr5Tx1Nv9Kp3Hj6")
                                     << QByteArray("API key from environment (MARKETDESK_BINANCE_API_KEY, "
                                                   "MARKETDESK_BINANCE_API_SECRET)");
        QTest::newRow("config 0600") << int(KeysFrom::Config) << QByteArray("mdkeyCFG3e8b20d71f5a94c6")
                                     << QByteArray("mdsecretCFGm4Xc7Pz1Rb9Ys6Gd2Fw8")
                                     << QByteArray("API key from config");
    }

    void secretsNeverLeak() {
        QFETCH(int, from);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, secret);
        QFETCH(QByteArray, source);
        const Session s = trade(static_cast<KeysFrom>(from), key, secret);
        const QByteArray tail = s.output.right(3000);
        QVERIFY2(s.exitCode == 0, tail.constData());

        // The secret was used: the exchange accepted orders it verified the signature of.
        QVERIFY2(s.placementsAccepted >= 1, tail.constData());
        QVERIFY(s.signedRequests >= s.placementsAccepted);
        QCOMPARE(s.signatureFailures, 0);
        QVERIFY2(s.output.contains(source), tail.constData());

        // Every haystack is really there, so "not found" below means something.
        const QByteArray log = bytesOf(s, "marketdesk.log");
        QVERIFY2(log.contains("[market." + kMarket.toUtf8() + "]") && log.contains(source), "log file");
        QVERIFY2(bytesOf(s, "metrics").contains("marketdesk_open_orders{market=\"" + kMarket.toUtf8() + "\"}"),
                 "metrics");
        QByteArray journal = bytesOf(s, "journal.sqlite") + bytesOf(s, "journal.sqlite-wal");
        QVERIFY2(journal.contains(kMarket.toUtf8()), "journal");
        if (from == int(KeysFrom::Config)) // and the search itself finds a secret where there is one
            QVERIFY(!whereFound({{"config", s.configBytes}}, secret).isEmpty());

        QStringList searched;
        for (const auto& [name, bytes] : s.written)
            searched << QString("%1 (%2 bytes)").arg(name).arg(bytes.size());
        qInfo("%d placements accepted, %d signed requests; searched: %s", s.placementsAccepted, s.signedRequests,
              qPrintable(searched.join(", ")));
        const QString secretAt = whereFound(s.written, secret);
        QVERIFY2(secretAt.isEmpty(), qPrintable("the API secret leaked: " + secretAt));
        const QString keyAt = whereFound(s.written, key);
        QVERIFY2(keyAt.isEmpty(), qPrintable("the API key leaked: " + keyAt));

        // Metrics are served on loopback only.
        QVERIFY(s.loopbackConnected);
        QVERIFY2(s.externalConnects.isEmpty(),
                 qPrintable("metrics reachable from outside at " + s.externalConnects.join(", ")));
        if (s.externalTried == 0)
            qWarning("no non-loopback address on this machine: only the loopback side was checked");
        else
            qInfo("metrics port refused on %d non-loopback address(es)", s.externalTried);
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
