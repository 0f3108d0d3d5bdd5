// The fake Binance exchange on its own, so a person can point MarketDesk at it:
//   fake_binance [--symbol BTCUSDT] [--rest-port 18080] [--stream-port 18081]
// then a market with "connector": "binance" and settings
//   {"rest_url": "http://127.0.0.1:18080", "stream_url": "ws://127.0.0.1:18081"}.
#include "fakebinanceexchange.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QString symbol = "BTCUSDT";
    quint16 restPort = 18080, streamPort = 18081;
    const auto args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--symbol")
            symbol = args[i + 1];
        if (args[i] == "--rest-port")
            restPort = static_cast<quint16>(args[i + 1].toUInt());
        if (args[i] == "--stream-port")
            streamPort = static_cast<quint16>(args[i + 1].toUInt());
    }
    md::test::FakeBinanceExchange exchange(symbol);
    if (!exchange.listen(restPort, streamPort)) {
        std::fprintf(stderr, "fake_binance: cannot listen on 127.0.0.1:%u/%u\n", restPort, streamPort);
        return 1;
    }
    std::printf("fake Binance for %s: REST %s, stream %s\n", qPrintable(symbol), qPrintable(exchange.restUrl()),
                qPrintable(exchange.streamUrl()));
    std::fflush(stdout);
    return app.exec();
}
