#pragma once

#include <QString>
#include <QStringList>

namespace md {

/// `marketdesk --control <command> [args]`: sends the command to the desk running on `journalPath`
/// (its control socket: controlSocketPath), prints the answer — on stdout when it is "ok", on stderr
/// otherwise — and returns the exit code: 0 done, exitcode::kRefused when the desk refused it (an
/// unknown strategy, a state that does not allow it), exitcode::kNoDesk when no desk runs there.
/// Thread: the main thread, before any event loop.
int runControlCommand(const QString& journalPath, const QStringList& command);

} // namespace md
