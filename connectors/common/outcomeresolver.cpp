#include "common/outcomeresolver.h"

#include "common/reconnectbackoff.h"

#include <algorithm>

namespace md::venue {

OutcomeResolver::Result OutcomeResolver::resolve(const Policy& policy, const Query& query, const Clock& clock,
                                                 const Sleep& sleep) {
    const std::int64_t giveUpAt = std::max(policy.giveUpAtMs, policy.lastChanceMs);
    // Seeded: the pauses only need to grow, not to be unpredictable between processes.
    ReconnectBackoff backoff(policy.firstDelayMs, policy.maxDelayMs, 7);
    Result result;
    for (;;) {
        const std::int64_t askedAt = clock.nowMs();
        const Answer answer = query();
        ++result.queries;
        if (answer == Answer::Found) {
            result.verdict = Verdict::Found;
            return result;
        }
        if (answer == Answer::NotFound) {
            ++result.notFoundAnswers;
            if (askedAt > policy.lastChanceMs) {
                result.verdict = Verdict::NotPlaced;
                return result;
            }
        }
        const std::int64_t now = clock.nowMs();
        if (answer == Answer::Failed && now >= giveUpAt)
            return result; // still unknown
        int delay = backoff.next();
        // Waiting past the last chance gains nothing: ask right after it.
        if (answer == Answer::NotFound)
            delay = static_cast<int>(std::clamp<std::int64_t>(policy.lastChanceMs - now + 1, 1, delay));
        if (!sleep(delay))
            return result;
    }
}

} // namespace md::venue
