// LD_PRELOAD this library into a process (e.g. marketdesk) to put the faulty VFS under its SQLite,
// configured from the environment (see faultyvfs.h).
#include "faultyvfs.h"

namespace {
__attribute__((constructor)) void installFaultyVfs() {
    md::test::faultyvfs::install();
}
} // namespace
