#include "controlclient.h"

#include "controlpath.h"
#include "exitcodes.h"

#include <QFileInfo>
#include <QLocalSocket>

#include <cstdio>

namespace md {

namespace {
/// The desk answers at once from its main thread; a desk that does not is stuck, and is said so.
constexpr int kAnswerTimeoutMs = 10000;
} // namespace

int runControlCommand(const QString& journalPath, const QStringList& command) {
    std::string why;
    const QString path = controlSocketPath(journalPath, why);
    if (path.isEmpty()) {
        std::fprintf(stderr, "marketdesk: %s\n", why.c_str());
        return exitcode::kNoDesk;
    }
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(kAnswerTimeoutMs)) {
        std::fprintf(stderr, "marketdesk: no desk is running on the journal %s (%s: %s)\n", qPrintable(journalPath),
                     qPrintable(path), qPrintable(socket.errorString()));
        return exitcode::kNoDesk;
    }
    QStringList request = command;
    // The desk resolves a file against its own directory, not the caller's.
    if (request.size() > 1 && request[0] == "open")
        request[1] = QFileInfo(request[1]).absoluteFilePath();
    socket.write((request.join(' ') + "\n").toUtf8());
    QByteArray reply;
    while (socket.state() == QLocalSocket::ConnectedState && socket.waitForReadyRead(kAnswerTimeoutMs))
        reply += socket.readAll();
    reply += socket.readAll();
    if (reply.isEmpty()) {
        std::fprintf(stderr, "marketdesk: the desk at %s did not answer within %d s\n", qPrintable(path),
                     kAnswerTimeoutMs / 1000);
        return exitcode::kNoDesk;
    }
    const bool ok = reply.startsWith("ok");
    std::fputs(reply.constData(), ok ? stdout : stderr);
    return ok ? exitcode::kClean : exitcode::kRefused;
}

} // namespace md
