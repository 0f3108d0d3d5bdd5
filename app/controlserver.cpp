#include "controlserver.h"

#include "engine/engine.h"
#include "logging/logging.h"
#include "positions/moneytext.h"

#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

namespace md {

namespace {

/// A request is one short line; more is not a request of ours.
constexpr qint64 kMaxRequestBytes = 4096;
/// A client that connects and says nothing is dropped after this long.
constexpr int kRequestTimeoutMs = 5000;

const char* kUsage = "commands: list | pause <id> keep|cancel | resume <id> | stop <id> | start <id> | "
                     "halt-desk | resume-desk | shutdown | open <config file>";

QString error(const QString& why) {
    return "error: " + why + "\n";
}

} // namespace

ControlServer::ControlServer(Engine& engine, Validator validate, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_validate(std::move(validate))
    , m_server(new QLocalServer(this)) {
    // 0600 on the socket itself, beside the 0700 directory.
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &ControlServer::onNewConnection);
}

ControlServer::~ControlServer() = default;

bool ControlServer::listen(const QString& path, QString& why) {
    QLocalServer::removeServer(path);
    if (m_server->listen(path))
        return true;
    why = m_server->errorString();
    return false;
}

QString ControlServer::path() const {
    return m_server->fullServerName();
}

void ControlServer::close() {
    m_server->close();
}

void ControlServer::onNewConnection() {
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(kRequestTimeoutMs, socket, [socket] { socket->abort(); });
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > kMaxRequestBytes) {
                    socket->write(error("request too long").toUtf8());
                    socket->disconnectFromServer();
                }
                return;
            }
            const QString request = QString::fromUtf8(socket->readLine(kMaxRequestBytes)).trimmed();
            socket->write(answer(request).toUtf8());
            socket->disconnectFromServer(); // after what was written is sent
        });
    }
}

QString ControlServer::answer(const QString& request) {
    const QString command = request.section(' ', 0, 0, QString::SectionSkipEmpty);
    if (command.isEmpty())
        return error(QString("no command; ") + kUsage);
    // The request reaches the log: a newline or an escape sequence in it could forge a line there.
    for (const QChar c : request)
        if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() <= 0x9f))
            return error("control characters are not allowed in a request");
    if (command == "list") // read-only, and polled: not worth a log line each time
        return list();
    logging::get("engine")->info("control: {}", request.toStdString());
    if (command == "halt-desk") {
        m_engine.halt();
        return "ok: the desk is halted (no new placements; open orders are cancelled)\n";
    }
    if (command == "resume-desk") {
        if (!m_engine.isHalted())
            return error("the desk is not halted");
        emit deskResumeRequested();
        return "ok: resume asked\n";
    }
    if (command == "shutdown") {
        if (m_engine.isShuttingDown())
            return error("the shutdown is already under way");
        m_engine.beginShutdown();
        return "ok: orderly shutdown begun\n";
    }
    if (command == "open") {
        const QString file = request.section(' ', 1, -1, QString::SectionSkipEmpty).trimmed();
        if (file.isEmpty())
            return error("open: which configuration file?");
        if (m_engine.isShuttingDown())
            return error("the shutdown is already under way");
        if (auto refused = m_validate(file))
            return error(QString("%1: %2; the desk runs on unchanged").arg(file, QString::fromStdString(*refused)));
        std::uint64_t open = 0;
        for (const auto& h : m_engine.health())
            open += h.openOrders;
        emit openRequested(file);
        return QString("ok: restarting on %1: the orderly shutdown cancels %2 open order(s) first\n")
            .arg(file)
            .arg(open);
    }
    const QStringList args = request.split(' ', Qt::SkipEmptyParts).mid(1);
    if (command == "pause" || command == "resume" || command == "stop" || command == "start")
        return strategyCommand(command, args);
    return error(QString("unknown command \"%1\"; %2").arg(command, kUsage));
}

QString ControlServer::list() const {
    QString out = QString("ok: desk %1, %2 strateg%3\n")
                      .arg(m_engine.isShuttingDown() ? "shutting down"
                           : m_engine.isHalted()     ? "halted"
                                                     : "trading")
                      .arg(m_engine.strategies().size())
                      .arg(m_engine.strategies().size() == 1 ? "y" : "ies");
    out += QString("%1 %2 %3 %4 %5 %6 %7\n")
               .arg("id", -16)
               .arg("kind", -14)
               .arg("state", -9)
               .arg("open", 5)
               .arg("fills", 6)
               .arg("markets", -16)
               .arg("P&L (fees included)");
    const auto money = m_engine.money();
    for (const auto& s : m_engine.strategies()) {
        QStringList markets;
        for (MarketId m : s.markets)
            markets << QString::fromStdString(m_engine.marketSpec(m).name);
        out += QString("%1 %2 %3 %4 %5 %6 %7%8\n")
                   .arg(QString::fromStdString(s.id), -16)
                   .arg(QString::fromStdString(s.kind), -14)
                   .arg(QString::fromUtf8(nameOf(s.state).data(), static_cast<int>(nameOf(s.state).size())), -9)
                   .arg(s.openOrders, 5)
                   .arg(s.fills, 6)
                   .arg(markets.join(','), -16)
                   .arg(QString::fromStdString(moneytext::strategyText(*money, s.id)))
                   .arg(s.failure.empty() ? QString() : " (" + QString::fromStdString(s.failure) + ")");
    }
    return out;
}

std::optional<unsigned> ControlServer::ownerOf(const QString& id, QString& why) const {
    const auto& ids = m_engine.strategyIds();
    for (unsigned i = 0; i < ids.size(); ++i)
        if (QString::fromStdString(ids[i]) == id)
            return i;
    QStringList known;
    for (const auto& k : ids)
        known << QString::fromStdString(k);
    why = QString("no strategy \"%1\" (the desk's: %2)").arg(id, known.join(", "));
    return std::nullopt;
}

QString ControlServer::strategyCommand(const QString& command, const QStringList& args) {
    if (args.isEmpty())
        return error(command + ": which strategy? (list names them)");
    const bool pause = command == "pause";
    if (args.size() != (pause ? 2 : 1) || (pause && args[1] != "keep" && args[1] != "cancel"))
        return error(pause ? "pause <id> keep|cancel: keep (its open orders stay) or cancel (they are cancelled)"
                           : command + " <id>: one strategy id");
    QString why;
    const auto owner = ownerOf(args[0], why);
    if (!owner)
        return error(why);
    if (m_engine.isShuttingDown())
        return error("the shutdown is already under way");
    const StrategyStatus& s = m_engine.strategies().at(*owner);
    const QString state = QString::fromUtf8(nameOf(s.state).data(), static_cast<int>(nameOf(s.state).size()));
    const auto refuse = [&](const char* wants) {
        return error(QString("%1 is %2; %3 needs it %4").arg(args[0], state, command, wants));
    };
    const auto id = static_cast<OwnerId>(*owner);
    if (pause) {
        if (s.state != StrategyState::Running)
            return refuse("running");
        m_engine.pauseStrategy(id, args[1] == "cancel");
        return QString("ok: %1 pausing; its %2 open order(s) %3\n")
            .arg(args[0])
            .arg(s.openOrders)
            .arg(args[1] == "cancel" ? "are cancelled" : "stay");
    }
    if (command == "resume") {
        if (s.state != StrategyState::Paused && s.state != StrategyState::Halted)
            return refuse("paused or halted");
        m_engine.resumeStrategy(id);
    } else if (command == "stop") {
        if (s.state == StrategyState::Stopping || s.state == StrategyState::Stopped)
            return refuse("running, paused or halted");
        m_engine.stopStrategy(id);
    } else {
        if (s.state != StrategyState::Stopped)
            return refuse("stopped");
        m_engine.startStrategy(id);
    }
    const char* doing = command == "stop"     ? "stopping (its orders are cancelled)"
                        : command == "resume" ? "resuming"
                                              : "starting";
    return QString("ok: %1 %2\n").arg(args[0], doing);
}

} // namespace md
