#include "faultyvfs.h"

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace md::test::faultyvfs {
namespace {

struct Settings {
    std::atomic<long long> writeDelayUs{0};
    std::atomic<long long> syncDelayUs{0};
    std::atomic<bool> full{false};
    std::atomic<long> refused{0};
    std::mutex mutex; // guards the strings
    std::string fullFlag;
    std::string match = "journal";
};

Settings& settings() {
    static Settings* s = new Settings; // leaked: SQLite may use the VFS until the process ends
    return *s;
}

sqlite3_vfs* g_real = nullptr;

struct FaultyFile {
    sqlite3_file base; // first: SQLite reads pMethods from here
    sqlite3_file* real;
    bool faulty;
};

sqlite3_file* real(sqlite3_file* f) {
    return reinterpret_cast<FaultyFile*>(f)->real;
}

bool isFull() {
    Settings& s = settings();
    if (s.full.load())
        return true;
    std::string flag;
    {
        std::lock_guard lock(s.mutex);
        flag = s.fullFlag;
    }
    return !flag.empty() && ::access(flag.c_str(), F_OK) == 0;
}

void pause(long long us) {
    if (us > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(us));
}

int xClose(sqlite3_file* f) {
    return real(f)->pMethods->xClose(real(f));
}
int xRead(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
    return real(f)->pMethods->xRead(real(f), buffer, amount, offset);
}
int xWrite(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
    auto* file = reinterpret_cast<FaultyFile*>(f);
    if (file->faulty) {
        pause(settings().writeDelayUs.load());
        if (isFull()) {
            settings().refused.fetch_add(1);
            return SQLITE_FULL;
        }
    }
    return file->real->pMethods->xWrite(file->real, buffer, amount, offset);
}
int xTruncate(sqlite3_file* f, sqlite3_int64 size) {
    return real(f)->pMethods->xTruncate(real(f), size);
}
int xSync(sqlite3_file* f, int flags) {
    if (reinterpret_cast<FaultyFile*>(f)->faulty)
        pause(settings().syncDelayUs.load());
    return real(f)->pMethods->xSync(real(f), flags);
}
int xFileSize(sqlite3_file* f, sqlite3_int64* size) {
    return real(f)->pMethods->xFileSize(real(f), size);
}
int xLock(sqlite3_file* f, int level) {
    return real(f)->pMethods->xLock(real(f), level);
}
int xUnlock(sqlite3_file* f, int level) {
    return real(f)->pMethods->xUnlock(real(f), level);
}
int xCheckReservedLock(sqlite3_file* f, int* out) {
    return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int xFileControl(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int xSectorSize(sqlite3_file* f) {
    return real(f)->pMethods->xSectorSize(real(f));
}
int xDeviceCharacteristics(sqlite3_file* f) {
    return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int xShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int xShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void xShmBarrier(sqlite3_file* f) {
    real(f)->pMethods->xShmBarrier(real(f));
}
int xShmUnmap(sqlite3_file* f, int deleteFlag) {
    return real(f)->pMethods->xShmUnmap(real(f), deleteFlag);
}
int xFetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return real(f)->pMethods->xFetch(real(f), offset, amount, out);
}
int xUnfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    return real(f)->pMethods->xUnfetch(real(f), offset, p);
}

const sqlite3_io_methods kMethods = {
    3,
    xClose,
    xRead,
    xWrite,
    xTruncate,
    xSync,
    xFileSize,
    xLock,
    xUnlock,
    xCheckReservedLock,
    xFileControl,
    xSectorSize,
    xDeviceCharacteristics,
    xShmMap,
    xShmLock,
    xShmBarrier,
    xShmUnmap,
    xFetch,
    xUnfetch,
};

int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags) {
    auto* file = reinterpret_cast<FaultyFile*>(f);
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    std::string match;
    {
        std::lock_guard lock(settings().mutex);
        match = settings().match;
    }
    file->faulty = name && !match.empty() && std::strstr(name, match.c_str()) != nullptr;
    const int rc = g_real->xOpen(g_real, name, file->real, flags, outFlags);
    // The unix VFS gives every file version-3 methods; a file it could not open has none.
    file->base.pMethods = rc == SQLITE_OK && file->real->pMethods ? &kMethods : nullptr;
    return rc;
}
int xDelete(sqlite3_vfs*, const char* name, int syncDir) {
    return g_real->xDelete(g_real, name, syncDir);
}
int xAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_real->xAccess(g_real, name, flags, out);
}
int xFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
    return g_real->xFullPathname(g_real, name, n, out);
}
void* xDlOpen(sqlite3_vfs*, const char* name) {
    return g_real->xDlOpen(g_real, name);
}
void xDlError(sqlite3_vfs*, int n, char* out) {
    g_real->xDlError(g_real, n, out);
}
void (*xDlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
    return g_real->xDlSym(g_real, handle, symbol);
}
void xDlClose(sqlite3_vfs*, void* handle) {
    g_real->xDlClose(g_real, handle);
}
int xRandomness(sqlite3_vfs*, int n, char* out) {
    return g_real->xRandomness(g_real, n, out);
}
int xSleep(sqlite3_vfs*, int us) {
    return g_real->xSleep(g_real, us);
}
int xCurrentTime(sqlite3_vfs*, double* out) {
    return g_real->xCurrentTime(g_real, out);
}
int xGetLastError(sqlite3_vfs*, int n, char* out) {
    return g_real->xGetLastError(g_real, n, out);
}
int xCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
    return g_real->xCurrentTimeInt64(g_real, out);
}

long long envMicroseconds(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::atoll(v) : 0;
}

} // namespace

void install() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_real = sqlite3_vfs_find(nullptr);
        static sqlite3_vfs vfs{};
        vfs.iVersion = 2;
        vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + g_real->szOsFile;
        vfs.mxPathname = g_real->mxPathname;
        vfs.zName = "md-faulty";
        vfs.xOpen = xOpen;
        vfs.xDelete = xDelete;
        vfs.xAccess = xAccess;
        vfs.xFullPathname = xFullPathname;
        vfs.xDlOpen = xDlOpen;
        vfs.xDlError = xDlError;
        vfs.xDlSym = xDlSym;
        vfs.xDlClose = xDlClose;
        vfs.xRandomness = xRandomness;
        vfs.xSleep = xSleep;
        vfs.xCurrentTime = xCurrentTime;
        vfs.xGetLastError = xGetLastError;
        vfs.xCurrentTimeInt64 = xCurrentTimeInt64;
        Settings& s = settings();
        s.writeDelayUs = envMicroseconds("MD_FAULTY_VFS_WRITE_DELAY_US");
        s.syncDelayUs = envMicroseconds("MD_FAULTY_VFS_SYNC_DELAY_US");
        if (const char* flag = std::getenv("MD_FAULTY_VFS_FULL_FLAG"))
            s.fullFlag = flag;
        if (const char* match = std::getenv("MD_FAULTY_VFS_MATCH"))
            s.match = match;
        sqlite3_vfs_register(&vfs, 1);
    });
}

void setWriteDelayUs(long long microseconds) {
    settings().writeDelayUs = microseconds;
}
void setSyncDelayUs(long long microseconds) {
    settings().syncDelayUs = microseconds;
}
void setFull(bool full) {
    settings().full = full;
}
void setFullFlagFile(const std::string& path) {
    std::lock_guard lock(settings().mutex);
    settings().fullFlag = path;
}
void setMatch(const std::string& marker) {
    std::lock_guard lock(settings().mutex);
    settings().match = marker;
}
long refusedWrites() {
    return settings().refused.load();
}

} // namespace md::test::faultyvfs
