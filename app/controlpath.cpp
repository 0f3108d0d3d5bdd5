#include "controlpath.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

namespace md {

QString controlSocketPath(const QString& journalPath, std::string& error) {
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString dir = !runtime.isEmpty() && QFileInfo(runtime).isDir()
                            ? runtime + "/marketdesk"
                            : QString("/tmp/marketdesk-%1").arg(static_cast<qulonglong>(::getuid()));
    const QByteArray name = QFile::encodeName(dir);
    if (::mkdir(name.constData(), 0700) != 0 && errno != EEXIST) {
        error = fmt::format("cannot make the control directory {}: {}", name.constData(), std::strerror(errno));
        return {};
    }
    // lstat, not stat: a symbolic link planted by someone else is refused, not followed.
    struct stat st {};
    if (::lstat(name.constData(), &st) != 0) {
        error = fmt::format("cannot check the control directory {}: {}", name.constData(), std::strerror(errno));
        return {};
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 077u) != 0) {
        error = fmt::format("the control directory {} is not a directory of this user's that only it may enter "
                            "(owner {}, mode {:04o}); refusing it",
                            name.constData(), st.st_uid, st.st_mode & 07777u);
        return {};
    }
    const QByteArray hash =
        QCryptographicHash::hash(QFileInfo(journalPath).absoluteFilePath().toUtf8(), QCryptographicHash::Sha1)
            .toHex()
            .left(16);
    return dir + "/desk-" + QString::fromLatin1(hash) + ".sock";
}

} // namespace md
