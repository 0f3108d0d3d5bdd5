#pragma once

namespace md::exitcode {
inline constexpr int kClean = 0;         // every market stopped cleanly
inline constexpr int kUsage = 1;         // bad command line
inline constexpr int kBadConfig = 2;     // configuration refused; nothing started
inline constexpr int kKilled = 3;        // at least one market had to be killed
inline constexpr int kOrdersOpen = 4;    // --journal-report: orders left open or unknown
inline constexpr int kJournal = 5;       // the journal cannot be opened or written, or is in use: nothing traded
inline constexpr int kJournalFailed = 6; // the journal failed while running: trading was halted from then on
inline constexpr int kNoDesk = 7;        // --control: no desk runs on that journal (or it did not answer)
inline constexpr int kRefused = 8;       // --control: the desk refused the command (the answer says why)
} // namespace md::exitcode
