#pragma once

#include <cstdint>
#include <string>

namespace md::test {

/// A read-only look into a journal file with SQLite itself (no Qt): what is committed, as another
/// process would see it after a crash (WAL readers see committed transactions only).
/// Thread: the thread that uses it (one connection per reader).
class JournalReader {
public:
    explicit JournalReader(std::string path);
    ~JournalReader();
    JournalReader(const JournalReader&) = delete;
    JournalReader& operator=(const JournalReader&) = delete;

    /// True when the journal holds the order (any status).
    bool hasOrder(const std::string& market, std::uint64_t clientId);
    /// How many of the market's orders have this status (e.g. "not_executed").
    int ordersWithStatus(const std::string& market, const std::string& status);

private:
    void* db(); // opened at first use, on the calling thread
    std::string m_path;
    void* m_db = nullptr; // sqlite3*, kept out of this header (moc cannot parse sqlite3.h's includes)
};

} // namespace md::test
