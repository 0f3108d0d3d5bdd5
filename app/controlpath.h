#pragma once

#include <QString>

#include <string>

namespace md {

/// Where a desk's control socket is (issue 17 part 3): one per journal, as its lock, so the control
/// command finds the desk from the same --config. The socket can stop trading, so it lives in a
/// directory only this user may enter — $XDG_RUNTIME_DIR/marketdesk, or /tmp/marketdesk-<uid> — made
/// 0700 and refused when another user owns it or others may enter it; its name is a hash of the
/// journal's absolute path (a socket's path must stay under 108 bytes, a journal's need not).
/// Returns an empty string and says why in `error` when no safe directory can be had.
/// Thread: any.
QString controlSocketPath(const QString& journalPath, std::string& error);

} // namespace md
