#include "journalreader.h"

#include <sqlite3.h>

#include <stdexcept>

namespace md::test {

JournalReader::JournalReader(std::string path)
    : m_path(std::move(path)) {}

JournalReader::~JournalReader() {
    if (m_db)
        sqlite3_close(static_cast<sqlite3*>(m_db));
}

void* JournalReader::db() {
    if (!m_db) {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(m_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open the journal " + m_path);
        m_db = db;
    }
    return m_db;
}

int JournalReader::ordersWithStatus(const std::string& market, const std::string& status) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(static_cast<sqlite3*>(db()), "SELECT count(*) FROM orders WHERE market=? AND status=?", -1,
                           &q, nullptr) != SQLITE_OK)
        throw std::runtime_error(sqlite3_errmsg(static_cast<sqlite3*>(m_db)));
    sqlite3_bind_text(q, 1, market.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, status.c_str(), -1, SQLITE_TRANSIENT);
    const int count = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
    sqlite3_finalize(q);
    return count;
}

bool JournalReader::hasOrder(const std::string& market, std::uint64_t clientId) {
    db();
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(static_cast<sqlite3*>(m_db), "SELECT count(*) FROM orders WHERE market=? AND client_id=?",
                           -1, &q, nullptr) != SQLITE_OK)
        throw std::runtime_error(sqlite3_errmsg(static_cast<sqlite3*>(m_db)));
    sqlite3_bind_text(q, 1, market.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, static_cast<sqlite3_int64>(clientId));
    const bool there = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
    sqlite3_finalize(q);
    return there;
}

} // namespace md::test
