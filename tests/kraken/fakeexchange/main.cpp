// The fake Kraken exchange on its own, so a person can point MarketDesk at it by hand:
//   fake_kraken_exchange [--symbol BTC/USD] [--rest-port 18090] [--ws-port 18091] [--auth-port 18092]
//                        [--api-key KEY] [--api-secret BASE64] [--update-ms 100]
// It speaks Kraken Spot WebSocket v2 (book with CRC32 checksums, trade, instrument, status, executions,
// balances, add_order, cancel_order, cancel_all, cancel_all_orders_after) and the REST token endpoint.
#include "fakekrakenexchange.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QString symbol = "BTC/USD";
    QByteArray apiKey = "fake-kraken-key";
    QByteArray apiSecret = "ZmFrZS1rcmFrZW4tc2VjcmV0LWZvci10ZXN0cy1vbmx5LXBhZGRpbmctcGFkZGluZw==";
    quint16 restPort = 18090, wsPort = 18091, authPort = 18092;
    int updateMs = 100;
    const auto args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        const bool hasValue = i + 1 < args.size();
        if (args[i] == "--help" || args[i] == "-h" || !hasValue) {
            std::printf("usage: %s [--symbol BTC/USD] [--rest-port 18090] [--ws-port 18091] [--auth-port 18092]\n"
                        "       [--api-key KEY] [--api-secret BASE64] [--update-ms 100]\n",
                        qPrintable(args[0]));
            return args[i].startsWith("-h") || args[i] == "--help" ? 0 : 1;
        }
        const QString option = args[i];
        const QString value = args[++i];
        if (option == "--symbol")
            symbol = value;
        else if (option == "--rest-port")
            restPort = static_cast<quint16>(value.toUInt());
        else if (option == "--ws-port")
            wsPort = static_cast<quint16>(value.toUInt());
        else if (option == "--auth-port")
            authPort = static_cast<quint16>(value.toUInt());
        else if (option == "--api-key")
            apiKey = value.toUtf8();
        else if (option == "--api-secret")
            apiSecret = value.toUtf8();
        else if (option == "--update-ms")
            updateMs = value.toInt();
        else {
            std::fprintf(stderr, "fake_kraken_exchange: unknown option %s (see --help)\n", qPrintable(option));
            return 1;
        }
    }
    md::test::FakeKrakenExchange exchange(symbol);
    exchange.setCredentials(apiKey, apiSecret);
    exchange.setUpdateIntervalMs(updateMs);
    if (!exchange.listen(restPort, wsPort, authPort)) {
        std::fprintf(stderr, "fake_kraken_exchange: cannot listen on 127.0.0.1:%u/%u/%u\n", restPort, wsPort, authPort);
        return 1;
    }
    std::printf("fake Kraken for %s: REST %s, public %s, private %s (book updates every %d ms)\n", qPrintable(symbol),
                qPrintable(exchange.restUrl()), qPrintable(exchange.wsUrl()), qPrintable(exchange.authWsUrl()),
                updateMs);
    std::fflush(stdout);
    return app.exec();
}
