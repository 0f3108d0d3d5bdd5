#pragma once

#include <QString>
#include <QStringList>

namespace md {

/// Restarts the desk on another configuration (File → Open, `--control open`) once the orderly
/// shutdown is over: the process image is replaced (execv of /proc/self/exe) with the same arguments
/// but --config. Not restarted in-process: threads that outlived their grace may still run (the
/// process leaves with _Exit for that reason); exec ends them all. Every descriptor is marked
/// close-on-exec first, so the journal's lock, the metrics and control sockets cannot outlive the old
/// desk and make the new one refuse to start.
/// Thread: the main thread.
class DeskRestart {
public:
    /// `arguments` (argv[0] included) with --config set to `configPath` (replaced, or added).
    static QStringList argumentsFor(const QStringList& arguments, const QString& configPath);
    /// Replaces the process; returns only when exec failed (the error is logged).
    static void exec(const QStringList& arguments);
};

} // namespace md
