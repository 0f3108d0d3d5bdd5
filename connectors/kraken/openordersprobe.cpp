#include "kraken/openordersprobe.h"

#include "kraken/krakenparser.h"
#include "kraken/tokenclient.h"

#include <QEventLoop>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace md::kraken {

std::optional<std::vector<ExecutionLedger::OpenOrder>>
queryOpenOrders(const Settings& settings, const Credentials& credentials, const std::string& symbol, int timeoutMs) {
    if (!credentials.present())
        return std::nullopt;
    QEventLoop loop;
    TokenClient tokens(settings, credentials);
    QWebSocket socket;
    Parser parser;
    ExecutionLedger ledger;
    bool done = false;
    QByteArray token;
    QObject::connect(&tokens, &TokenClient::tokenReady, &loop, [&](const QString& t) {
        token = t.toUtf8();
        socket.open(QUrl(QString::fromStdString(settings.authWsUrl)));
    });
    QObject::connect(&tokens, &TokenClient::failed, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&] {
        socket.sendTextMessage(QString::fromUtf8("{\"method\":\"subscribe\",\"params\":{\"channel\":\"executions\","
                                                 "\"token\":\"" +
                                                 token +
                                                 "\",\"snap_orders\":true,\"snap_trades\":false},\"req_id\":1}"));
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString& frame) {
        const QByteArray bytes = frame.toUtf8();
        auto parsed = parser.parse(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
        if (auto* m = std::get_if<Message>(&parsed))
            if (auto* e = std::get_if<ExecutionsMessage>(m); e && e->snapshot) {
                ledger.apply(*e);
                done = true;
                loop.quit();
            }
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    tokens.fetch();
    loop.exec();
    socket.disconnect();
    socket.abort();
    if (!done)
        return std::nullopt;
    std::vector<ExecutionLedger::OpenOrder> out;
    for (const auto& o : ledger.openOrders()) // the snapshot is the account's: this pair's only
        if (o.symbol.empty() || o.symbol == symbol)
            out.push_back(o);
    return out;
}

} // namespace md::kraken
