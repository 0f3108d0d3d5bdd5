#pragma once

#include <QString>

#include <memory>
#include <string>

namespace md {

/// One process per journal: an exclusive flock(2) on "<journal>.lock", taken before the journal is
/// opened and held for the life of the process (the descriptor is closed only by the destructor — a
/// release, which also clears the PID —, or
/// by the kernel when the process dies — so the lock of a process killed with SIGKILL is released by
/// the kernel and the next start takes it over, with nothing to clean up). The file holds the
/// holder's PID so that a refused start can name it. The lock file is never deleted: deleting it
/// would let two processes lock two different files of the same name.
/// Thread: any; one object per process and journal.
/// Errors: acquire() returns nullptr and says who holds the lock, or why it could not be taken.
class JournalLock {
public:
    static std::unique_ptr<JournalLock> acquire(const QString& journalPath, std::string& error);
    ~JournalLock();
    JournalLock(const JournalLock&) = delete;
    JournalLock& operator=(const JournalLock&) = delete;

    const QString& path() const { return m_path; }
    /// The PID the lock file named when this process took it over (0: none, or it was our own):
    /// a process that ended without releasing it, e.g. one killed with SIGKILL.
    long previousHolder() const { return m_previousHolder; }

private:
    JournalLock(QString path, int fd, long previousHolder);

    QString m_path;
    int m_fd = -1;
    long m_previousHolder = 0;
};

} // namespace md
