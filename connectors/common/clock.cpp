#include "common/clock.h"

#include <chrono>

namespace md::venue {

namespace {
class SystemClock : public Clock {
public:
    std::int64_t nowMs() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};
} // namespace

std::shared_ptr<const Clock> Clock::system() {
    // Leaked on purpose: abandoned connector threads may still read it while the process exits.
    static const auto* clock = new std::shared_ptr<const Clock>(std::make_shared<SystemClock>());
    return *clock;
}

} // namespace md::venue
