#pragma once

#include "kraken/krakenmessages.h"

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace md::kraken {

/// Carries a request from the executor thread to the authenticated socket on the producer thread and
/// its answer back, matched by `req_id` (every v2 request echoes it). The three outcomes are kept apart
/// because they mean different things for an order: NotSent (Kraken saw nothing: safe to call refused),
/// Answered, and NoAnswer (sent, but no answer within the timeout or the connection fell: the outcome is
/// unknown and must be learnt, never guessed or re-sent).
/// Thread: any (one mutex; call() blocks its caller on a condition variable).
class RequestChannel {
public:
    struct Request {
        std::uint64_t reqId = 0;
        QByteArray method;
        QByteArray params; // the members of "params" without the token, e.g. "\"order_type\":\"limit\",..."
    };
    struct Result {
        enum class Kind { Answered, NotSent, NoAnswer } kind = Kind::NoAnswer;
        MethodAnswer answer;
        std::string why;
        std::uint64_t reqId = 0;
    };
    using Poster = std::function<void(Request)>;

    /// The producer side attaches how to hand it a request (a queued call onto its thread); detach() at
    /// its destruction, after which every call is NotSent.
    void attach(Poster poster);
    void detach();

    Result call(const QByteArray& method, const QByteArray& params, int timeoutMs);

    // Producer side:
    /// An answer arrived; false when nobody waits for it any more (it came late).
    bool deliver(const MethodAnswer& answer);
    /// The request was not sent (no connection, no token).
    void refuse(std::uint64_t reqId, const std::string& why);
    /// The request went out; from now on, silence means an unknown outcome.
    void markSent(std::uint64_t reqId);
    /// The connection fell: every request sent and unanswered has an unknown outcome now.
    void connectionLost(const std::string& why);

private:
    struct Waiter {
        bool done = false;
        bool sent = false;
        Result result;
    };
    std::mutex m_mutex;
    std::condition_variable m_cv;
    Poster m_poster;
    std::map<std::uint64_t, std::shared_ptr<Waiter>> m_waiters;
    std::atomic<std::uint64_t> m_nextId{1'000'000}; // apart from the producer's own (subscribe, ping)
};

} // namespace md::kraken
