#pragma once

#include "engine/journalsink.h"

#include <QString>

#include <string>

namespace md::journalschema {

/// Opens a QSQLITE connection named `connection` on the calling thread and checks the file is a
/// healthy journal. Writers also switch to WAL, set `synchronous` for `sync`, bring the schema up
/// to date (additive migrations numbered by PRAGMA user_version, so journals of older versions are
/// migrated in place) and prove they can write by recording this run (table `runs`): a read-only
/// file, a full disk or a read-only mount fails here, before anything trades.
/// openExisting (`--journal-report`, reconciliation) neither migrates nor proves it can write.
/// Thread: the calling thread owns the connection. Errors: false with a message naming the file.
bool openForRun(const QString& connection, const QString& path, JournalSync sync, const std::string& run,
                std::string& error);
bool openExisting(const QString& connection, const QString& path, std::string& error);

/// The schema version this build writes.
int currentVersion();

} // namespace md::journalschema
