#pragma once

#include <string>

namespace md::test::faultyvfs {

/// A slow or full disk under SQLite, for tests: a VFS registered as SQLite's default that wraps the
/// real one ("unix") and, for database files whose path contains a marker ("journal" unless set),
///  - sleeps before every write and every sync (a slow disk),
///  - fails every write with SQLITE_FULL while "full" (what the unix VFS reports on ENOSPC).
/// The faults apply to the journal's own files only, so a test's other SQLite use is untouched.
/// In-process: install() then the setters. In another process: LD_PRELOAD the preload library and
/// set MD_FAULTY_VFS_WRITE_DELAY_US, MD_FAULTY_VFS_SYNC_DELAY_US, MD_FAULTY_VFS_FULL_FLAG (the disk is
/// full while that file exists) and MD_FAULTY_VFS_MATCH.
/// Thread: any (the settings are atomics).
void install();
void setWriteDelayUs(long long microseconds); // (no <chrono> here: moc cannot parse it from this folder)
void setSyncDelayUs(long long microseconds);
void setFull(bool full);
/// The disk reads as full while this file exists (checked on every write); empty: never.
void setFullFlagFile(const std::string& path);
void setMatch(const std::string& marker);
/// Writes refused with SQLITE_FULL so far.
long refusedWrites();

} // namespace md::test::faultyvfs
