#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <string>

class QLocalServer;
class QLocalSocket;

namespace md {

class Engine;

/// The running desk's control socket (issue 17 part 3): `marketdesk --control <command>` sends one
/// line, the desk answers in plain text and closes. The first line of an answer is "ok" or
/// "error: <why>". Commands: list; pause <id> keep|cancel; resume <id>; stop <id>; start <id>;
/// halt-desk; resume-desk; shutdown; open <config file>. The socket is owner-only (its directory
/// 0700, the socket 0600: see controlSocketPath), since it can stop trading.
/// Thread: the main thread (the engine's).
class ControlServer : public QObject {
    Q_OBJECT
public:
    /// Checks a configuration file as the desk would load it: the error (field named), or none.
    using Validator = std::function<std::optional<std::string>(const QString& path)>;

    ControlServer(Engine& engine, Validator validate, QObject* parent = nullptr);
    ~ControlServer() override;
    /// Listens at `path`. A socket file left by a desk that was killed is replaced: the caller holds
    /// the journal's lock, so no other desk of this journal can be listening there.
    bool listen(const QString& path, QString& error);
    QString path() const;
    /// Stops listening and removes the socket file.
    void close();
    /// The answer to one request line (tests; the socket calls it too).
    QString answer(const QString& request);

signals:
    /// `open`: the file was checked; the desk is to restart on it after the orderly shutdown.
    void openRequested(const QString& configPath);
    /// `resume-desk` (with a window, the window asks first, like SIGUSR2).
    void deskResumeRequested();

private:
    void onNewConnection();
    QString list() const;
    /// The owner of strategy `id`, or the error naming it.
    std::optional<unsigned> ownerOf(const QString& id, QString& error) const;
    QString strategyCommand(const QString& command, const QStringList& args);

    Engine& m_engine;
    Validator m_validate;
    QLocalServer* m_server;
};

} // namespace md
