#pragma once

#include "common/clock.h"

#include <cstdint>
#include <functional>

namespace md::venue {

/// Settles a request whose outcome is unknown (a timeout, a 5xx, "execution status unknown", a
/// connection lost after sending): the venue is asked about the order, with a growing pause between
/// questions, until the answer is certain. "It exists" is certain at once. "It does not exist" is
/// certain only when the question was asked after the request could no longer take effect
/// (`lastChanceMs`: for a venue with a receive window, the request's timestamp plus that window,
/// plus a margin); before that the request may still be on its way, so the answer is only "not
/// yet". Failures to ask are retried until `giveUpAtMs`, after which the outcome stays unknown for
/// the order stream or the next reconciliation to settle.
/// Thread: the caller's; it blocks in `sleep` between questions (an executor thread may).
class OutcomeResolver {
public:
    enum class Answer { Found, NotFound, Failed };
    enum class Verdict { Found, NotPlaced, StillUnknown };

    struct Policy {
        std::int64_t lastChanceMs = 0;
        std::int64_t giveUpAtMs = 0; // raised to at least lastChanceMs
        int firstDelayMs = 100;
        int maxDelayMs = 2000;
    };
    struct Result {
        Verdict verdict = Verdict::StillUnknown;
        int queries = 0;
        int notFoundAnswers = 0;
    };
    using Query = std::function<Answer()>;
    /// Waits `ms`; false when the wait was cut short and resolution must stop (the market stops).
    using Sleep = std::function<bool(int ms)>;

    static Result resolve(const Policy& policy, const Query& query, const Clock& clock, const Sleep& sleep);
};

} // namespace md::venue
