#include "deskrestart.h"

#include "logging/logging.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace md {

QStringList DeskRestart::argumentsFor(const QStringList& arguments, const QString& configPath) {
    QStringList out;
    bool replaced = false;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString& a = arguments[i];
        if ((a == "--config" || a == "-config") && i + 1 < arguments.size()) {
            out << a << configPath;
            ++i;
            replaced = true;
        } else if (a.startsWith("--config=")) {
            out << "--config=" + configPath;
            replaced = true;
        } else {
            out << a;
        }
    }
    if (!replaced)
        out << "--config" << configPath;
    return out;
}

void DeskRestart::exec(const QStringList& arguments) {
    auto log = logging::get("engine");
    // Nothing of this desk's but stdin/stdout/stderr reaches the next one: whatever opened a descriptor
    // without O_CLOEXEC (a log file, a library) is closed by the exec.
    const QStringList fds = QDir("/proc/self/fd").entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System);
    for (const QString& name : fds) {
        bool ok = false;
        const int fd = name.toInt(&ok);
        if (ok && fd > 2) {
            const int flags = ::fcntl(fd, F_GETFD);
            if (flags >= 0)
                ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
        }
    }
    std::vector<QByteArray> storage;
    for (const QString& a : arguments)
        storage.push_back(QFile::encodeName(a));
    std::vector<char*> argv;
    for (auto& s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);
    log->warn("restarting the desk: {}", arguments.join(' ').toStdString());
    logging::flushAll(std::chrono::milliseconds(500));
    ::execv("/proc/self/exe", argv.data());
    log->critical("restart failed: execv /proc/self/exe: {}", std::strerror(errno));
}

} // namespace md
