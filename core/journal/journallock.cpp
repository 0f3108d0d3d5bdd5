#include "journal/journallock.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace md {
namespace {

std::string readAll(int fd) {
    std::string text;
    char buffer[64];
    ::lseek(fd, 0, SEEK_SET);
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        if (n <= 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > 256)
            break;
    }
    return text;
}

long pidIn(const std::string& text) {
    long pid = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            break;
        pid = pid * 10 + (c - '0');
        if (pid > 1'000'000'000)
            return 0;
    }
    return pid;
}

} // namespace

std::unique_ptr<JournalLock> JournalLock::acquire(const QString& journalPath, std::string& error) {
    const QString path = journalPath + ".lock";
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        error = "journal " + journalPath.toStdString() + " is not writable: cannot open its lock file " +
                path.toStdString() + ": " + std::strerror(errno);
        return nullptr;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        std::string holder;
        if (err == EWOULDBLOCK) {
            // The holder writes its PID right after locking: a start racing with it may read nothing yet.
            for (int attempt = 0; attempt < 20 && holder.empty(); ++attempt) {
                if (const long pid = pidIn(readAll(fd)))
                    holder = std::to_string(pid);
                else
                    ::usleep(5000);
            }
            error = "journal " + journalPath.toStdString() + " is in use by another MarketDesk process (PID " +
                    (holder.empty() ? std::string("unknown") : holder) +
                    "); one process per journal — stop that one first, or give this one another journal";
        } else {
            error = "cannot lock the journal's lock file " + path.toStdString() + ": " + std::strerror(err);
        }
        ::close(fd);
        return nullptr;
    }
    long previous = pidIn(readAll(fd));
    if (previous == static_cast<long>(::getpid()))
        previous = 0;
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        error = "cannot write the journal's lock file " + path.toStdString() + ": " + std::strerror(errno);
        ::close(fd);
        return nullptr;
    }
    return std::unique_ptr<JournalLock>(new JournalLock(path, fd, previous));
}

JournalLock::JournalLock(QString path, int fd, long previousHolder)
    : m_path(std::move(path))
    , m_fd(fd)
    , m_previousHolder(previousHolder) {}

JournalLock::~JournalLock() {
    if (m_fd < 0)
        return;
    // A release, not a death: the PID goes, so the next start does not report a stale lock.
    [[maybe_unused]] const int truncated = ::ftruncate(m_fd, 0);
    ::close(m_fd); // releases the lock; the file stays (see the class comment)
}

} // namespace md
