#include "processexit.h"

#include "logging/logging.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace md {

void exitProcess(int code) {
    static std::atomic<bool> exiting{false}; // an atomic, not a mutex: nothing here may block at exit
    if (exiting.exchange(true)) {
        for (;;)
            std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    logging::get("engine")->info("exit code {}", code);
    logging::flushAll(std::chrono::milliseconds(500));
    std::_Exit(code);
}

} // namespace md
