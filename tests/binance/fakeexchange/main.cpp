// The fake Binance exchange on its own, so a person can point MarketDesk at it by hand:
//   fake_binance_exchange [--symbol BTCUSDT] [--rest-port 18080] [--stream-port 18081]
//                         [--api-key KEY] [--api-secret SECRET] [--ed25519-public-key FILE] [--update-ms 100]
// It speaks Binance Spot as it is today: REST (signed over the percent-encoded bytes it receives),
// the combined market-data stream, and the WebSocket API (/ws-api/v3) with the user data
// subscription and order methods, with a matching engine for orders. The retired listenKey
// endpoints answer 410 Gone.
#include "fakebinanceexchange.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QString symbol = "BTCUSDT";
    QByteArray apiKey = "fake-api-key", apiSecret = "fake-api-secret";
    QString publicKeyFile;
    quint16 restPort = 18080, streamPort = 18081;
    int updateMs = 100;
    const auto args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const bool hasValue = i + 1 < args.size();
        if (args[i] == "--help" || args[i] == "-h" || !hasValue) {
            std::printf("usage: %s [--symbol BTCUSDT] [--rest-port 18080] [--stream-port 18081]\n"
                        "       [--api-key KEY] [--api-secret SECRET] [--ed25519-public-key FILE] [--update-ms 100]\n",
                        qPrintable(args[0]));
            return args[i].startsWith("-h") || args[i] == "--help" ? 0 : 1;
        }
        const QString value = args[++i];
        if (args[i - 1] == "--symbol")
            symbol = value;
        else if (args[i - 1] == "--rest-port")
            restPort = static_cast<quint16>(value.toUInt());
        else if (args[i - 1] == "--stream-port")
            streamPort = static_cast<quint16>(value.toUInt());
        else if (args[i - 1] == "--api-key")
            apiKey = value.toUtf8();
        else if (args[i - 1] == "--api-secret")
            apiSecret = value.toUtf8();
        else if (args[i - 1] == "--ed25519-public-key")
            publicKeyFile = value;
        else if (args[i - 1] == "--update-ms")
            updateMs = value.toInt();
        else {
            std::fprintf(stderr, "fake_binance_exchange: unknown option %s (see --help)\n", qPrintable(args[i - 1]));
            return 1;
        }
    }
    md::test::FakeBinanceExchange exchange(symbol);
    if (publicKeyFile.isEmpty()) {
        exchange.setCredentials(apiKey, apiSecret);
    } else {
        QFile file(publicKeyFile);
        if (!file.open(QIODevice::ReadOnly) || !exchange.setEd25519Key(apiKey, file.readAll())) {
            std::fprintf(stderr, "fake_binance_exchange: %s is not an Ed25519 public key (PEM)\n",
                         qPrintable(publicKeyFile));
            return 1;
        }
    }
    exchange.setUpdateIntervalMs(updateMs);
    if (!exchange.listen(restPort, streamPort)) {
        std::fprintf(stderr, "fake_binance_exchange: cannot listen on 127.0.0.1:%u/%u\n", restPort, streamPort);
        return 1;
    }
    std::printf("fake Binance for %s: REST %s, stream %s, WebSocket API %s (diffs every %d ms)\n"
                "point MarketDesk at it (orders need the fake's key in the environment):\n"
                "  MARKETDESK_BINANCE_API_KEY=%s MARKETDESK_BINANCE_API_SECRET=<the secret> \\\n"
                "    build/app/marketdesk --config resources/config/binance-fake.json\n",
                qPrintable(symbol), qPrintable(exchange.restUrl()), qPrintable(exchange.streamUrl()),
                qPrintable(exchange.wsApiUrl()), updateMs, apiKey.constData());
    std::fflush(stdout);
    return app.exec();
}
